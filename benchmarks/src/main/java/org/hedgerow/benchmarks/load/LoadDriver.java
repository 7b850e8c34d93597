package org.hedgerow.benchmarks.load;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Fires one wave of concurrent uploads with a Vert.x HttpClient on its own single event loop
 * (bounded pool: at most {@code maxConnections}), and measures latency, wall time and the CPU of the
 * server's and the driver's event-loop threads.
 */
public final class LoadDriver {
  private final Vertx clientVertx;
  private final long serverThread;
  private final long clientThread;
  private final int maxConnections;
  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final com.sun.management.OperatingSystemMXBean os =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  /**
   * @param clientVertx the driver's Vert.x, with one event loop
   * @param serverThread id of the server Vert.x's single event-loop thread
   * @param clientThread id of the driver's event-loop thread
   */
  public LoadDriver(Vertx clientVertx, long serverThread, long clientThread, int maxConnections) {
    this.clientVertx = clientVertx;
    this.serverThread = serverThread;
    this.clientThread = clientThread;
    this.maxConnections = maxConnections;
  }

  /** A fresh client (fresh connections) with a pool of at most {@code min(clients, maxConnections)} connections. */
  public HttpClient client(boolean tls, int clients) {
    HttpClientOptions o = new HttpClientOptions().setKeepAlive(true).setIdleTimeout(300)
        .setIdleTimeoutUnit(TimeUnit.SECONDS).setConnectTimeout(60_000);
    if (tls) {
      o.setSsl(true).setTrustAll(true).setVerifyHost(false) // a throwaway self-signed certificate on loopback
          .setSslHandshakeTimeout(300).setSslHandshakeTimeoutUnit(TimeUnit.SECONDS);
    }
    return clientVertx.createHttpClient(o, new PoolOptions().setHttp1MaxSize(Math.min(clients, maxConnections)));
  }

  /** Sends every upload at once and waits for all responses; fails if any is not 2xx. */
  public WaveResult wave(String target, HttpClient client, int port, List<Upload> uploads, Buffer body) throws Exception {
    int n = uploads.size();
    double[] latencies = new double[n];
    List<Future<Integer>> done = new ArrayList<>(n);
    long serverCpu0 = threads.getThreadCpuTime(serverThread);
    long clientCpu0 = threads.getThreadCpuTime(clientThread);
    long processCpu0 = os.getProcessCpuTime();
    long t0 = System.nanoTime();
    CompletableFuture<Void> sent = new CompletableFuture<>();
    // Issue the requests from the driver's event loop so that the calling thread adds no CPU of its own.
    clientVertx.runOnContext(v -> {
      for (int i = 0; i < n; i++) {
        int k = i;
        Upload u = uploads.get(i);
        long start = System.nanoTime();
        done.add(client.request(new RequestOptions().setMethod(HttpMethod.PUT).setHost("127.0.0.1").setPort(port)
                .setURI(u.uri()).setHeaders(u.headers()).setIdleTimeout(300_000))
            .compose(req -> req.send(body))
            .compose(resp -> resp.body().map(b -> {
              latencies[k] = (System.nanoTime() - start) / 1e6;
              if (resp.statusCode() / 100 != 2) {
                throw new IllegalStateException(target + ": upload " + k + " refused: " + resp.statusCode() + " " + b);
              }
              return resp.statusCode();
            })));
      }
      sent.complete(null);
    });
    sent.get(60, TimeUnit.SECONDS);
    Future.all(done).await(600, TimeUnit.SECONDS);
    double wall = (System.nanoTime() - t0) / 1e9;
    double serverCpu = (threads.getThreadCpuTime(serverThread) - serverCpu0) / 1e9;
    double clientCpu = (threads.getThreadCpuTime(clientThread) - clientCpu0) / 1e9;
    double processCpu = (os.getProcessCpuTime() - processCpu0) / 1e9;
    return new WaveResult(target, n, body.length(), WaveResult.sorted(latencies), wall, serverCpu, clientCpu, processCpu);
  }
}
