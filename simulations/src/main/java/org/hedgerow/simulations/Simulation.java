package org.hedgerow.simulations;

import io.vertx.core.Vertx;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.hedgerow.aggregation.model.ModelSpec;
import org.hedgerow.aggregation.strategy.FedAvg;
import org.hedgerow.aggregation.strategy.FitConfig;
import org.hedgerow.coordinator.CoordinatorOptions;
import org.hedgerow.coordinator.CoordinatorVerticle;
import org.hedgerow.coordinator.RoundRecord;
import org.hedgerow.edge.client.CoordinatorClient;
import org.hedgerow.edge.client.EdgeClient;
import org.hedgerow.edge.eval.ModelRanker;
import org.hedgerow.edge.eval.PopularityRanker;
import org.hedgerow.edge.eval.RepeatRanker;
import org.hedgerow.edge.features.FeatureExtractor;
import org.hedgerow.edge.features.ItemStats;
import org.hedgerow.edge.features.TrainingSet;
import org.hedgerow.edge.features.TrainingSetBuilder;
import org.hedgerow.edge.model.PreferenceModel;
import org.hedgerow.edge.task.CustomerLog;
import org.hedgerow.edge.task.SiloData;

/**
 * A whole simulated federation on one machine: a Vert.x coordinator on 127.0.0.1, one edge client
 * per silo talking real HTTP to it, and the baselines every federated number is compared with.
 *
 * <p>Reproducibility: every random choice (initial model, example sampling, shuffling, dropout)
 * derives from the scenario's seed, aggregation sums clients in id order, and DL4J runs one
 * OpenMP thread per worker, so the same seed and scenario give the same metrics.
 */
public final class Simulation {
  private final Scenario scenario;
  private final PrintStream out;

  public Simulation(Scenario scenario, PrintStream out) {
    this.scenario = scenario;
    this.out = out;
  }

  /** Silo-local view: the features a silo can compute from its own data alone. */
  record Silo(SiloData data, FeatureExtractor features, TrainingSet examples) {}

  public SimulationResult run(FederationData data) throws Exception {
    long t0 = System.nanoTime();
    ModelSpec spec = modelSpec();

    // Each silo builds its features and examples from its own data only.
    List<Silo> silos = new ArrayList<>();
    for (SiloData s : data.silos()) {
      FeatureExtractor fx = new FeatureExtractor(ItemStats.of(List.of(s), data.catalogue().size()));
      TrainingSet ts = builder().build(s, fx, scenario.seed() ^ s.name().hashCode());
      silos.add(new Silo(s, fx, ts));
    }
    List<Silo> training = silos.stream().filter(s -> s.examples().size() > 0).toList();
    out.printf("%d silos (%d with training examples), %,d training examples, catalogue %,d products%n", silos.size(),
        training.size(), training.stream().mapToLong(s -> s.examples().size()).sum(), data.catalogue().size());

    Map<String, MethodResult> methods = new LinkedHashMap<>();
    long te = System.nanoTime();
    methods.put("popularity", Evaluation.evaluate(data, s -> new PopularityRanker(data.pooledStats())));
    methods.put("repeat", Evaluation.evaluate(data, s -> new RepeatRanker(data.pooledStats())));
    double evalSeconds = (System.nanoTime() - te) / 1e9;

    FederatedOutcome fed = federated(data, spec, silos, training);
    methods.put("federated", fed.result());
    evalSeconds += fed.evaluationSeconds();

    long tb = System.nanoTime();
    out.println("baselines: centralized and local-only (same epochs as the federation: "
        + scenario.rounds() * scenario.localEpochs() + ")");
    ExecutorService pool = Executors.newFixedThreadPool(scenario.workers());
    try {
      Future<MethodResult> central = pool.submit(() -> centralized(data, spec));
      Future<MethodResult> local = pool.submit(() -> localOnly(data, spec, silos));
      methods.put("local-only", local.get());
      methods.put("centralized", central.get());
    } finally {
      pool.shutdownNow();
    }
    double baselineSeconds = (System.nanoTime() - tb) / 1e9;

    Map<String, MethodResult> ordered = new LinkedHashMap<>();
    for (String k : List.of("popularity", "repeat", "local-only", "centralized", "federated")) {
      ordered.put(k, methods.get(k));
    }
    return new SimulationResult(scenario, data, silos.stream().map(s -> new SimulationResult.SiloInfo(
        s.data().name(), s.data().customers().size(), s.examples().size(), s.data().testBaskets())).toList(),
        ordered, fed.rounds(), (System.nanoTime() - t0) / 1e9, fed.trainingSeconds(), fed.aggregationSeconds(),
        fed.wallSeconds(), baselineSeconds, evalSeconds);
  }

  ModelSpec modelSpec() {
    List<Integer> layers = new ArrayList<>();
    layers.add(FeatureExtractor.FEATURES);
    layers.addAll(scenario.hidden());
    layers.add(1);
    return new ModelSpec(FeatureExtractor.SCHEMA, layers, "relu", "sigmoid", scenario.dropout(),
        "binary-cross-entropy", scenario.learningRate());
  }

  private TrainingSetBuilder builder() {
    return new TrainingSetBuilder(scenario.targetsPerCustomer(), scenario.examplesPerKind());
  }

  record FederatedOutcome(MethodResult result, List<RoundRow> rounds, double trainingSeconds, double aggregationSeconds,
      double wallSeconds, double evaluationSeconds) {}

