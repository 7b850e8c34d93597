package org.hedgerow.simulations;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.hedgerow.aggregation.model.ModelSpec;
import org.hedgerow.edge.eval.Metrics;
import org.hedgerow.edge.eval.ModelRanker;
import org.hedgerow.edge.features.FeatureExtractor;
import org.hedgerow.edge.features.TrainingSet;
import org.hedgerow.edge.features.TrainingSetBuilder;
import org.hedgerow.edge.model.PreferenceModel;
import org.hedgerow.edge.task.Catalogue;
import org.hedgerow.edge.task.CustomerLog;
import org.hedgerow.edge.task.Holdout;
import org.hedgerow.simulations.partition.Partitioner;

/**
 * Developer tool, not a test: trains the centralized model of the default scenario epoch by epoch
 * and prints hr@10 / ndcg@10 after each, to compare feature schemas and training settings quickly.
 * Usage: {@code FeatureStudy HOME [EPOCHS [SCENARIO-JSON]]}.
 */
public final class FeatureStudy {
  public static void main(String[] args) {
    Path home = Path.of(args[0]);
    int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    Scenario s = Scenario.bundledDefault();
    if (args.length > 2) { // scenario keys as JSON, e.g. {"dropout": 0.2}
      try {
        s = s.with((com.fasterxml.jackson.databind.node.ObjectNode) new com.fasterxml.jackson.databind.ObjectMapper().readTree(args[2]),
            "study overrides");
      } catch (java.io.IOException e) {
        throw new IllegalArgumentException(e);
      }
    }
    FederationData data = FederationData.load(home.resolve(s.data()), Partitioner.parse(s.partition(), s.ukShops(), s.seed()),
        Holdout.parse(s.holdout()), Catalogue.load(home.resolve(s.catalogue())));
    List<CustomerLog> all = new ArrayList<>();
    data.silos().forEach(x -> all.addAll(x.customers()));
    FeatureExtractor fx = new FeatureExtractor(data.pooledStats(), s.coPurchase()
        ? org.hedgerow.edge.features.CoPurchase.of(all, data.catalogue().size()) : null);
    TrainingSet ts = new TrainingSetBuilder(s.targetsPerCustomer(), s.examplesPerKind()).build(all, fx, s.seed());
    ModelSpec spec = s.modelSpec();
    PreferenceModel m = new PreferenceModel(spec, s.seed());
    m.setParameters(spec.initialParameters(s.seed()));
    ModelRanker ranker = new ModelRanker(m, fx);
    System.out.printf("schema %s, %d examples%n", FeatureExtractor.SCHEMA.split(":")[0], ts.size());
    // Also the running average of the parameters from epoch AVG_FROM on (weight averaging, SWA-style).
    int avgFrom = Integer.getInteger("study.avgFrom", 4);
    PreferenceModel avg = new PreferenceModel(spec, s.seed());
    ModelRanker avgRanker = new ModelRanker(avg, fx);
    double[] sum = null;
    int averaged = 0;
    for (int e = 1; e <= epochs; e++) {
      double loss = m.fit(ts, 1, s.batchSize(), s.seed() + e);
      Metrics r = Evaluation.evaluate(data, x -> ranker).overall();
      System.out.printf("epoch %2d loss %.4f hr@10 %.4f ndcg@10 %.4f recall@10 %.4f rep %.4f expl %.4f%n", e, loss,
          r.hr10(), r.ndcg10(), r.recall10(), r.recall10Repeat(), r.recall10Explore());
      if (e >= avgFrom) {
        float[] p = m.parameters();
        if (sum == null) {
          sum = new double[p.length];
        }
        for (int k = 0; k < p.length; k++) {
          sum[k] += p[k];
        }
        averaged++;
        float[] a = new float[p.length];
        for (int k = 0; k < p.length; k++) {
          a[k] = (float) (sum[k] / averaged);
        }
        avg.setParameters(a);
        Metrics ra = Evaluation.evaluate(data, x -> avgRanker).overall();
        System.out.printf("  avg %d-%d hr@10 %.4f ndcg@10 %.4f recall@10 %.4f%n", avgFrom, e, ra.hr10(), ra.ndcg10(),
            ra.recall10());
      }
    }
  }
}
