package org.hedgerow.cli;

import java.net.URI;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options every operator command shares: where the coordinator is, its CA, the operator token. */
public class OperatorConnection {
  @Option(names = "--coordinator", required = true, description = "Coordinator URL, e.g. https://127.0.0.1:8443")
  URI coordinator;

  @Option(names = "--trust", description = "The federation CA (STATE/ca.pem); needed for https.")
  Path trust;

  @Option(names = "--operator-token-file", required = true, description = "STATE/operator.token")
  Path operatorTokenFile;

  org.hedgerow.edge.client.OperatorApi api() {
    return new org.hedgerow.edge.client.OperatorApi(coordinator, trust,
        org.hedgerow.coordinator.auth.StateDirectory.readToken(operatorTokenFile));
  }
}
