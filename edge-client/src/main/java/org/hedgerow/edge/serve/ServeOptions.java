package org.hedgerow.edge.serve;

import java.nio.file.Path;

/**
 * How the serving service listens and whom it lets in.
 *
 * @param host interface to bind
 * @param port port (0: any free port)
 * @param token bearer token the shop's apps send ({@code Authorization: Bearer …}) on {@code /v1/*}
 *     and {@code /metrics}; null: no token (loopback development only)
 * @param tlsCert PEM server certificate (chain) for HTTPS, or null for plain HTTP
 * @param tlsKey PEM private key of {@code tlsCert}
 * @param clientCa PEM CA whose client certificates are required (mutual TLS), or null
 * @param maxK largest {@code k} a request may ask for
 * @param maxBatch most events one {@code POST /v1/events} may carry
 */
public record ServeOptions(String host, int port, String token, Path tlsCert, Path tlsKey, Path clientCa, int maxK,
    int maxBatch) {
  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_MAX_K = 100;
  public static final int DEFAULT_MAX_BATCH = 1000;
  /** Largest request body: a full batch of events fits with room to spare. */
  public static final long MAX_BODY_BYTES = 1 << 20;

  public ServeOptions {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be in [0, 65535]. Provided value: " + port);
    }
    if ((tlsCert == null) != (tlsKey == null)) {
      throw new IllegalArgumentException("HTTPS needs both a certificate and its key (--tls-cert and --tls-key)");
    }
    if (clientCa != null && tlsCert == null) {
      throw new IllegalArgumentException("mutual TLS (--client-ca) needs HTTPS (--tls-cert and --tls-key)");
    }
    if (token != null && token.length() < 16) {
      throw new IllegalArgumentException("the bearer token must have at least 16 characters");
    }
    if (maxK < 1 || maxBatch < 1) {
      throw new IllegalArgumentException("max k and max batch must be >= 1");
    }
  }

  /** Plain HTTP on {@code host:port} with an optional token and the default limits. */
  public static ServeOptions http(String host, int port, String token) {
    return new ServeOptions(host, port, token, null, null, null, DEFAULT_MAX_K, DEFAULT_MAX_BATCH);
  }

  public boolean tls() {
    return tlsCert != null;
  }
}