  private FederatedOutcome federated(FederationData data, ModelSpec spec, List<Silo> silos, List<Silo> training)
      throws Exception {
    long t0 = System.nanoTime();
    FitConfig fit = new FitConfig(scenario.localEpochs(), scenario.batchSize(), scenario.seed());
    CoordinatorOptions options = CoordinatorOptions.of(spec, scenario.rounds(), training.size(), fit, scenario.seed());
    CoordinatorVerticle coordinator = new CoordinatorVerticle(options, new FedAvg(fit));
    LinkedBlockingQueue<Object[]> closed = new LinkedBlockingQueue<>();
    coordinator.onRoundClosed((rec, model) -> closed.add(new Object[] {rec, model.clone()}));
    Vertx vertx = Vertx.vertx();
    ExecutorService clients = Executors.newFixedThreadPool(training.size());
    try {
      vertx.deployVerticle(coordinator).await(30, TimeUnit.SECONDS);
      URI uri = URI.create("http://127.0.0.1:" + coordinator.port());
      out.printf("federated: coordinator on %s, %d clients, %d rounds%n", uri, training.size(), scenario.rounds());
      Semaphore slots = new Semaphore(scenario.workers());
      List<Future<?>> running = new ArrayList<>();
      for (Silo s : training) {
        EdgeClient c = new EdgeClient(s.data().name(), new CoordinatorClient(uri), spec, s.examples(), slots,
            scenario.seed() ^ s.data().name().hashCode());
        running.add(clients.submit(() -> {
          c.run();
          return null;
        }));
      }
      List<RoundRow> rows = new ArrayList<>();
      double trainSeconds = 0;
      double aggSeconds = 0;
      double evalSeconds = 0;
      MethodResult last = null;
      PreferenceModel evalModel = new PreferenceModel(spec, scenario.seed());
      try (ProgressBar bar = new ProgressBarBuilder().setTaskName("federated").setInitialMax(scenario.rounds())
          .setStyle(ProgressBarStyle.ASCII).setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(out))
          .setUpdateIntervalMillis(500).setMaxRenderedLength(140).build()) {
        bar.setExtraMessage("round 1, waiting for clients");
        while (rows.size() < scenario.rounds()) {
          Object[] next = closed.poll(1, TimeUnit.SECONDS);
          for (Future<?> f : running) {
            if (f.isDone()) {
              f.get(); // surfaces a client's failure instead of waiting forever
            }
          }
          if (next == null) {
            continue;
          }
          RoundRecord rec = (RoundRecord) next[0];
          long te = System.nanoTime();
          evalModel.setParameters((float[]) next[1]);
          last = Evaluation.evaluate(data, siloData -> new ModelRanker(evalModel, featuresOf(silos, siloData)));
          evalSeconds += (System.nanoTime() - te) / 1e9;
          rows.add(new RoundRow(rec.round(), last.overall().hr10(), rec.trainLoss(), rec.clients(), rec.bytesUp(),
              rec.bytesDown(), rec.seconds()));
          trainSeconds += rec.clientTrainSeconds();
          aggSeconds += rec.aggregationSeconds();
          bar.stepTo(rec.round());
          bar.setExtraMessage(String.format("round %d: %d/%d clients, hr@10 %.4f, loss %.4f ", rec.round(),
              rec.clients(), training.size(), last.overall().hr10(), rec.trainLoss()));
        }
      }
      for (Future<?> f : running) {
        f.get(60, TimeUnit.SECONDS);
      }
      return new FederatedOutcome(last, rows, trainSeconds, aggSeconds, (System.nanoTime() - t0) / 1e9, evalSeconds);
    } finally {
      clients.shutdownNow();
      vertx.close().await(30, TimeUnit.SECONDS);
    }
  }

  private static FeatureExtractor featuresOf(List<Silo> silos, SiloData s) {
    for (Silo x : silos) {
      if (x.data() == s) {
        return x.features();
      }
    }
    throw new IllegalStateException("unknown silo " + s.name());
  }

  /** One model on everyone's pooled examples and pooled statistics: the non-private ceiling. */
  private MethodResult centralized(FederationData data, ModelSpec spec) {
    FeatureExtractor fx = new FeatureExtractor(data.pooledStats());
    List<CustomerLog> all = new ArrayList<>();
    data.silos().forEach(s -> all.addAll(s.customers()));
    TrainingSet ts = builder().build(all, fx, scenario.seed());
    PreferenceModel m = new PreferenceModel(spec, scenario.seed());
    m.setParameters(spec.initialParameters(scenario.seed()));
    m.fit(ts, scenario.rounds() * scenario.localEpochs(), scenario.batchSize(), scenario.seed());
    out.println("  centralized done");
    return Evaluation.evaluate(data, s -> new ModelRanker(m, fx));
  }

  /** Each silo alone, from the same start, for as many epochs as the federation ran. */
  private MethodResult localOnly(FederationData data, ModelSpec spec, List<Silo> silos) {
    Map<SiloData, ModelRanker> rankers = new LinkedHashMap<>();
    for (Silo s : silos) {
      PreferenceModel m = new PreferenceModel(spec, scenario.seed());
      m.setParameters(spec.initialParameters(scenario.seed()));
      if (s.examples().size() > 0) {
        m.fit(s.examples(), scenario.rounds() * scenario.localEpochs(), scenario.batchSize(),
            scenario.seed() ^ s.data().name().hashCode());
      }
      rankers.put(s.data(), new ModelRanker(m, s.features()));
    }
    out.println("  local-only done");
    return Evaluation.evaluate(data, rankers::get);
  }
}
