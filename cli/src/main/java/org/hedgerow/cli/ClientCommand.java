package org.hedgerow.cli;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Semaphore;
import org.hedgerow.aggregation.model.ModelSpec;
import org.hedgerow.edge.client.CoordinatorClient;
import org.hedgerow.edge.client.EdgeClient;
import org.hedgerow.edge.data.RetailLogLoader;
import org.hedgerow.edge.eval.Evaluator;
import org.hedgerow.edge.eval.Metrics;
import org.hedgerow.edge.eval.ModelRanker;
import org.hedgerow.edge.features.FeatureExtractor;
import org.hedgerow.edge.features.ItemStats;
import org.hedgerow.edge.features.TrainingSet;
import org.hedgerow.edge.features.TrainingSetBuilder;
import org.hedgerow.edge.model.PreferenceModel;
import org.hedgerow.edge.task.Catalogue;
import org.hedgerow.edge.task.Holdout;
import org.hedgerow.edge.task.SiloData;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code hedgerow client}: one shop taking part in a federation, as its own process. */
@Command(name = "client", mixinStandardHelpOptions = true,
    description = "Join a federation as one silo: train on the local log each round and upload the update.")
public class ClientCommand implements Callable<Integer> {
  @Option(names = "--coordinator", required = true, description = "Coordinator URL, e.g. http://127.0.0.1:8443")
  URI coordinator;

  @Option(names = "--silo", required = true, description = "This silo's name.")
  String silo;

  @Option(names = "--data", required = true, description = "This silo's behaviour log (Online Retail CSV, may be .gz).")
  Path data;

  @Option(names = "--holdout", defaultValue = "last-invoice", description = "Local test split (default: ${DEFAULT-VALUE}).")
  String holdout;

  @Option(names = "--seed", defaultValue = "42", description = "Seed for example sampling and shuffling.")
  long seed;

  @Option(names = "--targets-per-customer", defaultValue = "8") int targetsPerCustomer;

  @Option(names = "--examples-per-kind", defaultValue = "16") int examplesPerKind;

  @Override
  public Integer call() throws Exception {
    Holdout h = Holdout.parse(holdout);
    RetailLogLoader.Result r = new RetailLogLoader().load(data);
    System.out.println(silo + ": " + r.report());
    var baskets = SiloData.basketsByCustomer(r.lines());
    Catalogue catalogue = new Catalogue(SiloData.trainingCodes(baskets, h));
    SiloData local = SiloData.build(silo, baskets, h, catalogue);
    FeatureExtractor fx = new FeatureExtractor(ItemStats.of(List.of(local), catalogue.size()));
    TrainingSet ts = new TrainingSetBuilder(targetsPerCustomer, examplesPerKind).build(local, fx, seed ^ silo.hashCode());
    System.out.printf("%s: %d customers, %,d training examples, %d test baskets%n", silo, local.customers().size(),
        ts.size(), local.testBaskets());
    CoordinatorClient cc = new CoordinatorClient(coordinator);
    var info = cc.getJson(org.hedgerow.aggregation.wire.Wire.MODEL);
    ModelSpec spec = specFrom(info);
    EdgeClient client = new EdgeClient(silo, cc, spec, ts, new Semaphore(1), seed ^ silo.hashCode());
    client.run();
    PreferenceModel m = new PreferenceModel(spec, seed);
    m.setParameters(cc.model(spec.parameterCount()).parameters());
    Metrics metrics = Evaluator.evaluate(local, new ModelRanker(m, fx)).metrics();
    System.out.printf("%s: %d rounds done; final global model on the local holdout: hr@10 %.4f, recall@10 %.4f, "
        + "ndcg@10 %.4f, auc %.4f (%d test baskets)%n", silo, client.roundsDone(), metrics.hr10(), metrics.recall10(),
        metrics.ndcg10(), metrics.auc(), metrics.baskets());
    return 0;
  }

  /** The coordinator's model spec; refused unless its feature schema is the one this client computes. */
  static ModelSpec specFrom(com.fasterxml.jackson.databind.JsonNode info) {
    var s = info.get("spec");
    List<Integer> layers = new java.util.ArrayList<>();
    s.get("layer_sizes").forEach(n -> layers.add(n.asInt()));
    ModelSpec spec = new ModelSpec(s.get("feature_schema").asText(), layers, s.get("hidden_activation").asText(),
        s.get("output_activation").asText(), s.get("dropout").asDouble(), s.get("loss").asText(),
        s.get("learning_rate").asDouble());
    if (!spec.featureSchema().equals(FeatureExtractor.SCHEMA)) {
      throw new IllegalArgumentException("the coordinator's model expects features '" + spec.featureSchema()
          + "', this client computes '" + FeatureExtractor.SCHEMA + "'");
    }
    if (!spec.hash().equals(info.get("spec_hash").asText())) {
      throw new IllegalStateException("model spec hash mismatch: coordinator says " + info.get("spec_hash").asText()
          + ", recomputed " + spec.hash());
    }
    return spec;
  }
}
