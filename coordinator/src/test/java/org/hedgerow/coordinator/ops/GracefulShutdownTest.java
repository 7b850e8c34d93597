package org.hedgerow.coordinator.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Drain, stop listening, wait for the request in flight, then close — in that order. */
class GracefulShutdownTest {
  private Vertx vertx;
  private HttpServer server;
  private InFlightRequests inFlight;
  private URI base;
  private final CountDownLatch slowStarted = new CountDownLatch(1);
  private final List<String> steps = new CopyOnWriteArrayList<>();
  // HTTP/1.1: JDK 17's client would upgrade to h2c and fail in-flight streams on the server's GOAWAY.
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    Router router = Router.router(vertx);
    inFlight = InFlightRequests.mount(router);
    router.get("/slow").handler(ctx -> {
      slowStarted.countDown();
      vertx.setTimer(500, id -> {
        steps.add("slow answered");
        ctx.end("done");
      });
    });
    router.get("/fast").handler(ctx -> ctx.end("fast"));
    server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    base = URI.create("http://127.0.0.1:" + server.actualPort());
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void run_requestInFlight_answeredBeforeCloseAndNewRequestsRefused() throws Exception {
    CompletableFuture<HttpResponse<String>> slow = http.sendAsync(HttpRequest.newBuilder(base.resolve("/slow")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertTrue(slowStarted.await(10, TimeUnit.SECONDS));
    GracefulShutdown shutdown = new GracefulShutdown(inFlight, () -> server.shutdown(5, TimeUnit.SECONDS),
        Duration.ofSeconds(5), () -> steps.add("closed"));
    Thread t = new Thread(shutdown);
    t.start();
    t.join(15_000);
    assertFalse(t.isAlive());
    HttpResponse<String> r = slow.get(10, TimeUnit.SECONDS);
    assertEquals(200, r.statusCode());
    assertEquals("done", r.body());
    assertEquals(List.of("slow answered", "closed"), steps);
    assertTrue(inFlight.draining());
    shutdown.run(); // a second run (hook after a manual run) does nothing
    assertEquals(List.of("slow answered", "closed"), steps);
  }

  @Test
  void handle_whileDraining_503WithConnectionClose() throws Exception {
    inFlight.drain();
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/fast")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(503, r.statusCode());
    assertTrue(r.body().contains("shutting down"), r.body());
  }

  @Test
  void run_requestOutlastsTimeout_closesAnywayAfterTheTimeout() throws Exception {
    http.sendAsync(HttpRequest.newBuilder(base.resolve("/slow")).build(), HttpResponse.BodyHandlers.ofString());
    assertTrue(slowStarted.await(10, TimeUnit.SECONDS));
    long t0 = System.nanoTime();
    new GracefulShutdown(inFlight, null, Duration.ofMillis(100), () -> steps.add("closed")).run();
    assertTrue((System.nanoTime() - t0) / 1e6 < 450, "waited past the timeout");
    assertEquals("closed", steps.get(0));
  }
}
