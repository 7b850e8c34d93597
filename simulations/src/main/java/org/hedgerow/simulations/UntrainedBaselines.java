package org.hedgerow.simulations;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import org.hedgerow.edge.eval.PopularityRanker;
import org.hedgerow.edge.eval.RepeatRanker;
import org.hedgerow.edge.eval.TifuKnnSettings;

/**
 * The baselines that train no network: {@code popularity}, {@code repeat}, {@code tifu-knn} and
 * {@code tifu-knn-local}, computed on a thread of their own while the federation trains.
 *
 * <p>Why: they are plain Java and parts of them (the rankers' evaluation, the small silos' tuning) use
 * one core, and each federated round ends waiting for its slowest silo; run one after the other, both
 * left a core idle. They read the data only, and every figure is computed exactly as before. What
 * they print is kept and printed by {@link #join} (the federation's progress bar owns the console
 * meanwhile).
 */
final class UntrainedBaselines {
  private final FutureTask<Map<String, MethodResult>> task;
  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
  private volatile double seconds;

  private UntrainedBaselines(FederationData data) {
    PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
    task = new FutureTask<>(() -> {
      long t0 = System.nanoTime();
      Map<String, MethodResult> methods = new LinkedHashMap<>();
      methods.put("popularity", Evaluation.evaluate(data, s -> new PopularityRanker(data.pooledStats())));
      methods.put("repeat", Evaluation.evaluate(data, s -> new RepeatRanker(data.pooledStats())));
      methods.put("tifu-knn", TifuKnnBaselines.pooled(data, TifuKnnSettings.defaultGrid(), out));
      methods.put("tifu-knn-local", TifuKnnBaselines.local(data, TifuKnnSettings.defaultGrid(), out));
      seconds = (System.nanoTime() - t0) / 1e9;
      return methods;
    });
  }

  /** Starts computing them on a new daemon thread. */
  static UntrainedBaselines start(FederationData data) {
    UntrainedBaselines b = new UntrainedBaselines(data);
    Thread t = new Thread(b.task, "untrained-baselines");
    t.setDaemon(true);
    t.start();
    return b;
  }

  /** Waits for them, prints what they printed to {@code out}, and returns them by method name, in order. */
  Map<String, MethodResult> join(PrintStream out) throws Exception {
    try {
      Map<String, MethodResult> methods = task.get();
      out.print(printed.toString(StandardCharsets.UTF_8));
      return methods;
    } catch (ExecutionException e) {
      out.print(printed.toString(StandardCharsets.UTF_8));
      throw e.getCause() instanceof Exception x ? x : e;
    }
  }

  /** Their own wall time (evaluation and TIFU-KNN tuning), once joined. */
  double seconds() {
    return seconds;
  }
}
