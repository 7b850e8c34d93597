package org.hedgerow.benchmarks.load;

import io.vertx.core.MultiMap;

/**
 * One simulated client's upload: where to PUT its body and with which headers.
 *
 * @param uri request path and query
 * @param headers headers to send (authorization, model version, ...)
 */
public record Upload(String uri, MultiMap headers) {}
