package org.hedgerow.coordinator.auth;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.util.Set;

/**
 * HTTPS settings of the coordinator: the server certificate from the state directory, the
 * federation CA as the only trust anchor for client certificates, TLS 1.2 and 1.3 only.
 *
 * <p>Client certificates are <em>requested</em>, not required, so {@code /health} and
 * {@code /v1/enrol} (where a silo gets its first certificate) work without one; the
 * {@link Authenticator} refuses client routes that arrive without a known certificate. A certificate
 * that does not chain to the CA fails the TLS handshake.
 */
public final class TlsServerOptions {
  /** Protocols offered; older ones have known weaknesses. */
  public static final Set<String> PROTOCOLS = Set.of("TLSv1.2", "TLSv1.3");

  private TlsServerOptions() {}

  /** New HTTPS options for {@code state} (add host, port and limits to them). */
  public static HttpServerOptions https(StateDirectory state) {
    return configure(new HttpServerOptions(), state.server(), state.caCertificate());
  }

  /** Makes {@code options} serve HTTPS with {@code server} and trust client certificates from {@code ca}. */
  public static HttpServerOptions configure(HttpServerOptions options, KeyAndCertificate server,
      java.security.cert.X509Certificate ca) {
    return options
        .setSsl(true)
        .setKeyCertOptions(new PemKeyCertOptions()
            .setKeyValue(Buffer.buffer(Pem.privateKey(server.key())))
            .setCertValue(Buffer.buffer(Pem.certificate(server.certificate()) + Pem.certificate(ca))))
        .setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(Pem.certificate(ca))))
        .setClientAuth(ClientAuth.REQUEST)
        .setEnabledSecureTransportProtocols(PROTOCOLS);
  }
}
