package org.hedgerow.cli.bench;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.hedgerow.cli.LogFormatOptions;
import org.hedgerow.edge.data.EventLogLoader;
import org.hedgerow.edge.data.EventWeights;
import org.hedgerow.edge.data.LogFormat;
import org.hedgerow.edge.data.PurchaseLine;
import org.hedgerow.edge.serve.Recommender;
import org.hedgerow.edge.serve.ServeOptions;
import org.hedgerow.edge.serve.ServeStore;
import org.hedgerow.edge.serve.ServeVerticle;
import org.hedgerow.edge.serve.ServingModel;
import org.hedgerow.edge.serve.SlatePolicy;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code hedgerow bench serve}: p50/p99 of recommendations against a bare Vert.x endpoint, same run. */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = "Latency of GET /v1/recommendations at several client concurrencies against a bare Vert.x "
        + "endpoint in the same process and run (closed loop; phases alternate).")
public final class ServeBenchCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--data", required = true, description = "The silo's log.") Path data;

  @Mixin LogFormatOptions format;

  @Option(names = "--model", description = "A global model file; default: the repeat baseline.") Path model;

  @Option(names = "--concurrency", split = ",", defaultValue = "1,16,64",
      description = "Concurrent clients per phase (default: ${DEFAULT-VALUE}).")
  List<Integer> concurrency;

  @Option(names = "--seconds", defaultValue = "10", description = "Measured seconds per phase (default: ${DEFAULT-VALUE}).")
  double seconds;

  @Option(names = "--warmup", defaultValue = "2", description = "Unmeasured seconds before each phase.") double warmup;

  @Option(names = "--rounds", defaultValue = "2", description = "Serve/bare pairs per concurrency (default: ${DEFAULT-VALUE}).")
  int rounds;

  @Option(names = "--unknown-share", defaultValue = "0.1",
      description = "Share of requests for customers the silo does not know (default: ${DEFAULT-VALUE}).")
  double unknownShare;

  @Option(names = "--epsilon", defaultValue = "" + SlatePolicy.DEFAULT_EPSILON) double epsilon;

  @Option(names = "--jit-warmup-seconds", defaultValue = "20", description = "Unmeasured load on both endpoints "
      + "before any phase, so the JIT has compiled both paths (default: ${DEFAULT-VALUE}).")
  double jitWarmup;

  @Override
  public Integer call() throws Exception {
    LogFormat logFormat = format.logFormat();
    ServingModel m = model == null ? null : ServingModel.read(model);
    List<PurchaseLine> log = logFormat.load(data).lines();
    int[] customers = new TreeSet<>(log.stream().map(PurchaseLine::customerId).toList()).stream()
        .mapToInt(Integer::intValue).toArray();
    Path dir = Files.createTempDirectory("hedgerow-bench-serve");
    Vertx server = Vertx.vertx();
    Vertx clients = Vertx.vertx();
    try (ServeStore store = ServeStore.open(dir.resolve("serve.db"))) {
      Recommender r = new Recommender(log, store, m, null, new SlatePolicy(epsilon, SlatePolicy.DEFAULT_NEIGHBOUR_WEIGHT));
      ServeVerticle v = new ServeVerticle(r, logFormat instanceof EventLogLoader e ? e.weights() : EventWeights.DEFAULT,
          ServeOptions.http("127.0.0.1", 0, null));
      server.deployVerticle(v).await(60, TimeUnit.SECONDS);
      // The bare endpoint's constant body: one real answer, so both send the same number of bytes.
      io.vertx.core.json.JsonArray items = new io.vertx.core.json.JsonArray();
      r.recommend(customers[0], 10, new java.util.SplittableRandom(1)).items().forEach(i -> items.add(
          new io.vertx.core.json.JsonObject().put("item", i.item()).put("score", i.score()).put("reason", i.reason().key())));
      Buffer body = Buffer.buffer(new io.vertx.core.json.JsonObject().put("customer", Integer.toString(customers[0]))
          .put("model_version", r.snapshot().modelVersion()).put("personal", true).put("items", items).encode());
      HttpServer bare = ServeLatencyBench.bare(server, body);
      System.out.printf("serving %d customers, %d products, model %s, epsilon %s; bare endpoint body %d bytes%n",
          r.customers(), r.snapshot().catalogue().size(), r.snapshot().modelVersion(), epsilon, body.length());
      java.util.function.Function<java.util.SplittableRandom, String> path = rnd -> "/v1/recommendations/"
          + (rnd.nextDouble() < unknownShare ? 1 + rnd.nextInt(999) : customers[rnd.nextInt(customers.length)]);
      for (int port : new int[] {v.port(), bare.actualPort()}) {
        ServeLatencyBench.run(clients, "warmup", port, 16, 0, jitWarmup / 2, path, 0);
      }
      System.out.printf("%-7s %-8s %10s %8s %9s %9s%n", "target", "clients", "requests", "req/s", "p50 ms", "p99 ms");
      List<ServeLatencyBench.Phase> phases = new ArrayList<>();
      long seed = 1;
      for (int c : concurrency) {
        for (int round = 0; round < rounds; round++) {
          boolean serveFirst = round % 2 == 0;
          for (int k = 0; k < 2; k++) {
            boolean isServe = (k == 0) == serveFirst;
            ServeLatencyBench.Phase p = ServeLatencyBench.run(clients, isServe ? "serve" : "bare",
                isServe ? v.port() : bare.actualPort(), c, warmup, seconds, path, seed++);
            phases.add(p);
            System.out.printf(Locale.ROOT, "%-7s %-8d %10d %8.0f %9.3f %9.3f%s%n", p.target(), p.clients(), p.requests(),
                p.throughput(), p.p50Millis(), p.p99Millis(), p.errors() > 0 ? "  (" + p.errors() + " errors)" : "");
          }
        }
      }
      System.out.println("summary (median over rounds of each phase's p50/p99):");
      for (int c : concurrency) {
        double[] s = medians(phases, "serve", c);
        double[] b = medians(phases, "bare", c);
        System.out.printf(Locale.ROOT, "clients %-3d serve p50 %.3f ms p99 %.3f ms | bare p50 %.3f ms p99 %.3f ms | "
            + "p99 ratio %.2f%n", c, s[0], s[1], b[0], b[1], s[1] / b[1]);
      }
    } finally {
      clients.close().await(20, TimeUnit.SECONDS);
      server.close().await(20, TimeUnit.SECONDS);
    }
    return 0;
  }

  private static double[] medians(List<ServeLatencyBench.Phase> phases, String target, int clients) {
    double[] p50 = phases.stream().filter(p -> p.target().equals(target) && p.clients() == clients)
        .mapToDouble(ServeLatencyBench.Phase::p50Millis).sorted().toArray();
    double[] p99 = phases.stream().filter(p -> p.target().equals(target) && p.clients() == clients)
        .mapToDouble(ServeLatencyBench.Phase::p99Millis).sorted().toArray();
    return new double[] {median(p50), median(p99)};
  }

  private static double median(double[] v) {
    return v.length == 0 ? Double.NaN : v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }
}
