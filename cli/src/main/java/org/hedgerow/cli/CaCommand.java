package org.hedgerow.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.Callable;
import org.hedgerow.aggregation.secagg.CertifiedIdentityKeys;
import org.hedgerow.coordinator.auth.Fingerprints;
import org.hedgerow.coordinator.auth.OfflineCa;
import org.hedgerow.coordinator.auth.Pem;
import org.hedgerow.privacy.crypto.Hex;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code hedgerow ca init|sign}: the federation CA on a machine of its own, so that the coordinator never
 * holds the CA key (docs/security.md, "Offline CA").
 */
@Command(name = "ca", mixinStandardHelpOptions = true,
    description = "The federation CA kept offline: create it, and sign silos' and the coordinator's certificate "
        + "requests.", subcommands = {CaCommand.Init.class, CaCommand.Sign.class})
public class CaCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code hedgerow ca init --dir CA}. */
  @Command(name = "init", mixinStandardHelpOptions = true,
      description = "Create a federation CA in --dir (0700): ca-key.pem (0600, never leaves this machine) and ca.pem "
          + "(public: for the coordinator's 'init --ca-cert' and every silo).")
  static class Init implements Callable<Integer> {
    @Option(names = "--dir", required = true, description = "The CA directory to create.") Path dir;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      var out = spec.commandLine().getOut();
      for (Path p : OfflineCa.init(dir)) {
        out.println("wrote " + p + (p.getFileName().toString().equals(OfflineCa.CA_KEY)
            ? " (CA private key: secret, owner-only; keep this machine offline)" : " (CA certificate: public)"));
      }
      out.println("CA certificate SHA-256: " + Fingerprints.sha256(OfflineCa.load(dir).certificate()));
      return 0;
    }
  }

  /** {@code hedgerow ca sign --dir CA --csr FILE --out FILE (--client-id ID | --server)}. */
  @Command(name = "sign", mixinStandardHelpOptions = true,
      description = "Sign a certificate request after checking it: a silo's (from 'hedgerow enrol --csr-out') must "
          + "name --client-id and prove possession of the identity key it asks to have certified; the coordinator's "
          + "(STATE/server.csr) with --server. Prints what was signed; appends it to CA/issued.log.")
  static class Sign implements Callable<Integer> {
    @Option(names = "--dir", required = true, description = "The CA directory ('hedgerow ca init').") Path dir;
    @Option(names = "--csr", required = true, description = "The PEM certificate request to sign.") Path csr;
    @Option(names = "--out", required = true, description = "Where to write the PEM certificate (must not exist).")
    Path out;
    @ArgGroup(exclusive = true, multiplicity = "1") Kind kind;
    @Spec CommandSpec spec;

    static class Kind {
      @Option(names = "--client-id", description = "The silo you expect this request from: its subject must be "
          + "CN=<this id>.") String clientId;
      @Option(names = "--server", description = "The request is the coordinator's server certificate request.")
      boolean server;
    }

    @Override
    public Integer call() {
      if (Files.exists(out)) {
        throw new ParameterException(spec.commandLine(), "--out: " + out + " already exists; refusing to overwrite it");
      }
      String request;
      try {
        request = Files.readString(csr, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new ParameterException(spec.commandLine(), "--csr: cannot read " + csr + ": " + e);
      }
      OfflineCa ca = OfflineCa.load(dir);
      X509Certificate cert;
      try {
        cert = kind.server ? ca.signServer(request) : ca.signClient(request, kind.clientId);
      } catch (IllegalArgumentException e) {
        spec.commandLine().getErr().println("refused to sign " + csr + ": " + e.getMessage());
        return 1;
      }
      try {
        Files.writeString(out, Pem.certificate(cert), StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE_NEW);
      } catch (IOException e) {
        throw new IllegalStateException("cannot write " + out + ": " + e, e);
      }
      var o = spec.commandLine().getOut();
      o.println("signed " + cert.getSubjectX500Principal().getName() + " until " + cert.getNotAfter().toInstant()
          + " -> " + out);
      if (kind.server) {
        try {
          List<String> names = cert.getSubjectAlternativeNames().stream().map(n -> String.valueOf(n.get(1))).toList();
          o.println("hosts: " + String.join(", ", names));
        } catch (java.security.cert.CertificateParsingException e) {
          throw new IllegalStateException("cannot read back the certificate's host names", e);
        }
      } else {
        o.println("identity key: " + Hex.encode(CertifiedIdentityKeys.identityKeyOf(cert)));
      }
      o.println("certificate SHA-256: " + Fingerprints.sha256(cert));
      return 0;
    }
  }
}
