package org.hedgerow.coordinator.service;

import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import org.hedgerow.aggregation.wire.ErrorBody;
import org.hedgerow.aggregation.wire.Wire;
import org.hedgerow.aggregation.wire.WireJson;
import org.hedgerow.coordinator.ServiceLimits;
import org.hedgerow.coordinator.http.RejectedException;
import org.hedgerow.coordinator.metrics.CoordinatorMetrics;
import org.hedgerow.coordinator.metrics.UpdateRejection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the coordinator answers what went wrong: every refusal is a JSON {@link ErrorBody} naming the
 * problem (docs/wire-format.md), never Vert.x's HTML page or an empty body.
 */
final class Failures {
  private static final Logger log = LoggerFactory.getLogger(Failures.class);

  private final CoordinatorMetrics metrics;
  private final ServiceLimits limits;

  Failures(CoordinatorMetrics metrics, ServiceLimits limits) {
    this.metrics = metrics;
    this.limits = limits;
  }

  /** The router's failure handler. */
  void handle(RoutingContext ctx) {
    Throwable t = ctx.failure();
    if (t instanceof HttpClosedException || ctx.response().closed()) {
      // The caller went away (e.g. closed the connection mid-body): nobody to answer, nothing went wrong
      // here, and logging it as an error would let anyone fill the error log.
      log.debug("{} {}: the client closed the connection ({})", ctx.request().method(), ctx.request().path(),
          t == null ? "no cause" : t.toString());
      return;
    }
    if (ctx.request().method() == HttpMethod.PUT && ctx.request().path().endsWith("/update")) {
      int code = t instanceof RejectedException r ? r.status() : ctx.statusCode();
      metrics.updateRejected(UpdateRejection.forStatus(code < 0 ? 500 : code));
    }
    if (t instanceof RejectedException r) {
      if ((r.status() == 503 || r.status() == 429) && ctx.response().headers().get("Retry-After") == null) {
        ctx.response().putHeader("Retry-After", "1");
      }
      Responses.error(ctx, r.status(), r.getMessage());
    } else if (ctx.statusCode() == 413 && Wire.SPENDS.equals(ctx.request().path())) {
      Responses.error(ctx, 413, "request body larger than the limit of " + SpendRoutes.MAX_SPENDS_BODY_BYTES
          + " bytes; post fewer spends at a time");
    } else if (ctx.statusCode() == 413) {
      Object limit = ctx.get(BodyLimits.BODY_LIMIT);
      Responses.error(ctx, 413, "request body larger than the limit of "
          + (limit != null ? limit : limits.maxJsonBodyBytes()) + " bytes for " + Requests.abbreviate(ctx.request().path()));
    } else if (ctx.statusCode() == 404) {
      Responses.error(ctx, 404, notFound(ctx));
    } else if (ctx.statusCode() == 405) {
      Responses.error(ctx, 405, notAllowed(ctx));
    } else if (ctx.statusCode() >= 400 && ctx.statusCode() < 500) {
      Responses.error(ctx, ctx.statusCode(), "bad request (HTTP " + ctx.statusCode() + ")"
          + (t != null && t.getMessage() != null ? ": " + t.getMessage() : ""));
    } else {
      log.error("unexpected failure on {} {}", ctx.request().method(), ctx.request().path(), t);
      Responses.error(ctx, 500, "internal error: " + (t == null ? "unknown" : t.getClass().getSimpleName()));
    }
  }

  static String notFound(RoutingContext ctx) {
    return "not found: no route for " + ctx.request().method() + " " + Requests.abbreviate(ctx.request().path())
        + " (the API is described at /openapi.json)";
  }

  static String notAllowed(RoutingContext ctx) {
    return "method " + ctx.request().method() + " is not allowed on " + Requests.abbreviate(ctx.request().path())
        + " (the API is described at /openapi.json)";
  }

  /**
   * A request HTTP/1.1 could not even parse (request line or headers over the limits, garbage):
   * answered with a JSON error naming the problem, then the connection is closed, as Vert.x's
   * default handler does (it answers with an empty body).
   */
  static void invalidRequest(HttpServerRequest req, HttpServerOptions serverOptions) {
    Throwable cause = req.decoderResult().cause();
    int status;
    String message;
    if (cause instanceof io.netty.handler.codec.http.TooLongHttpLineException) {
      status = 414;
      message = "request line (method, URI and version) longer than the limit of "
          + serverOptions.getMaxInitialLineLength() + " bytes";
    } else if (cause instanceof io.netty.handler.codec.http.TooLongHttpHeaderException) {
      status = 431;
      message = "request header fields larger than the limit of " + serverOptions.getMaxHeaderSize() + " bytes";
    } else {
      status = 400;
      message = "malformed HTTP request" + (cause == null || cause.getMessage() == null ? ""
          : ": " + Requests.abbreviate(cause.getMessage()));
    }
    req.response().setStatusCode(status).putHeader("Content-Type", "application/json").putHeader("Connection", "close")
        .end(WireJson.encode(new ErrorBody(message)))
        .onComplete(x -> req.connection().close());
  }
}
