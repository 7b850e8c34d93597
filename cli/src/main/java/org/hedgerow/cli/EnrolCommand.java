package org.hedgerow.cli;

import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.hedgerow.edge.client.ClientCredentials;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code hedgerow enrol}: a silo exchanges its one-time enrolment token for a client certificate. The
 * key pair is generated here and the private key never leaves this machine.
 */
@Command(name = "enrol", mixinStandardHelpOptions = true,
    description = "Enrol this silo with a coordinator: generate a key, send a certificate request with the "
        + "one-time token, save key, certificate and CA in --dir.")
public class EnrolCommand implements Callable<Integer> {
  @Option(names = "--coordinator", required = true, description = "Coordinator URL, e.g. https://coord.example.org:8443")
  URI coordinator;

  @Option(names = "--trust", required = true, description = "The federation CA certificate (the operator's STATE/ca.pem).")
  Path trust;

  @Option(names = "--token", description = "The enrolment token the operator issued for this silo (visible in ps "
      + "and shell history: prefer --token-file).")
  String token;

  @Option(names = "--token-file", description = "A file holding the enrolment token (keeps it out of ps and shell "
      + "history).")
  Path tokenFile;

  @Option(names = "--dir", required = true, description = "Where to save the credentials (created; must not hold any).")
  Path dir;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    if ((token == null) == (tokenFile == null)) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(),
          "give the enrolment token with exactly one of --token-file FILE or --token TOKEN");
    }
    String t = token;
    if (tokenFile != null) {
      try {
        t = java.nio.file.Files.readString(tokenFile, java.nio.charset.StandardCharsets.UTF_8).strip();
      } catch (java.io.IOException e) {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--token-file: cannot read " + tokenFile
            + ": " + e);
      }
      if (t.isEmpty() || t.contains("\n")) {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--token-file: " + tokenFile
            + " must hold the one enrolment token");
      }
    }
    ClientCredentials c = ClientCredentials.enrol(coordinator, trust, t, dir);
    var out = spec.commandLine().getOut();
    out.println("enrolled as '" + c.clientId() + "'; certificate valid until " + c.certificate().getNotAfter().toInstant());
    out.println("wrote " + dir.resolve(ClientCredentials.KEY) + " (private key: owner-only, never leaves this machine)");
    out.println("wrote " + dir.resolve(ClientCredentials.CERT) + " (client certificate; it certifies identity key "
        + org.hedgerow.privacy.crypto.Hex.encode(c.certifiedIdentity().publicKey()) + ")");
    out.println("identity key in " + dir.resolve(org.hedgerow.edge.state.SiloState.IDENTITY_FILE)
        + " (Ed25519 identity key: owner-only; secure aggregation and signed spends use it)");
    out.println("wrote " + dir.resolve(ClientCredentials.CA) + " (federation CA)");
    return 0;
  }
}
