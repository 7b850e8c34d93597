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
    description = "Create a coordinator state directory: the federation CA, the server certificate, and the "
        + "operator and auditor tokens. Refuses to overwrite an existing one.")
public class CoordinatorInitCommand implements Callable<Integer> {
  @Option(names = "--dir", required = true, description = "The state directory to create.")
  Path dir;

  @Option(names = "--host", description = "A further host name or IP address for the server certificate "
      + "(localhost and 127.0.0.1 are always in it). Repeatable.")
  List<String> hosts = new ArrayList<>();

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    List<Path> written = StateDirectory.init(dir, hosts);
    var out = spec.commandLine().getOut();
    for (Path p : written) {
      out.println("wrote " + p + describe(p.getFileName().toString()));
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
      case StateDirectory.OPERATOR_TOKEN -> " (operator bearer token: secret, owner-only)";
      case StateDirectory.AUDITOR_TOKEN -> " (auditor bearer token: secret, owner-only)";
      default -> "";
    };
  }
}
