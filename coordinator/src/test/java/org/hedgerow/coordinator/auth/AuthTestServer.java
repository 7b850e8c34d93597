package org.hedgerow.coordinator.auth;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.TimeUnit;
import org.hedgerow.coordinator.http.RejectedException;

/**
 * A tiny coordinator for the auth tests: {@code /health}, the {@link AdminRoutes}, and
 * {@code GET /v1/whoami} (any role) that answers with the authenticated principal. Its failure
 * handler does what the coordinator verticle's does.
 */
final class AuthTestServer {
  static final String WHOAMI = "/v1/whoami";

  final HttpServer server;

  AuthTestServer(Vertx vertx, HttpServerOptions options, Authenticator auth, EnrolmentService enrolment)
      throws Exception {
    Router router = Router.router(vertx);
    router.get("/health").handler(ctx -> ctx.response().end("{\"status\":\"ok\"}"));
    new AdminRoutes(vertx, enrolment, auth).mount(router);
    router.get(WHOAMI).handler(auth.handler(Role.CLIENT, Role.OPERATOR, Role.AUDITOR)).handler(ctx -> {
      Principal p = Authenticator.principal(ctx);
      ctx.response().putHeader("Content-Type", "application/json")
          .end(new JsonObject().put("role", p.role().name()).put("name", p.name()).encode());
    });
    router.route().failureHandler(AuthTestServer::failure);
    server = vertx.createHttpServer(options).requestHandler(router).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
  }

  int port() {
    return server.actualPort();
  }

  private static void failure(RoutingContext ctx) {
    Throwable t = ctx.failure();
    int status;
    String msg;
    if (t instanceof RejectedException r) {
      status = r.status();
      msg = r.getMessage();
    } else if (ctx.statusCode() == 413) {
      status = 413;
      msg = "request body too large";
    } else {
      status = 500;
      msg = "internal error: " + t;
    }
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("error", msg).encode());
  }
}
