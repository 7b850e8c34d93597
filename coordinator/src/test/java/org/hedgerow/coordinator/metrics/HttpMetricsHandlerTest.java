package org.hedgerow.coordinator.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.hedgerow.coordinator.http.RejectedException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Request timing by route template and the guarded {@code GET /metrics}, over real HTTP. */
class HttpMetricsHandlerTest {
  private Vertx vertx;
  private CoordinatorMetrics metrics;
  private URI base;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    metrics = new CoordinatorMetrics();
    Router router = Router.router(vertx);
    router.get("/health").handler(ctx -> ctx.end("ok"));
    router.put("/v1/rounds/:round/update").handler(ctx -> {
      if (ctx.pathParam("round").equals("0")) {
        throw new RejectedException(409, "round 0 never opens");
      }
      ctx.response().setStatusCode(202).end();
    });
    router.route().failureHandler(ctx -> ctx.response().setStatusCode(
        ctx.failure() instanceof RejectedException r ? r.status() : 500).end());
    HttpMetricsHandler.mount(router, metrics); // mounted last, still runs first
    MetricsEndpoint.mount(router, metrics.registry(), ctx -> {
      if (!"Bearer auditor-secret".equals(ctx.request().getHeader("Authorization"))) {
        throw new RejectedException(401, "GET /metrics needs the auditor's bearer token");
      }
      ctx.next();
    });
    HttpServer s = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    base = URI.create("http://127.0.0.1:" + s.actualPort());
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private HttpResponse<String> send(String method, String path, String auth) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).method(method, HttpRequest.BodyPublishers.noBody());
    if (auth != null) {
      b.header("Authorization", auth);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void handle_requestsOnParameterisedRoutes_labelledByTemplateAndStatusClass() throws Exception {
    send("PUT", "/v1/rounds/1/update", null);
    send("PUT", "/v1/rounds/2/update", null);
    send("PUT", "/v1/rounds/0/update", null);
    send("GET", "/health", null);
    send("GET", "/wp-admin/../etc/passwd-" + System.nanoTime(), null);
    String s = send("GET", "/metrics", "Bearer auditor-secret").body();
    String update = "hedgerow_http_request_duration_seconds_count{method=\"PUT\",route=\"/v1/rounds/:round/update\",";
    assertTrue(s.contains(update + "status=\"2xx\"} 2\n"), s);
    assertTrue(s.contains(update + "status=\"4xx\"} 1\n"), s);
    assertTrue(s.contains("route=\"/health\",status=\"2xx\"} 1\n"), s);
    assertTrue(s.contains("route=\"unmatched\",status=\"4xx\"} 1\n"), s);
    assertFalse(s.contains("/v1/rounds/1/"), "raw paths must never become labels:\n" + s);
    assertFalse(s.contains("passwd"), s);
  }

  @Test
  void metrics_withoutCredentials_401JsonErrorAndNoScrape() throws Exception {
    HttpResponse<String> r = send("GET", "/metrics", null);
    assertEquals(401, r.statusCode());
    assertTrue(new JsonObject(r.body()).getString("error").contains("auditor"), r.body());
  }

  @Test
  void metrics_withCredentials_textFormatContentType() throws Exception {
    HttpResponse<String> r = send("GET", "/metrics", "Bearer auditor-secret");
    assertEquals(200, r.statusCode());
    assertEquals("text/plain; version=0.0.4; charset=utf-8", r.headers().firstValue("Content-Type").orElseThrow());
    assertTrue(r.body().contains("# TYPE hedgerow_rounds_completed_total counter\n"), r.body());
  }

  @Test
  void compile_templates_matchOnlyTheirShape() {
    assertTrue(HttpMetricsHandler.compile("/v1/rounds/:round/secagg/:stage").matcher("/v1/rounds/3/secagg/unmask").matches());
    assertFalse(HttpMetricsHandler.compile("/v1/rounds/:round/update").matcher("/v1/rounds/3/4/update").matches());
    assertTrue(HttpMetricsHandler.compile("/v1/*").matcher("/v1/anything/at/all").matches());
    assertFalse(HttpMetricsHandler.compile("/v1/model").matcher("/v1/model/parameters").matches());
  }
}
