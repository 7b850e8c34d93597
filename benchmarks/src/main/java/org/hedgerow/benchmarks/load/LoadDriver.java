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

  /**
   * Most distinct per-request TLS identities one HttpClient serves: Vert.x keeps the SSL contexts of
   * a client in an LRU cache of 256, and a wave must not rebuild evicted ones.
   */
  static final int IDENTITIES_PER_CLIENT = 200;

  /**
   * Fresh clients for a wave of {@code uploads}: one, or for uploads that carry their own TLS
   * identity (mutual TLS) enough that each serves at most {@link #IDENTITIES_PER_CLIENT}.
   */
  public List<HttpClient> clientsFor(boolean tls, List<Upload> uploads) {
    boolean ownIdentities = uploads.stream().anyMatch(u -> u.ssl() != null);
    int count = ownIdentities ? (uploads.size() + IDENTITIES_PER_CLIENT - 1) / IDENTITIES_PER_CLIENT : 1;
    List<HttpClient> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      out.add(client(tls, uploads.size()));
    }
    return out;
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

  private java.util.Map<Long, Long> threadCpuTimes() {
    java.util.Map<Long, Long> m = new java.util.HashMap<>();
    for (long id : threads.getAllThreadIds()) {
      long t = threads.getThreadCpuTime(id);
      if (t >= 0) {
        m.put(id, t);
      }
    }
    return m;
  }

  /** Sends every upload at once and waits for all responses; fails if any is not 2xx. */
  public WaveResult wave(String target, List<HttpClient> clients, int port, List<Upload> uploads, Buffer body)
      throws Exception {
    int n = uploads.size();
    double[] latencies = new double[n];
    List<Future<Integer>> done = new ArrayList<>(n);
    long serverCpu0 = threads.getThreadCpuTime(serverThread);
    long clientCpu0 = threads.getThreadCpuTime(clientThread);
    long processCpu0 = os.getProcessCpuTime();
    java.util.Map<Long, Long> threadCpu0 = threadCpuTimes();
    long t0 = System.nanoTime();
    CompletableFuture<Void> sent = new CompletableFuture<>();
    // Issue the requests from the driver's event loop so that the calling thread adds no CPU of its own.
    clientVertx.runOnContext(v -> {
      for (int i = 0; i < n; i++) {
        int k = i;
        Upload u = uploads.get(i);
        long start = System.nanoTime();
        RequestOptions ro = new RequestOptions().setMethod(HttpMethod.PUT).setHost("127.0.0.1").setPort(port)
            .setURI(u.uri()).setHeaders(u.headers()).setIdleTimeout(300_000);
        if (u.ssl() != null) {
          ro.setSslOptions(u.ssl());
        }
        // Upload i always goes through the same client, so each client's SSL context cache holds its identities.
        done.add(clients.get(i % clients.size()).request(ro)
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
    double writerCpu = 0;
    double workerCpu = 0;
    double javaCpu = 0;
    for (java.util.Map.Entry<Long, Long> e : threadCpuTimes().entrySet()) {
      double d = (e.getValue() - threadCpu0.getOrDefault(e.getKey(), 0L)) / 1e9;
      javaCpu += d;
      java.lang.management.ThreadInfo info = threads.getThreadInfo(e.getKey());
      if (info != null && info.getThreadName().startsWith("hedgerow-store-")) {
        writerCpu += d;
      } else if (info != null && info.getThreadName().startsWith("vert.x-worker-thread-")) {
        workerCpu += d;
      }
    }
    // What no Java thread accounts for: GC, JIT and other VM threads (threads that ended mid-wave are lost).
    double vmCpu = Math.max(0, processCpu - javaCpu);
    return new WaveResult(target, n, body.length(), WaveResult.sorted(latencies), wall, serverCpu, clientCpu, processCpu,
        writerCpu, workerCpu, vmCpu);
  }
}
