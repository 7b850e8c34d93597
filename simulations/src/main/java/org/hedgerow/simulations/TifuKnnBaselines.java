package org.hedgerow.simulations;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hedgerow.edge.eval.TifuKnn;
import org.hedgerow.edge.eval.TifuKnnRanker;
import org.hedgerow.edge.eval.TifuKnnSettings;
import org.hedgerow.edge.features.ItemStats;
import org.hedgerow.edge.task.CustomerLog;
import org.hedgerow.edge.task.SiloData;

/**
 * The TIFU-KNN baselines: {@code tifu-knn} tuned and run on every silo's customers pooled (like
 * {@code centralized}, not private), {@code tifu-knn-local} tuned and run inside each silo alone.
 * Hyper-parameters come from {@link TifuKnn#tune} on validation baskets cut from the training data.
 */
final class TifuKnnBaselines {
  private TifuKnnBaselines() {}

  static MethodResult pooled(FederationData data, List<TifuKnnSettings> grid, PrintStream out) {
    List<CustomerLog> all = new ArrayList<>();
    data.silos().forEach(s -> all.addAll(s.customers()));
    float[] popularity = buyers(data.pooledStats());
    TifuKnn.Tuned t = TifuKnn.tune(all, data.catalogue().size(), popularity, grid);
    out.printf("tifu-knn: %s (validation ndcg@10 %.4f, hr@10 %.4f over %d baskets, %d settings tried)%n",
        t.settings(), t.validationNdcg10(), t.validationHr10(), t.validationBaskets(), t.settingsTried());
    TifuKnnRanker ranker = new TifuKnnRanker(t.settings(), all, popularity);
    return Evaluation.evaluate(data, s -> ranker);
  }

  static MethodResult local(FederationData data, List<TifuKnnSettings> grid, PrintStream out) {
    Map<SiloData, TifuKnnRanker> rankers = new LinkedHashMap<>();
    for (SiloData s : data.silos()) {
      float[] popularity = buyers(ItemStats.of(List.of(s), data.catalogue().size()));
      TifuKnn.Tuned t = TifuKnn.tune(s.customers(), data.catalogue().size(), popularity, grid);
      out.printf("tifu-knn-local %s: %s (validation ndcg@10 %.4f over %d baskets)%n", s.name(), t.settings(),
          t.validationNdcg10(), t.validationBaskets());
      rankers.put(s, new TifuKnnRanker(t.settings(), s.customers(), popularity));
    }
    return Evaluation.evaluate(data, rankers::get);
  }

  private static float[] buyers(ItemStats stats) {
    float[] p = new float[stats.size()];
    for (int i = 0; i < p.length; i++) {
      p[i] = stats.customers(i);
    }
    return p;
  }
}
