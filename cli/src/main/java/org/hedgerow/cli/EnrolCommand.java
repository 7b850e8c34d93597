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
        + "one-time token, save key, certificate and CA in --dir. With an offline CA: --csr-out FILE --client-id ID "
        + "writes the request for the CA operator, then --install-certificate FILE --trust CA.pem installs the answer.")
public class EnrolCommand implements Callable<Integer> {
  @Option(names = "--coordinator", description = "Coordinator URL, e.g. https://coord.example.org:8443 (online enrolment)")
  URI coordinator;

  @Option(names = "--trust", description = "The federation CA certificate (the operator's STATE/ca.pem; with an offline "
      + "CA, the CA's ca.pem). Needed online and with --install-certificate.")
  Path trust;

  @Option(names = "--token", description = "The enrolment token the operator issued for this silo (visible in ps "
      + "and shell history: prefer --token-file).")
  String token;

  @Option(names = "--token-file", description = "A file holding the enrolment token (keeps it out of ps and shell "
      + "history).")
  Path tokenFile;

  @Option(names = "--dir", required = true, description = "Where to save the credentials (created; must not hold any).")
  Path dir;

  @Option(names = "--csr-out", description = "Offline CA, step 1: write this silo's certificate request to FILE for the CA "
      + "operator ('hedgerow ca sign'); keys are made in --dir. Needs --client-id.")
  Path csrOut;

  @Option(names = "--client-id", description = "With --csr-out: the client id the CA operator expects for this silo.")
  String clientId;

  @Option(names = "--install-certificate", description = "Offline CA, step 2: install the certificate the CA operator "
      + "signed for the request made with --csr-out in --dir (checked against --trust).")
  Path installCertificate;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    if (csrOut != null || installCertificate != null) {
      return offline();
    }
    if (coordinator == null || trust == null) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "online enrolment needs --coordinator URL and "
          + "--trust CA.pem (or, with an offline CA, --csr-out FILE --client-id ID, then --install-certificate FILE)");
    }
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

  /** The two steps of enrolment with an offline CA (no coordinator involved). */
  private int offline() {
    var cl = spec.commandLine();
    if (csrOut != null && installCertificate != null || coordinator != null || token != null || tokenFile != null) {
      throw new picocli.CommandLine.ParameterException(cl, "--csr-out and --install-certificate are separate steps of "
          + "enrolment with an offline CA, without --coordinator or a token: give one of them");
    }
    var out = cl.getOut();
    if (csrOut != null) {
      if (clientId == null) {
        throw new picocli.CommandLine.ParameterException(cl, "--csr-out needs --client-id ID (the id the CA will sign)");
      }
      if (java.nio.file.Files.exists(csrOut)) {
        throw new picocli.CommandLine.ParameterException(cl, "--csr-out: " + csrOut + " already exists");
      }
      String csr = org.hedgerow.edge.client.OfflineEnrolment.request(dir, clientId);
      try {
        java.nio.file.Files.writeString(csrOut, csr, java.nio.charset.StandardCharsets.UTF_8);
      } catch (java.io.IOException e) {
        throw new IllegalStateException("cannot write " + csrOut + ": " + e, e);
      }
      out.println("wrote " + csrOut + " (certificate request for '" + clientId + "': give it to the CA operator)");
      out.println("wrote " + dir.resolve(ClientCredentials.KEY) + " (private key: owner-only, never leaves this machine)");
      out.println("identity key " + org.hedgerow.privacy.crypto.Hex.encode(
          org.hedgerow.edge.state.SiloState.identityKeyIn(dir).publicKey()) + " in "
          + dir.resolve(org.hedgerow.edge.state.SiloState.IDENTITY_FILE) + " (tell the CA operator, who sees it when signing)");
      return 0;
    }
    if (trust == null) {
      throw new picocli.CommandLine.ParameterException(cl, "--install-certificate needs --trust CA.pem (the federation "
          + "CA, obtained from the CA operator over a channel you trust)");
    }
    ClientCredentials c = org.hedgerow.edge.client.OfflineEnrolment.install(dir, installCertificate, trust);
    out.println("installed the certificate of '" + c.clientId() + "', valid until "
        + c.certificate().getNotAfter().toInstant() + "; it certifies identity key "
        + org.hedgerow.privacy.crypto.Hex.encode(c.certifiedIdentity().publicKey()));
    out.println("wrote " + dir.resolve(ClientCredentials.CERT) + " and " + dir.resolve(ClientCredentials.CA)
        + "; the coordinator registers this silo on its first call");
    return 0;
  }
}
