package org.hedgerow.coordinator.service;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.hedgerow.coordinator.ServiceLimits;
import org.hedgerow.coordinator.metrics.CoordinatorMetrics;

/**
 * The per-address connection cap and the body-read deadline (docs/security.md, "Service limits").
 * Event loop only.
 */
final class ConnectionLimits {
  private final Vertx vertx;
  private final ServiceLimits limits;
  private final CoordinatorMetrics metrics;
  /** Open connections by remote address, and those over the per-address cap. */
  private final Map<String, Integer> connectionsByAddress = new HashMap<>();
  private final Set<HttpConnection> overCap = new HashSet<>();

  ConnectionLimits(Vertx vertx, ServiceLimits limits, CoordinatorMetrics metrics) {
    this.vertx = vertx;
    this.limits = limits;
    this.metrics = metrics;
  }

  /** Connections per remote address; those beyond the cap are answered 503 (see {@link #handle}) and closed. */
  void connected(HttpConnection conn) {
    String host = conn.remoteAddress() == null ? "unknown" : conn.remoteAddress().hostAddress();
    int n = connectionsByAddress.merge(host, 1, Integer::sum);
    if (n > limits.maxConnectionsPerAddress()) {
      overCap.add(conn);
    }
    conn.closeHandler(v -> {
      connectionsByAddress.computeIfPresent(host, (k, c) -> c <= 1 ? null : c - 1);
      overCap.remove(conn);
    });
  }

  /** First handler of every request: the per-address connection cap and the body-read deadline. */
  void handle(RoutingContext ctx) {
    if (overCap.contains(ctx.request().connection())) {
      metrics.shed("connections-per-address");
      ctx.response().putHeader("Retry-After", "5");
      Responses.error(ctx, 503, "too many connections from " + ctx.request().remoteAddress().hostAddress() + " (limit "
          + limits.maxConnectionsPerAddress() + " per address); close idle ones and retry");
      ctx.request().connection().close();
      return;
    }
    if (!ctx.request().isEnded()) {
      // A body that trickles in (slowloris) must not hold the connection and its buffer for ever; a large
      // declared body gets extra time at a slow link's rate, so a big model's update is not cut off.
      long declared = Requests.contentLength(ctx);
      long deadline = limits.bodyReadTimeoutMillis() + Math.max(0, declared) / ServiceLimits.SLOW_LINK_BYTES_PER_MILLI;
      long timer = vertx.setTimer(deadline, id -> {
        if (!ctx.request().isEnded() && !ctx.response().ended() && !ctx.response().closed()) {
          Responses.errorAndClose(ctx, 408, "request body not received within " + deadline
              + " ms of the headers; the connection is closed");
        }
      });
      ctx.addEndHandler(v -> vertx.cancelTimer(timer));
    }
    ctx.next();
  }
}
