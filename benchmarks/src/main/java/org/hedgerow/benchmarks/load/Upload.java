package org.hedgerow.benchmarks.load;

import io.vertx.core.MultiMap;
import io.vertx.core.net.ClientSSLOptions;

/**
 * One simulated client's upload: where to PUT its body and with which headers.
 *
 * @param uri request path and query
 * @param headers headers to send (authorization, model version, ...)
 * @param ssl this client's own TLS settings (its client certificate for mutual TLS), or null to use
 *     the driver's (plain HTTP, or server-only TLS)
 */
public record Upload(String uri, MultiMap headers, ClientSSLOptions ssl) {
  /** An upload without a TLS identity of its own. */
  public Upload(String uri, MultiMap headers) {
    this(uri, headers, null);
  }
}
