package org.hedgerow.coordinator.metrics;

import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.hedgerow.coordinator.http.RejectedException;

/**
 * {@code GET /metrics}: the registry in the Prometheus text format, behind an authorization hook.
 *
 * <p>The hook is an ordinary Vert.x handler run before the scrape: it calls {@code ctx.next()} to
 * allow, or refuses by throwing {@link RejectedException} (401 without credentials, 403 for a wrong
 * role), by {@code ctx.fail(status)}, or by ending the response itself. Refusals are answered here
 * as {@code {"error": "..."}} by this route's own failure handler (the route is ordered first).
 */
public final class MetricsEndpoint {
  public static final String PATH = "/metrics";
  /**
   * Route order: ahead of the application's routes, so that this route's own failure handler answers
   * the guard's refusals before any router-wide one.
   */
  public static final int ORDER = -999_000;

  private MetricsEndpoint() {}

  /** Mounts {@code GET /metrics} on {@code router}; {@code guard} decides who may read it. */
  public static void mount(Router router, MetricsRegistry registry, Handler<RoutingContext> guard) {
    if (guard == null) {
      throw new IllegalArgumentException("GET /metrics needs an authorization guard (use MetricsEndpoint.open() "
          + "only where anyone may read the metrics)");
    }
    router.get(PATH).order(ORDER).handler(guard).handler(ctx -> ctx.response().putHeader("Content-Type", MetricsRegistry.contentType())
            .putHeader("Cache-Control", "no-store").end(registry.scrape()))
        .failureHandler(MetricsEndpoint::refuse);
  }

  /** A guard that lets everyone read the metrics (tests, or a port only the monitoring host reaches). */
  public static Handler<RoutingContext> open() {
    return RoutingContext::next;
  }

  private static void refuse(RoutingContext ctx) {
    Throwable t = ctx.failure();
    int status;
    String message;
    if (t instanceof RejectedException r) {
      status = r.status();
      message = r.getMessage();
    } else if (ctx.statusCode() == 401 || ctx.statusCode() == 403) {
      status = ctx.statusCode();
      message = status == 401 ? "GET /metrics needs credentials: Authorization: Bearer <operator or auditor token>"
          : "GET /metrics is for the operator and auditor roles";
    } else {
      status = 500;
      message = "internal error: " + (t == null ? "status " + ctx.statusCode() : t.getClass().getSimpleName());
    }
    if (!ctx.response().ended()) {
      ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
          .end(org.hedgerow.aggregation.wire.WireJson.encode(new org.hedgerow.aggregation.wire.ErrorBody(message)));
    }
  }
}
