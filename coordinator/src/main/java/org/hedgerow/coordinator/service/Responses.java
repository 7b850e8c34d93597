package org.hedgerow.coordinator.service;

import io.vertx.ext.web.RoutingContext;
import org.hedgerow.aggregation.wire.ErrorBody;
import org.hedgerow.aggregation.wire.WireJson;
import org.hedgerow.coordinator.ops.UnreadBodies;

/** Writes the coordinator's JSON answers: a wire record encoded by {@link WireJson}. */
final class Responses {
  private Responses() {}

  static void json(RoutingContext ctx, int status, Object message) {
    String body = WireJson.encode(message);
    if (UnreadBodies.largeBodyPending(ctx.request())) {
      // Answered before a large body was read (a refusal): close rather than read and discard the rest of it.
      ctx.response().putHeader("Connection", "close");
      ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body)
          .onComplete(x -> ctx.request().connection().close());
      return;
    }
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body);
  }

  static void error(RoutingContext ctx, int status, String message) {
    json(ctx, status, new ErrorBody(message));
  }

  /** Answers {@code status} with {@code message} and closes the connection (nothing more is read from it). */
  static void errorAndClose(RoutingContext ctx, int status, String message) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").putHeader("Connection", "close")
        .end(WireJson.encode(new ErrorBody(message)))
        .onComplete(x -> ctx.request().connection().close());
  }
}
