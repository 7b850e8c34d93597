package org.hedgerow.benchmarks.load;

import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.PfxOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway P-256 key and self-signed certificate for 127.0.0.1, made with the JDK's keytool so
 * the benchmark needs no PKI of its own. Loopback only; never a real credential.
 */
final class SelfSignedKeyStore {
  private SelfSignedKeyStore() {}

  static KeyCertOptions create() throws Exception {
    Path dir = Files.createTempDirectory("hedgerow-loadbench");
    Path store = dir.resolve("server.p12");
    String password = Long.toHexString(new java.security.SecureRandom().nextLong());
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    Process p = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "server", "-keyalg", "EC",
        "-groupname", "secp256r1", "-sigalg", "SHA256withECDSA", "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1",
        "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", password)
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("keytool failed to make the benchmark's self-signed certificate: " + out);
    }
    store.toFile().deleteOnExit();
    dir.toFile().deleteOnExit();
    return new PfxOptions().setPath(store.toString()).setPassword(password);
  }
}
