package org.hedgerow.cli.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Closed-loop latency of {@code GET /v1/recommendations/{customer}} against a bare Vert.x endpoint in
 * the same process and run: {@code c} clients each send their next request when the previous answer
 * arrives, for a fixed time per phase, phases alternating serve / bare so that both meet the same
 * machine load. The bare endpoint answers every request with a constant body of the serving answer's
 * typical size, so the difference is what serving itself costs (routing, auth, ranking, JSON), not HTTP.
 */
final class ServeLatencyBench {
  /** One measured phase. */
  record Phase(String target, int clients, long requests, long errors, double seconds, double p50Millis,
      double p99Millis) {
    double throughput() {
      return requests / seconds;
    }
  }

  private ServeLatencyBench() {}

  /** A bare endpoint: constant {@code body} for any request. */
  static HttpServer bare(Vertx vertx, Buffer body) throws Exception {
    return vertx.createHttpServer().requestHandler(r -> r.response().putHeader("content-type", "application/json")
        .end(body)).listen(0, "127.0.0.1").await(20, TimeUnit.SECONDS);
  }

  /**
   * Runs {@code clients} closed loops against {@code port} for {@code seconds} after {@code warmup}
   * seconds, requesting {@code path(rnd)}.
   */
  static Phase run(Vertx clientVertx, String target, int port, int clients, double warmup, double seconds,
      java.util.function.Function<SplittableRandom, String> path, long seed) throws Exception {
    io.vertx.core.http.HttpClient http = clientVertx.createHttpClient(new HttpClientOptions()
        .setDefaultHost("127.0.0.1").setDefaultPort(port).setKeepAlive(true), new io.vertx.core.http.PoolOptions()
        .setHttp1MaxSize(clients));
    long start = System.nanoTime();
    long measureFrom = start + (long) (warmup * 1e9);
    long end = measureFrom + (long) (seconds * 1e9);
    List<long[]> perClient = new ArrayList<>();
    long[] errors = new long[1];
    List<Future<Void>> done = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      long[][] box = {new long[1 << 14]};
      int[] n = {0};
      SplittableRandom rnd = new SplittableRandom(seed + c);
      Promise<Void> finished = Promise.promise();
      done.add(finished.future());
      Runnable[] loop = new Runnable[1];
      loop[0] = () -> {
        long t0 = System.nanoTime();
        if (t0 >= end) {
          synchronized (perClient) {
            perClient.add(Arrays.copyOf(box[0], n[0]));
          }
          finished.complete();
          return;
        }
        http.request(HttpMethod.GET, path.apply(rnd)).compose(req -> req.send().compose(resp -> resp.body()
            .map(b -> resp.statusCode()))).onComplete(ar -> {
              long t1 = System.nanoTime();
              if (t0 >= measureFrom) {
                if (ar.failed() || ar.result() != 200) {
                  synchronized (errors) {
                    errors[0]++;
                  }
                } else {
                  if (n[0] == box[0].length) {
                    box[0] = Arrays.copyOf(box[0], box[0].length * 2);
                  }
                  box[0][n[0]++] = t1 - t0;
                }
              }
              loop[0].run();
            });
      };
      clientVertx.runOnContext(v -> loop[0].run());
    }
    Future.all(done).await((long) (warmup + seconds + 60), TimeUnit.SECONDS);
    http.close().await(20, TimeUnit.SECONDS);
    long total = perClient.stream().mapToLong(a -> a.length).sum();
    long[] all = new long[(int) total];
    int k = 0;
    for (long[] a : perClient) {
      System.arraycopy(a, 0, all, k, a.length);
      k += a.length;
    }
    Arrays.sort(all);
    return new Phase(target, clients, total, errors[0], seconds, quantile(all, 0.50) / 1e6, quantile(all, 0.99) / 1e6);
  }

  /** The nearest-rank quantile of sorted values (NaN if none). */
  static double quantile(long[] sorted, double q) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int rank = (int) Math.ceil(q * sorted.length);
    return sorted[Math.max(0, rank - 1)];
  }
}
