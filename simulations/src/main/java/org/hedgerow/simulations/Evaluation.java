package org.hedgerow.simulations;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.hedgerow.edge.eval.Evaluator;
import org.hedgerow.edge.eval.MetricSums;
import org.hedgerow.edge.eval.Ranker;
import org.hedgerow.edge.task.SiloData;

/** Runs the evaluator over every silo with the ranker each method gives that silo. */
public final class Evaluation {
  private Evaluation() {}

  public static MethodResult evaluate(FederationData data, Function<SiloData, Ranker> rankerFor) {
    MetricSums all = new MetricSums();
    Map<String, org.hedgerow.edge.eval.Metrics> perSilo = new LinkedHashMap<>();
    for (SiloData silo : data.silos()) {
      MetricSums s = Evaluator.evaluate(silo, rankerFor.apply(silo));
      all.add(s);
      perSilo.put(silo.name(), s.metrics());
    }
    return new MethodResult(all.metrics(), perSilo);
  }
}
