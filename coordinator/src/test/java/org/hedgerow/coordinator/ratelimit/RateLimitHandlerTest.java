package org.hedgerow.coordinator.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.hedgerow.aggregation.wire.RateLimitedAnswer;
import org.hedgerow.aggregation.wire.WireJson;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The 429 refusal over real HTTP, keyed by a header standing in for the authenticated client id. */
class RateLimitHandlerTest {
  private final FakeClock clock = new FakeClock();
  private final List<String> refused = new ArrayList<>();
  private Vertx vertx;
  private URI base;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    Router router = Router.router(vertx);
    RateLimiter limiter = new RateLimiter("uploads", 0.5, 2, 100, clock);
    router.put("/v1/rounds/:round/update")
        .handler(RateLimitHandler.create(limiter, ctx -> ctx.request().getHeader("X-Test-Client"), refused::add))
        .handler(ctx -> ctx.response().setStatusCode(202).end());
    HttpServer s = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    base = URI.create("http://127.0.0.1:" + s.actualPort());
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private HttpResponse<String> put(String client) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve("/v1/rounds/1/update"))
        .PUT(HttpRequest.BodyPublishers.ofString("x"));
    if (client != null) {
      b.header("X-Test-Client", client);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void handle_overBurst_429WithRetryAfterAndErrorNamingTheLimit() throws Exception {
    assertEquals(202, put("a").statusCode());
    assertEquals(202, put("a").statusCode());
    HttpResponse<String> r = put("a");
    assertEquals(429, r.statusCode());
    assertEquals("2", r.headers().firstValue("Retry-After").orElseThrow()); // 1 token at 0.5/s
    RateLimitedAnswer answer = WireJson.decode(r.body(), RateLimitedAnswer.class);
    assertEquals("uploads", answer.limit());
    String error = answer.error();
    assertTrue(error.contains("'uploads'") && error.contains("0.5 requests per second") && error.contains("burst 2"), error);
    assertEquals(List.of("uploads"), refused);
    assertEquals(202, put("b").statusCode(), "another client has its own bucket");
    clock.advanceMillis(2_000);
    assertEquals(202, put("a").statusCode());
  }

  @Test
  void handle_noKey_fallsBackToRemoteAddress() throws Exception {
    assertEquals(202, put(null).statusCode());
    assertEquals(202, put(null).statusCode());
    assertEquals(429, put(null).statusCode());
  }
}
