package org.hedgerow.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.hedgerow.coordinator.auth.Fingerprints;
import org.hedgerow.coordinator.auth.StateDirectory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code hedgerow coordinator init}: creates the coordinator's state directory. */
@Command(name = "init", mixinStandardHelpOptions = true,
    description = "Create a coordinator state directory: the federation CA (or, with --ca-cert, only its "
        + "certificate: offline CA), the server certificate (or its request), and the operator and auditor tokens. "
        + "Refuses to overwrite an existing one.")
public class CoordinatorInitCommand implements Callable<Integer> {
  @Option(names = "--dir", required = true, description = "The state directory to create.")
  Path dir;

  @Option(names = "--host", description = "A further host name or IP address for the server certificate "
      + "(localhost and 127.0.0.1 are always in it). Repeatable.")
  List<String> hosts = new ArrayList<>();

  @Option(names = "--ca-cert", description = "The federation CA's certificate from 'hedgerow ca init' (offline CA): "
      + "the CA key stays on the CA's machine; this writes a server certificate request (server.csr) for the CA "
      + "operator to sign into server.pem.")
  Path caCert;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    List<Path> written = caCert == null ? StateDirectory.init(dir, hosts)
        : StateDirectory.initWithOfflineCa(dir, caCert, hosts);
    var out = spec.commandLine().getOut();
    for (Path p : written) {
      out.println("wrote " + p + describe(p.getFileName().toString()));
    }
    if (caCert != null) {
      out.println("The CA key is not here: enrolment is offline. Before 'coordinator start', on the CA's machine run");
      out.println("  hedgerow ca sign --dir CA --server --csr " + dir.resolve(StateDirectory.SERVER_CSR) + " --out server.pem");
      out.println("and copy server.pem to " + dir.resolve(StateDirectory.SERVER) + ". Give silos the CA's ca.pem.");
      return 0;
    }
    StateDirectory state = StateDirectory.load(dir);
    out.println("CA certificate SHA-256: " + Fingerprints.sha256(state.caCertificate()));
    out.println("Give silos " + dir.resolve(StateDirectory.CA) + " (public); keep the rest of " + dir + " private.");
    return 0;
  }

  private static String describe(String name) {
    return switch (name) {
      case StateDirectory.CA -> " (federation CA certificate: public, silos need it as --trust)";
      case StateDirectory.CA_KEY -> " (CA private key: secret, owner-only)";
      case StateDirectory.SERVER -> " (server certificate)";
      case StateDirectory.SERVER_KEY -> " (server private key: secret, owner-only)";
      case StateDirectory.SERVER_CSR -> " (server certificate request: for the offline CA to sign)";
      case StateDirectory.OPERATOR_TOKEN -> " (operator bearer token: secret, owner-only)";
      case StateDirectory.AUDITOR_TOKEN -> " (auditor bearer token: secret, owner-only)";
      default -> "";
    };
  }
}
