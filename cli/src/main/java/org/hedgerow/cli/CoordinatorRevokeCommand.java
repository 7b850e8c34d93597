package org.hedgerow.cli;

import java.util.concurrent.Callable;
import org.hedgerow.aggregation.wire.RevokeAnswer;
import org.hedgerow.coordinator.auth.EnrolmentService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code hedgerow coordinator revoke}: the operator revokes a silo; its certificate is refused from then on. */
@Command(name = "revoke", mixinStandardHelpOptions = true,
    description = "Revoke an enrolled silo: the coordinator refuses its certificate from the next request on.")
public class CoordinatorRevokeCommand implements Callable<Integer> {
  @picocli.CommandLine.Mixin OperatorConnection connection;

  @Option(names = "--client-id", required = true, description = "The silo to revoke.")
  String clientId;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    try {
      EnrolmentService.checkClientId(clientId);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("--client-id: " + e.getMessage(), e);
    }
    RevokeAnswer r = connection.api().revoke(clientId);
    spec.commandLine().getOut().println(r.changed()
        ? "revoked '" + clientId + "' at " + r.revokedAt()
        : "'" + clientId + "' was already revoked (at " + r.revokedAt() + ")");
    return 0;
  }
}
