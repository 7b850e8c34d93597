package org.hedgerow.coordinator.service;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.hedgerow.aggregation.wire.Wire;
import org.hedgerow.coordinator.metrics.CoordinatorMetrics;

/**
 * Body handlers with a limit of their own that count the bodies they read (by route), and remember
 * the limit for the 413 answer ({@link Failures}).
 */
final class BodyLimits {
  /** Context key: the limit of the body handler that read (or refused) this request's body. */
  static final String BODY_LIMIT = "hedgerow.body.limit";
  private static final String BODY_COUNTED = "hedgerow.body.counted";

  private final CoordinatorMetrics metrics;

  BodyLimits(CoordinatorMetrics metrics) {
    this.metrics = metrics;
  }

  /** A body handler with {@code limit} that counts the bodies it reads (by route). */
  Handler<RoutingContext> limit(long limit) {
    BodyHandler h = BodyHandler.create(false).setBodyLimit(limit);
    return ctx -> {
      if (ctx.get(BODY_LIMIT) == null) {
        ctx.put(BODY_LIMIT, limit);
      }
      if (ctx.get(BODY_COUNTED) == null) {
        ctx.put(BODY_COUNTED, true);
        metrics.bodyRead(routeLabel(ctx));
      }
      h.handle(ctx);
    };
  }

  /** The route template of a request, for metric labels (the router-wide handler has none; raw paths would be unbounded). */
  private static String routeLabel(RoutingContext ctx) {
    if (ctx.currentRoute() != null && ctx.currentRoute().getPath() != null) {
      return ctx.currentRoute().getPath();
    }
    String p = ctx.request().path();
    if (p == null) {
      return "other";
    }
    if (p.equals(Wire.CLIENTS) || p.equals(Wire.SPENDS) || p.equals(Wire.ENROL)) {
      return p;
    }
    if (p.matches("/v1/rounds/[^/]+/decline")) {
      return "/v1/rounds/:round/decline";
    }
    if (p.matches("/v1/rounds/[^/]+/secagg/[^/]+")) {
      return "/v1/rounds/:round/secagg/:stage";
    }
    return "other";
  }
}
