package org.hedgerow.benchmarks.load;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.KeyCertOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The baseline: a bare Vert.x HttpServer that reads the whole body and answers 202. No router, no
 * validation, no aggregation; what Vert.x alone costs for the same uploads.
 */
public final class BareTarget implements LoadTarget {
  private final KeyCertOptions tls;
  private HttpServer server;
  private final AtomicInteger received = new AtomicInteger();
  private volatile int expectedBytes;

  /** @param tls the server's key and certificate, or null for plain HTTP */
  public BareTarget(KeyCertOptions tls) {
    this.tls = tls;
  }

  @Override
  public String name() {
    return tls == null ? "bare" : "bare-tls";
  }

  @Override
  public boolean tls() {
    return tls != null;
  }

  @Override
  public int start(Vertx vertx, int clients, byte[] body) throws Exception {
    received.set(0);
    expectedBytes = body.length;
    HttpServerOptions o = new HttpServerOptions().setHost("127.0.0.1").setPort(0).setAcceptBacklog(4096);
    if (tls != null) {
      // Generous handshake timeout: 1000 handshakes queue on one event loop of a shared 2-core machine.
      o.setSsl(true).setKeyCertOptions(tls).setSslHandshakeTimeout(300).setSslHandshakeTimeoutUnit(TimeUnit.SECONDS);
    }
    server = vertx.createHttpServer(o).requestHandler(req -> req.body().onComplete(ar -> {
      if (ar.succeeded() && ar.result().length() == expectedBytes) {
        received.incrementAndGet();
        req.response().setStatusCode(202).putHeader("Content-Type", "application/json").end("{\"accepted\":true}");
      } else {
        req.response().setStatusCode(400).end("{\"error\":\"wrong body length\"}");
      }
    })).listen().await(30, TimeUnit.SECONDS);
    return server.actualPort();
  }

  @Override
  public List<Upload> prepare(HttpClient client, int port, int clients) {
    return uploads(clients);
  }

  /** One plain upload per client, no set-up: what the bare endpoints take. */
  static List<Upload> uploads(int clients) {
    List<Upload> out = new ArrayList<>(clients);
    for (int i = 0; i < clients; i++) {
      out.add(new Upload("/upload/" + i, MultiMap.caseInsensitiveMultiMap().add("Content-Type", "application/octet-stream")));
    }
    return out;
  }

  @Override
  public void verify(int clients) {
    if (received.get() != clients) {
      throw new IllegalStateException(name() + ": expected " + clients + " complete uploads, got " + received.get());
    }
  }

  @Override
  public void stop() throws Exception {
    server.close().await(30, TimeUnit.SECONDS);
  }
}
