package org.hedgerow.benchmarks.load;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.hedgerow.aggregation.model.ModelSpec;
import org.hedgerow.aggregation.strategy.AggregatorSpec;
import org.hedgerow.aggregation.strategy.Aggregators;
import org.hedgerow.aggregation.strategy.FitConfig;
import org.hedgerow.aggregation.strategy.Strategy;
import org.hedgerow.aggregation.wire.ParameterCodec;
import org.hedgerow.coordinator.CoordinatorOptions;
import org.hedgerow.coordinator.Federation;
import org.hedgerow.coordinator.store.JdbcCoordinatorStore;
import org.hedgerow.coordinator.store.RoundClose;
import org.hedgerow.coordinator.store.StoreLocation;
import org.hedgerow.coordinator.store.Transition;

/**
 * What a round's close costs, without HTTP: N clients' 1 MiB updates are admitted and stored in the
 * coordinator's store (SQLite, {@code synchronous=FULL}, body file) in a chosen arrival order, then
 * the close is timed in its two parts: aggregation ({@code Federation.prepareClose}: for a streamed
 * rule whatever of the running sum was still waiting, for a robust rule every body read back) and
 * persistence ({@code closeRound}: new model, round record, next round, one commit, body file
 * deleted). Also reports the event-loop time spent in {@code accepted} (the running sum's share of
 * ingest). One JVM, one thread for the federation, as on the coordinator's event loop.
 *
 * <pre>
 * java -cp "benchmarks/target/classes:benchmarks/target/lib/*" org.hedgerow.benchmarks.load.CloseBench \
 *     [--clients 100,1000] [--aggregators fedavg,median] [--orders sorted,shuffled,reversed] [--dim 262144]
 * </pre>
 */
public final class CloseBench {
  private CloseBench() {}

  public static void main(String[] args) throws Exception {
    java.util.Map<String, String> a = new java.util.HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("expected --name value pairs. Provided value: " + args[i]);
      }
      a.put(args[i].substring(2), args[i + 1]);
    }
    int dim = Integer.parseInt(a.getOrDefault("dim", "262144"));
    ModelSpec spec = new ModelSpec("closebench", List.of(dim / 256 - 1, 256), "relu", "sigmoid", 0,
        "binary-cross-entropy", 1e-3);
    System.out.println("# closebench: " + dim + " float32 per update, load " + LoadBench.loadAverage());
    System.out.println("clients\taggregator\torder\taccepted_ms_total\taggregate_ms\tpersist_ms\tclose_ms");
    run(spec, 100, "fedavg", "shuffled", "# warm-up (JIT), not measured: ");
    for (String n : a.getOrDefault("clients", "100,1000").split(",")) {
      for (String agg : a.getOrDefault("aggregators", "fedavg,median").split(",")) {
        for (String order : a.getOrDefault("orders", "sorted,shuffled,reversed").split(",")) {
          run(spec, Integer.parseInt(n), agg, order, "");
          System.gc();
        }
      }
    }
  }

  private static void run(ModelSpec spec, int n, String aggregator, String order, String prefix) throws Exception {
    Path dir = Files.createTempDirectory("hedgerow-closebench-");
    Strategy strategy = Aggregators.create(AggregatorSpec.of(aggregator), new FitConfig(1, 32, 1));
    CoordinatorOptions options = CoordinatorOptions.of(spec, 1, n, 1);
    try (JdbcCoordinatorStore store = JdbcCoordinatorStore.open(StoreLocation.sqlite(dir.resolve("c.db")))) {
      Federation f = new Federation(options, strategy);
      f.readBodiesWith(store.updateBodies());
      store.open(f.identity(), f.model(), strategy.state());
      List<Federation.PendingJoin> joins = new ArrayList<>();
      List<CompletableFuture<Void>> joined = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        Federation.PendingJoin j = f.prepareRegister(String.format("silo-%05d", i), null, 1);
        joins.add(j);
        joined.add(store.join(j.participant(), j.credential()));
      }
      CompletableFuture.allOf(joined.toArray(CompletableFuture[]::new)).join();
      joins.forEach(f::joined);
      Transition t = f.dueTransition(2).orElseThrow();
      store.transition(t).join();
      f.apply(t);

      List<Federation.Client> clients = new ArrayList<>(f.participants());
      clients.sort(Comparator.comparing(Federation.Client::id));
      switch (order) {
        case "sorted" -> { }
        case "reversed" -> Collections.reverse(clients);
        case "shuffled" -> Collections.shuffle(clients, new Random(1));
        default -> throw new IllegalArgumentException("order must be sorted, shuffled or reversed. Provided value: " + order);
      }
      Random r = new Random(2);
      long acceptedNanos = 0;
      // In batches, as concurrent uploads share group commits; accepted in arrival order.
      for (int from = 0; from < n; from += 50) {
        List<Federation.PendingUpdate> batch = new ArrayList<>();
        List<CompletableFuture<Boolean>> saved = new ArrayList<>();
        for (Federation.Client c : clients.subList(from, Math.min(n, from + 50))) {
          float[] d = new float[spec.parameterCount()];
          for (int i = 0; i < d.length; i += 97) {
            d[i] = (float) r.nextGaussian();
          }
          Federation.PendingUpdate p = f.admit(c, 1, 0, spec.hash(), 1 + r.nextInt(100), ParameterCodec.encode(d), 0,
              Double.NaN, null, 3).pending();
          batch.add(p);
          saved.add(store.saveUpdate(p.stored()));
        }
        for (int k = 0; k < batch.size(); k++) {
          if (!saved.get(k).join()) {
            throw new IllegalStateException("update not stored");
          }
          long t0 = System.nanoTime();
          f.accepted(batch.get(k));
          acceptedNanos += System.nanoTime() - t0;
        }
      }
      long t0 = System.nanoTime();
      RoundClose close = f.prepareClose(4);
      long t1 = System.nanoTime();
      store.closeRound(close).join();
      long t2 = System.nanoTime();
      f.closed(close);
      System.out.printf(Locale.ROOT, "%s%d\t%s\t%s\t%.0f\t%.1f\t%.1f\t%.1f%n", prefix, n, aggregator, order, acceptedNanos / 1e6,
          (t1 - t0) / 1e6, (t2 - t1) / 1e6, (t2 - t0) / 1e6);
    } finally {
      try (var files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
