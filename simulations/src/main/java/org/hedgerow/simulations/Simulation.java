package org.hedgerow.simulations;

import io.vertx.core.Vertx;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
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
import org.hedgerow.aggregation.wire.ModelInfo;
import org.hedgerow.aggregation.wire.RoundSummary;
import org.hedgerow.aggregation.wire.StatusReport;
import org.hedgerow.coordinator.Federation;
import org.hedgerow.privacy.budget.Spend;
import org.hedgerow.edge.dp.DpConfig;
import org.hedgerow.edge.dp.InMemorySpendLog;
import org.hedgerow.edge.dp.SiloPrivacy;
import org.hedgerow.edge.silo.PreparedSilo;
import org.hedgerow.edge.silo.SiloSettings;
import org.hedgerow.edge.silo.Silos;
import org.hedgerow.privacy.accounting.NoiseCalibration;
import org.hedgerow.privacy.noise.NoiseSource;
import org.hedgerow.coordinator.CoordinatorOptions;
import org.hedgerow.coordinator.service.CoordinatorVerticle;
import org.hedgerow.coordinator.assembly.CoordinatorBuilder;
import org.hedgerow.coordinator.assembly.FederationConfig;
import org.hedgerow.coordinator.store.RoundRecord;
import org.hedgerow.edge.client.CoordinatorClient;
import org.hedgerow.edge.client.EdgeClient;
import org.hedgerow.edge.eval.ExploreSlotsRanker;
import org.hedgerow.edge.eval.NewProductScorer;
import org.hedgerow.edge.eval.ModelRanker;
import org.hedgerow.edge.eval.PopularityRanker;
import org.hedgerow.edge.eval.RepeatRanker;
import org.hedgerow.edge.eval.TifuKnnSettings;
import org.hedgerow.edge.features.CoPurchase;
import org.hedgerow.edge.features.FeatureExtractor;
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
  /** Ledger holder name of the coordinator's budget in central mode. */
  public static final String CENTRAL_HOLDER = FederationConfig.CentralDp.HOLDER;

  private final Scenario scenario;
  private final PrintStream out;
  /** Every DP silo budget this run created, per silo: several federations may train on the same customers. */
  private final Map<String, List<org.hedgerow.privacy.budget.PrivacyBudget>> dpBudgets = new LinkedHashMap<>();
  /**
   * New-product slots in the top K of the explore policy reported as {@code federated-explore}
   * (ExploreSlotsRanker.fixed; the slot count measured against others in docs/preferences.md).
   */
  static final int EXPLORE_SLOTS = 1;
  /**
   * Description words per catalogue index for the explore policy's new-product order (public
   * catalogue data; empty: the order uses co-purchase and similar customers only).
   */
  private List<List<String>> productWords = List.of();
  /** The federated model's final ranking under the explore policy, once the plain federation has run. */
  private MethodResult federatedExplore;
  /**
   * The local-DP federation's final model under the same policy, its new products ordered by the
   * declared catalogue's descriptions and each silo's DP release only (null without either).
   */
  private MethodResult federatedDpExplore;
  /** Whether federations evaluate the explore rows too: for the full comparison only, not per sweep point. */
  private boolean exploreRows;
  /** Trains the silos elsewhere (null: one edge client per silo in this process). */
  private SiloFleet fleet;
  /** Per federation run so far, the digest of its final global model. */
  private final Map<String, String> modelDigests = new LinkedHashMap<>();
  /** Where the next federation starts (an earlier global model), or null for a fresh model. */
  private float[] startFrom;
  /** The last global model of the latest federation. */
  private float[] lastGlobalModel;

  public Simulation(Scenario scenario, PrintStream out) {
    this.scenario = scenario;
    this.out = out;
  }

  /**
   * Has {@code fleet} train the silos of every federation this simulation runs (null: in-process
   * clients). A fleet takes plain, non-private federations only: the caller checks the scenario.
   */
  public Simulation withFleet(SiloFleet fleet) {
    this.fleet = fleet;
    return this;
  }

  /** The catalogue's description words by catalogue index, for {@code federated-explore}'s new-product order. */
  public Simulation withProductWords(List<List<String>> words) {
    this.productWords = List.copyOf(words);
    return this;
  }

  /**
   * Runs the scenario: the cross-silo federations and baselines, or with partition {@code customer}
   * the cross-device federation ({@link CrossDeviceSimulation}); with {@code deterministic_noise}
   * every noise source replays from that seed for the duration of the run (research only).
   */
  public SimulationResult run(FederationData data) throws Exception {
    try (NoiseSource.Scope noise = noiseScope()) {
      return scenario.crossDevice() ? new CrossDeviceSimulation(scenario, out).run(data) : crossSilo(data);
    }
  }

  /**
   * The research-only deterministic-noise scope when the scenario asks for it (announced on the
   * console), or a scope that does nothing.
   */
  private NoiseSource.Scope noiseScope() {
    if (scenario.deterministicNoise() == null) {
      return () -> { };
    }
    out.printf("*** %s: every DP noise source, sampler and rounder of this run replays from seed %d ***%n",
        NoiseSource.WARNING, scenario.deterministicNoise());
    return NoiseSource.deterministic(scenario.deterministicNoise());
  }

  private SimulationResult crossSilo(FederationData data) throws Exception {
    long t0 = System.nanoTime();
    exploreRows = true;
    ModelSpec spec = modelSpec();
    if (scenario.privacy().equals("local")) {
      localDpConfig(); // a calibration that cannot meet the cap fails now, not after the plain federation
    } else if (scenario.privacy().equals("central")) {
      centralNoiseMultiplier();
    }

    List<PreparedSilo> silos = silos(data);
    List<PreparedSilo> training = silos.stream().filter(s -> s.examples().size() > 0).toList();
    // Local DP trains on features from DP item statistics; the other methods keep the exact ones.
    List<PreparedSilo> dpSilos = scenario.privacy().equals("local") ? privateSilos(data, localDpConfig()) : silos;
    List<PreparedSilo> dpTraining = dpSilos.stream().filter(s -> s.examples().size() > 0).toList();
    out.printf("%d silos (%d with training examples), %,d training examples, catalogue %,d products%n", silos.size(),
        training.size(), training.stream().mapToLong(s -> s.examples().size()).sum(), data.catalogue().size());

    // popularity, repeat and TIFU-KNN alongside the federation (UntrainedBaselines says why).
    UntrainedBaselines untrained = UntrainedBaselines.start(data);
    FederatedOutcome fed = federated(data, spec, silos, training, Mode.PLAIN);
    Map<String, MethodResult> methods = new LinkedHashMap<>(untrained.join(out));
    double evalSeconds = untrained.seconds();
    methods.put("federated", fed.result());
    if (federatedExplore != null) {
      methods.put("federated-explore", federatedExplore);
    }
    evalSeconds += fed.evaluationSeconds();
    FederatedOutcome dp = null;
    if (scenario.privacyEnabled()) {
      dp = federated(data, spec, dpSilos, dpTraining,
          scenario.privacy().equals("central") ? Mode.CENTRAL : Mode.LOCAL);
      if (dp.result() != null) {
        methods.put("federated-dp", dp.result());
      }
      if (federatedDpExplore != null) {
        methods.put("federated-dp-explore", federatedDpExplore);
      }
      evalSeconds += dp.evaluationSeconds();
    }
    if (scenario.secureAggregation().enabled()) {
      // The same federation (and the same DP, if local) behind secure aggregation: it must match
      // federated / federated-dp up to quantisation error (SecureSumEncoding).
      Mode m = scenario.privacy().equals("local") ? Mode.LOCAL : Mode.PLAIN;
      FederatedOutcome sa = m == Mode.PLAIN ? federated(data, spec, silos, training, m, true)
          : federated(data, spec, dpSilos, dpTraining, m, true);
      if (sa.result() != null) {
        methods.put(m == Mode.PLAIN ? "federated-secagg" : "federated-dp-secagg", sa.result());
      }
      evalSeconds += sa.evaluationSeconds();
    }
    if (scenario.distributedDp()) {
      // Distributed DP: each silo adds a discrete Gaussian share to its integer update before masking, so
      // only the secure sum is private at the cap; compared with federated-dp-secagg at the same cap.
      FederatedOutcome ddp = federated(data, spec, dpSilos, dpTraining, Mode.DISTRIBUTED, true);
      if (ddp.result() != null) {
        methods.put("federated-ddp-secagg", ddp.result());
      }
      evalSeconds += ddp.evaluationSeconds();
    }
    if (dp != null && dp.privacy() != null && dpBudgets.values().stream().anyMatch(l -> l.size() > 1)) {
      // The private federations are separate releases on the same customers: say so, with what they
      // spend together (the accountant over every federation's rounds and the one release).
      Map<String, Double> composed = new LinkedHashMap<>();
      dpBudgets.forEach((silo, budgets) -> composed.put(silo,
          PrivacyReport.composed(budgets.stream().map(b -> b.log()).toList(), scenario.delta())));
      double max = composed.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
      out.printf("note: the private federations (federated-dp, federated-dp-secagg%s) are separate DP releases on the "
          + "same customers; "
          + "each is within the cap %s, together they spend up to epsilon %.4f per silo (delta %s)%n",
          scenario.distributedDp() ? ", federated-ddp-secagg" : "", scenario.epsilonCap(), max, scenario.delta());
      dp = new FederatedOutcome(dp.result(), dp.rounds(), dp.trainingSeconds(), dp.aggregationSeconds(),
          dp.wallSeconds(), dp.evaluationSeconds(), dp.privacy().withComposed(composed));
    }

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
    for (String k : List.of("popularity", "repeat", "tifu-knn", "tifu-knn-local", "local-only", "centralized",
        "federated", "federated-explore", "federated-dp", "federated-dp-explore",
        "federated-secagg", "federated-dp-secagg", "federated-ddp-secagg")) {
      if (methods.containsKey(k)) {
        ordered.put(k, methods.get(k));
      }
    }
    return new SimulationResult(scenario, data, silos.stream().map(s -> new SimulationResult.SiloInfo(
        s.data().name(), s.data().customers().size(), s.examples().size(), s.data().testBaskets())).toList(),
        ordered, fed.rounds(), (System.nanoTime() - t0) / 1e9, fed.trainingSeconds(), fed.aggregationSeconds(),
        fed.wallSeconds(), baselineSeconds, evalSeconds, dp == null ? List.of() : dp.rounds(),
        dp == null ? null : dp.privacy(), dp == null ? 0 : dp.wallSeconds(), null, null, modelDigests);
  }

  /**
   * The scenario's silos as clients of a coordinator that is already running elsewhere ({@code
   * hedgerow coordinator start}), instead of coordinators started in-process. Over https:// every
   * training silo is enrolled first (credentials under {@code credentials/<client id>/}, reused if
   * already there), because a coordinator started without {@code --clients} opens round 1 only once
   * every enrolled silo has joined; then all silos join and train. As the operator, this process
   * follows the rounds ({@code GET /v1/round?after=N}), downloads each new global model and evaluates
   * it exactly as {@link #run} does.
   *
   * <p>One federation is run: the coordinator's. It is reported as {@code federated}, or {@code
   * federated-dp} under local DP (user-level DP-SGD at the silos, spends reported to the coordinator
   * and cross-checked against the silos' own budgets). Central DP and secure aggregation are the
   * coordinator's settings and are not run here. The popularity and repeat baselines are always
   * reported (they need no training); centralized and local-only only with {@code baselines}.
   *
   * @param credentials directory for the silos' keys and certificates (only used over https://)
   */
  public SimulationResult remote(FederationData data, RemoteCoordinator remote, Path credentials, boolean baselines)
      throws Exception {
    long t0 = System.nanoTime();
    if (scenario.deterministicNoise() != null) {
      throw new IllegalArgumentException("deterministic_noise is research only and cannot be used against a "
          + "running coordinator (it is a production service, which keeps SecureRandom): drop the key or "
          + "--deterministic-noise, or run the scenario in-process without --coordinator");
    }
    if (scenario.privacy().equals("central")) {
      throw new IllegalArgumentException("privacy 'central' is applied by the coordinator, and 'simulate "
          + "--coordinator' runs only the silos: use privacy 'none' or 'local' (DP at the silos)");
    }
    ModelSpec spec = modelSpec();
    boolean local = scenario.privacy().equals("local");
    DpConfig dp = local ? localDpConfig() : null;
    List<PreparedSilo> exact = silos(data);
    List<PreparedSilo> silos = local ? privateSilos(data, dp) : exact;
    List<PreparedSilo> training = silos.stream().filter(s -> s.examples().size() > 0).toList();
    out.printf("%d silos (%d with training examples), %,d training examples, catalogue %,d products%n", silos.size(),
        training.size(), training.stream().mapToLong(s -> s.examples().size()).sum(), data.catalogue().size());

    CoordinatorClient operator = remote.operator();
    ModelInfo served = operator.modelInfo();
    if (!spec.hash().equals(served.specHash())) {
      throw new IllegalStateException("the coordinator at " + remote.uri() + " serves model spec "
          + served.specHash() + " (" + served.spec() + "), this scenario's is " + spec.hash()
          + " (layers " + spec.layerSizes() + "): start the coordinator with the same --scenario");
    }
    StatusReport status = operator.status();
    if (status.round().finished()) {
      throw new IllegalStateException("the coordinator at " + remote.uri() + " has already finished its federation ("
          + status.finishReason() + "); start a new one on a fresh store");
    }
    // Secure aggregation is the coordinator's setting: the silos follow whatever it runs (EdgeClient), and the
    // run is reported under the method the coordinator actually ran.
    boolean secure = status.secureAggregation() != null;
    if (scenario.secureAggregation().enabled() && !secure) {
      throw new IllegalStateException("the scenario asks for secure aggregation '" + scenario.secureAggregation().mode()
          + "', but the coordinator at " + remote.uri() + " runs none: start it with --secure-aggregation "
          + scenario.secureAggregation().mode() + ", or use secure_aggregation 'none'");
    }
    int target = status.targetRounds();
    int startVersion = status.round().modelVersion();
    if (status.completedRounds() > 0 && local) {
      // The silos' privacy budgets live in this process: fresh ones would not know the earlier rounds' spends.
      throw new IllegalStateException("the coordinator at " + remote.uri() + " has already completed "
          + status.completedRounds() + " rounds; a local-DP simulation cannot join a federation "
          + "midway (its silos' budgets would not include the earlier spends)");
    }
    if (status.completedRounds() > 0) {
      out.printf("the coordinator has already completed %d rounds; following it from there%n",
          status.completedRounds());
    }

    Map<String, String> siloOf = new LinkedHashMap<>(); // client id -> silo name
    for (PreparedSilo s : training) {
      String previous = siloOf.put(RemoteCoordinator.clientId(s.data().name()), s.data().name());
      if (previous != null) {
        throw new IllegalStateException("silos '" + previous + "' and '" + s.data().name() + "' map to the same "
            + "client id '" + RemoteCoordinator.clientId(s.data().name()) + "'");
      }
    }
    Map<String, String> idOf = new LinkedHashMap<>();
    siloOf.forEach((id, silo) -> idOf.put(silo, id));
    if (remote.enrols()) {
      // All silos enrol before any joins: the coordinator waits for every enrolled silo.
      int fresh = 0;
      for (String id : siloOf.keySet()) {
        fresh += remote.ensureEnrolled(id, credentials.resolve(id)) ? 1 : 0;
      }
      out.printf("enrolled %d silos (%d reusing credentials) under %s%n", siloOf.size(), siloOf.size() - fresh,
          credentials);
    }
    int expected = operator.roundState().expectedClients();
    if (expected != training.size()) {
      out.printf("note: the coordinator expects %d silos, this run brings %d%s%n", expected, training.size(),
          expected > training.size() ? "; round 1 opens once the others join too" : "");
    }

    // Central DP is the coordinator's too: its model is then federated-dp (noised at the coordinator).
    boolean central = status.centralDp();
    String label = (local || central ? "federated-dp" : "federated") + (secure ? "-secagg" : "");
    if (central) {
      out.printf("federated-dp: the coordinator runs central DP (clips each update and noises the mean)%n");
    }
    if (secure) {
      out.printf("%s: the coordinator runs secure aggregation '%s': silos send only masked updates%n", label,
          status.secureAggregation());
    }
    if (local) {
      out.printf("federated-dp (local, user-level DP-SGD at each silo): %s%s%n", dp,
          scenario.noiseMultiplier() == null ? " (sigma calibrated for " + scenario.rounds() + " rounds)" : "");
    }
    out.printf("%s: coordinator on %s, %d clients, %d rounds%n", label, remote.uri(), training.size(), target);
    long tf = System.nanoTime();
    ExecutorService clients = Executors.newFixedThreadPool(training.size());
    RoundTracker tracker;
    List<EdgeClient> edgeClients = new ArrayList<>();
    String finishReason;
    StatusReport finalStatus = null;
    try {
      Semaphore slots = new Semaphore(scenario.workers());
      List<Future<?>> running = new ArrayList<>();
      for (PreparedSilo s : training) {
        String name = s.data().name();
        org.hedgerow.edge.client.CoordinatorClient cc = remote.silo(credentials.resolve(idOf.get(name)));
        // An enrolled silo signs its spends with the identity key its certificate certifies.
        var certified = cc.credentials() == null ? null : cc.credentials().certifiedIdentity();
        EdgeClient c = s.client(cc, spec, slots, dp == null ? null : Silos.privacy(s.settings(),
            certified == null ? new InMemorySpendLog() : new InMemorySpendLog(certified), s.release()));
        edgeClients.add(c);
        running.add(clients.submit(() -> {
          c.run();
          return null;
        }));
      }
      tracker = new RoundTracker(data, spec, silos, training.size(), label, target);
      // Models are fetched as soon as their round closes and evaluated on another thread: evaluation can
      // take longer than a round, and the coordinator may exit soon after its last one.
      ExecutorService evaluator = Executors.newSingleThreadExecutor();
      List<Future<?>> evaluations = new ArrayList<>();
      try (tracker) {
        int seenRound = 0;
        int fetched = startVersion;
        while (true) {
          CoordinatorClient.RoundState st = operator.round(seenRound); // held until a later round opens
          surfaceFailures(running);
          surfaceFailures(evaluations);
          if (st.finished()) {
            finalStatus = operator.status();
          }
          if (st.modelVersion() > fetched) {
            fetched = fetchNewModel(operator, tracker, spec, fetched, evaluator, evaluations);
          }
          if (st.finished()) {
            break;
          }
          if (st.training()) {
            seenRound = Math.max(seenRound, st.round());
          }
        }
        for (Future<?> f : evaluations) {
          f.get();
        }
      } finally {
        evaluator.shutdownNow();
      }
      for (Future<?> f : running) {
        f.get(120, TimeUnit.SECONDS);
      }
      status = finalStatus != null ? finalStatus : operator.status();
      finishReason = status.finishReason();
    } finally {
      clients.shutdownNow();
    }
    double fedWall = (System.nanoTime() - tf) / 1e9;
    List<RoundRow> rows = tracker.rows;
    if (rows.size() < target) {
      out.printf("%s: %d of %d rounds evaluated here: %s%n", label, rows.size(), target, finishReason);
    }
    PrivacyReport privacy = local ? PrivacyReport.of(scenario, "local", spends(status, siloOf), declined(status, siloOf),
        edgeClients, dp, finishReason) : null;

    Map<String, MethodResult> methods = new LinkedHashMap<>();
    long te = System.nanoTime();
    methods.put("popularity", Evaluation.evaluate(data, s -> new PopularityRanker(data.pooledStats())));
    methods.put("repeat", Evaluation.evaluate(data, s -> new RepeatRanker(data.pooledStats())));
    double evalSeconds = tracker.evalSeconds + (System.nanoTime() - te) / 1e9;
    double baselineSeconds = 0;
    if (baselines) {
      long tb = System.nanoTime();
      out.println("baselines: centralized and local-only (same epochs as the federation: "
          + scenario.rounds() * scenario.localEpochs() + ")");
      methods.put("tifu-knn", TifuKnnBaselines.pooled(data, TifuKnnSettings.defaultGrid(), out));
      methods.put("tifu-knn-local", TifuKnnBaselines.local(data, TifuKnnSettings.defaultGrid(), out));
      methods.put("local-only", localOnly(data, spec, exact));
      methods.put("centralized", centralized(data, spec));
      baselineSeconds = (System.nanoTime() - tb) / 1e9;
    }
    if (tracker.last != null) {
      methods.put(label, tracker.last);
    }
    Map<String, MethodResult> ordered = new LinkedHashMap<>();
    for (String k : List.of("popularity", "repeat", "tifu-knn", "tifu-knn-local", "local-only", "centralized",
        "federated", "federated-dp",
        "federated-secagg", "federated-dp-secagg", "federated-ddp-secagg")) {
      if (methods.containsKey(k)) {
        ordered.put(k, methods.get(k));
      }
    }
    return new SimulationResult(scenario, data, silos.stream().map(s -> new SimulationResult.SiloInfo(
        s.data().name(), s.data().customers().size(), s.examples().size(), s.data().testBaskets())).toList(),
        ordered, local ? List.of() : rows, (System.nanoTime() - t0) / 1e9, tracker.trainSeconds, tracker.aggSeconds,
        local ? 0 : fedWall, baselineSeconds, evalSeconds, local ? rows : List.of(), privacy, local ? fedWall : 0,
        remote.uri().toString());
  }

  /**
   * Downloads the coordinator's current global model and, if it is newer than version {@code
   * evaluated}, queues its evaluation on {@code evaluator} as the model of the round that produced it (model version v is the
   * result of the v-th closed round: {@code history[v - 1]} of the status).
   *
   * @return the version now evaluated
   */
  private int fetchNewModel(CoordinatorClient operator, RoundTracker tracker, ModelSpec spec, int evaluated,
      ExecutorService evaluator, List<Future<?>> evaluations) {
    CoordinatorClient.GlobalModel g = operator.model(spec.parameterCount());
    if (g.version() <= evaluated) {
      return evaluated;
    }
    List<RoundSummary> history = operator.status().history();
    if (history.size() < g.version()) {
      throw new IllegalStateException("the coordinator serves model version " + g.version() + " but reports only "
          + history.size() + " closed rounds");
    }
    if (g.version() > evaluated + 1) {
      // Rounds closed faster than this process polled: their models were replaced before it could fetch them.
      out.printf("%nrounds %d to %d closed before their models could be fetched; not evaluated%n",
          history.get(evaluated).round(), history.get(g.version() - 2).round());
    }
    RoundRecord rec = roundRecord(history.get(g.version() - 1));
    evaluations.add(evaluator.submit(() -> tracker.closed(rec, g.parameters())));
    return g.version();
  }

  /** A closed round as {@code GET /v1/status} lists it in {@code history}. */
  private static RoundRecord roundRecord(RoundSummary h) {
    return new RoundRecord(h.round(), h.clients(), h.examples() == null ? 0 : h.examples(), h.bytesUp(), h.bytesDown(),
        h.seconds(), h.aggregationSeconds(), h.clientTrainSeconds() == null ? 0 : h.clientTrainSeconds(),
        h.trainLoss() == null ? Double.NaN : h.trainLoss());
  }

  /** The coordinator's privacy ledger from its status, with client ids turned back into silo names. */
  private static List<Spend> spends(StatusReport status, Map<String, String> siloOf) {
    List<Spend> spends = new ArrayList<>();
    for (Spend s : status.privacy().spends()) {
      spends.add(new Spend(s.round(), siloOf.getOrDefault(s.holder(), s.holder()), s.mechanism(), s.noiseMultiplier(),
          s.sampleRate(), s.steps(), s.epsilon(), s.delta(), s.cap(), s.clipNorm(), s.counter(), s.distributed()));
    }
    return spends;
  }

  /** Silos that declined a round (budget exhausted), keyed by silo name. */
  private static Map<String, Federation.Declined> declined(StatusReport status, Map<String, String> siloOf) {
    Map<String, Federation.Declined> declined = new LinkedHashMap<>();
    status.privacy().declined().forEach((id, d) -> declined.put(siloOf.getOrDefault(id, id),
        new Federation.Declined(id, d.round(), d.reason(), d.epsilon() == null ? Double.NaN : d.epsilon(),
            d.cap() == null ? Double.NaN : d.cap())));
    return declined;
  }

  /** Each silo builds its features and examples from its own data only ({@link Silos#prepare}). */
  private List<PreparedSilo> silos(FederationData data) {
    List<PreparedSilo> silos = new ArrayList<>();
    for (SiloData s : data.silos()) {
      SiloSettings settings = SiloSettings.plain(s.name(), scenario.targetsPerCustomer(), scenario.examplesPerKind(),
          scenario.seed());
      silos.add(Silos.prepare(settings, s, data.catalogue().size(), null, scenario.coPurchase()));
    }
    return silos;
  }

  /**
   * Local DP: each silo is assembled as a DP silo process assembles itself ({@link Silos}): its DP
   * release (item statistics and customer count, {@code SecureRandom} noise, on the declared
   * catalogue and training end), features from that release only, per-customer PRF negatives. The
   * release is charged to each federation's budget ({@link Silos#privacy}) before training.
   */
  private List<PreparedSilo> privateSilos(FederationData data, DpConfig dp) {
    List<PreparedSilo> silos = new ArrayList<>();
    for (SiloData s : data.silos()) {
      SiloSettings settings = new SiloSettings(s.name(), scenario.targetsPerCustomer(), scenario.examplesPerKind(),
          scenario.seed(), dp, scenario.trainingEndTime(), false);
      silos.add(Silos.prepare(settings, s, data.catalogue().size(), Silos.release(settings, s, data.catalogue().size())));
    }
    return silos;
  }

  /**
   * One federation only, without baselines: {@code federated} when the scenario's privacy is
   * {@code none}, {@code federated-dp} otherwise; behind secure aggregation when the scenario asks
   * for it. For sweeps.
   */
  public SingleRun federationOnly(FederationData data) throws Exception {
    return federationOnly(data, null);
  }

  /**
   * {@link #federationOnly(FederationData)} starting from {@code startFrom} (an earlier global model,
   * for lifelong runs; null: a fresh model).
   */
  public SingleRun federationOnly(FederationData data, float[] startFrom) throws Exception {
    try (NoiseSource.Scope noise = noiseScope()) {
      return singleFederation(data, startFrom);
    }
  }

  private SingleRun singleFederation(FederationData data, float[] startFrom) throws Exception {
    if (scenario.crossDevice()) {
      if (startFrom != null) {
        throw new IllegalArgumentException("a cross-device federation cannot start from an earlier model (yet)");
      }
      SimulationResult r = new CrossDeviceSimulation(scenario, out).run(data);
      boolean dp = r.privacy() != null;
      return new SingleRun(r.methods().get(dp ? "federated-dp" : "federated"), dp ? r.dpRounds() : r.rounds(),
          r.privacy(), dp ? r.dpWallSeconds() : r.federatedWallSeconds(), null, List.of());
    }
    this.startFrom = startFrom;
    ModelSpec spec = modelSpec();
    List<PreparedSilo> silos = scenario.privacy().equals("local") ? privateSilos(data, localDpConfig()) : silos(data);
    List<PreparedSilo> training = silos.stream().filter(s -> s.examples().size() > 0).toList();
    Mode mode = switch (scenario.privacy()) {
      case "local" -> Mode.LOCAL;
      case "central" -> Mode.CENTRAL;
      default -> Mode.PLAIN;
    };
    FederatedOutcome o = federated(data, spec, silos, training, mode, scenario.secureAggregation().enabled());
    return new SingleRun(o.result(), o.rounds(), o.privacy(), o.wallSeconds(), lastGlobalModel, silos);
  }

  /**
   * What {@link #federationOnly} measured; {@code privacy} is null without DP; {@code finalModel} the last
   * global model (null if no round closed) and {@code silos} the silos it was evaluated with.
   */
  public record SingleRun(MethodResult result, List<RoundRow> rounds, PrivacyReport privacy, double seconds,
      float[] finalModel, List<PreparedSilo> silos) {}

  /** The scenario's model spec ({@link Scenario#modelSpec()}). */
  public ModelSpec modelSpec() {
    return scenario.modelSpec();
  }

  private TrainingSetBuilder builder() {
    return new TrainingSetBuilder(scenario.targetsPerCustomer(), scenario.examplesPerKind());
  }

  record FederatedOutcome(MethodResult result, List<RoundRow> rounds, double trainingSeconds, double aggregationSeconds,
      double wallSeconds, double evaluationSeconds, PrivacyReport privacy) {}

  /** Which federation: plain FedAvg, user-level DP at each silo, or DP added by the coordinator. */
  enum Mode { PLAIN, LOCAL, CENTRAL, DISTRIBUTED }

  /**
   * The local-mode DP settings: the scenario's σ, or σ calibrated so the item-statistics release
   * plus the planned rounds just fit the cap.
   */
  public DpConfig localDpConfig() {
    return scenario.noiseMultiplier() != null
        ? new DpConfig(scenario.noiseMultiplier(), scenario.clipNorm(), scenario.sampleRate(),
            scenario.dpStepsPerRound(), scenario.dpLearningRate(), scenario.epsilonCap(), scenario.delta(),
            scenario.statsNoiseMultiplier(), scenario.countNoiseMultiplier())
        : DpConfig.calibrated(scenario.clipNorm(), scenario.sampleRate(), scenario.dpStepsPerRound(),
            scenario.dpLearningRate(), scenario.epsilonCap(), scenario.delta(), scenario.rounds(),
            scenario.statsNoiseMultiplier(), scenario.countNoiseMultiplier());
  }

  /** Central mode's σ: the scenario's, or calibrated for one Gaussian release per round (q = 1). */
  public double centralNoiseMultiplier() {
    return scenario.noiseMultiplier() != null ? scenario.noiseMultiplier()
        : NoiseCalibration.noiseMultiplierFor(scenario.epsilonCap(), scenario.delta(), 1.0, scenario.rounds());
  }

  private FederatedOutcome federated(FederationData data, ModelSpec spec, List<PreparedSilo> silos, List<PreparedSilo> training,
      Mode mode) throws Exception {
    return federated(data, spec, silos, training, mode, false);
  }

  /** With {@code secure}, updates reach the coordinator only through secure aggregation. */
  private FederatedOutcome federated(FederationData data, ModelSpec spec, List<PreparedSilo> silos, List<PreparedSilo> training,
      Mode mode, boolean secure) throws Exception {
    long t0 = System.nanoTime();
    String label = mode == Mode.DISTRIBUTED ? "federated-ddp-secagg"
        : (mode == Mode.PLAIN ? "federated" : "federated-dp") + (secure ? "-secagg" : "");
    // Distributed-DP silos keep the same budget, release and cap as local mode; only their rounds differ.
    DpConfig dp = mode == Mode.LOCAL || mode == Mode.DISTRIBUTED ? localDpConfig() : null;
    // The coordinator's half of the scenario, narrowed to this federation's mode; one assembly path
    // (CoordinatorBuilder) as in 'coordinator start'. A fresh strategy per federation: server
    // optimisers carry moments from round to round.
    FederationConfig all = scenario.federationConfig();
    FederationConfig config = all.withCentralDp(mode == Mode.CENTRAL ? all.centralDp() : null)
        .withSecureAggregation(!secure ? null : mode == Mode.DISTRIBUTED
            ? all.secureAggregation().withDistributedDp(scenario.distributedDpOptions()) : all.secureAggregation())
        // A fleet's DP silos keep their budgets with their trainers; the coordinator's clients are
        // regions, which spend nothing of their own (their sums are post-processing).
        .withPrivacy((mode == Mode.LOCAL || mode == Mode.DISTRIBUTED) && fleet == null ? CoordinatorOptions.PRIVACY_LOCAL
            : CoordinatorOptions.PRIVACY_NONE);
    if (fleet != null && mode != Mode.PLAIN && mode != Mode.LOCAL) {
      throw new IllegalStateException(label + " cannot run on a silo fleet: it takes non-private and local-DP "
          + "federations only");
    }
    int coordinatorClients = fleet == null ? training.size() : fleet.coordinatorClients(training);
    CoordinatorBuilder builder = CoordinatorBuilder.of(config).clients(coordinatorClients, null).startFrom(startFrom);
    CoordinatorVerticle coordinator = builder.build();
    if (mode == Mode.CENTRAL) {
      out.printf("federated-dp (central): coordinator clips client deltas to %s and adds noise sigma %.6g x C; "
          + "cap %s, delta %s%n", scenario.clipNorm(), builder.centralNoiseMultiplier(), scenario.epsilonCap(),
          scenario.delta());
    } else if (mode == Mode.DISTRIBUTED) {
      var ddp = scenario.distributedDpOptions();
      out.printf("federated-ddp-secagg (distributed DP: discrete Gaussian shares under secure aggregation): target "
          + "epsilon %s at delta %s over %d rounds, noise multiplier %.6g per round on the sum at the threshold t, "
          + "clip %s, learning rate %s (no sampling: every customer, every round)%n", ddp.targetEpsilon(), ddp.delta(),
          ddp.rounds(), ddp.noiseMultiplier(), ddp.clipNorm(), ddp.learningRate());
    } else if (mode == Mode.LOCAL) {
      out.printf("federated-dp (local, user-level DP-SGD at each silo): %s%s%n", dp,
          scenario.noiseMultiplier() == null ? " (sigma calibrated for " + scenario.rounds() + " rounds)" : "");
    }
    LinkedBlockingQueue<Object[]> closed = new LinkedBlockingQueue<>();
    coordinator.onRoundClosed((rec, model) -> closed.add(new Object[] {rec, model.clone()}));
    coordinator.onFinished(reason -> closed.add(new Object[] {reason}));
    Vertx vertx = Vertx.vertx();
    ExecutorService clients = Executors.newFixedThreadPool(coordinatorClients);
    try {
      vertx.deployVerticle(coordinator).await(30, TimeUnit.SECONDS);
      URI uri = URI.create("http://127.0.0.1:" + coordinator.port());
      out.printf("%s: coordinator on %s, %d clients, %d rounds, aggregator %s%n", label, uri, training.size(),
          scenario.rounds(), scenario.aggregator());
      Semaphore slots = new Semaphore(scenario.workers());
      List<Future<?>> running = new ArrayList<>();
      List<EdgeClient> edgeClients = new ArrayList<>();
      for (Callable<Void> p : fleet == null ? List.<Callable<Void>>of() : fleet.participants(uri, spec, training)) {
        running.add(clients.submit(p));
      }
      for (PreparedSilo s : fleet == null ? training : List.<PreparedSilo>of()) {
        SiloPrivacy privacy = dp == null ? null : Silos.privacy(s.settings(), new InMemorySpendLog(), s.release());
        if (privacy != null) {
          dpBudgets.computeIfAbsent(s.data().name(), k -> new ArrayList<>()).add(privacy.budget());
        }
        EdgeClient c = s.client(new CoordinatorClient(uri), spec, slots, privacy);
        edgeClients.add(c);
        running.add(clients.submit(() -> {
          c.run();
          return null;
        }));
      }
      String finishReason = null;
      RoundTracker tracker = new RoundTracker(data, spec, silos, coordinatorClients, label, scenario.rounds());
      try (tracker) {
        while (finishReason == null) {
          Object[] next = closed.poll(1, TimeUnit.SECONDS);
          surfaceFailures(running);
          if (next == null) {
            continue;
          }
          if (next[0] instanceof String reason) {
            finishReason = reason;
            continue;
          }
          tracker.closed((RoundRecord) next[0], (float[]) next[1]);
        }
      }
      for (Future<?> f : running) {
        f.get(60, TimeUnit.SECONDS);
      }
      List<RoundRow> rows = tracker.rows;
      if (tracker.lastModel != null) {
        modelDigests.put(label, ModelDigest.sha256(tracker.lastModel));
      }
      lastGlobalModel = tracker.lastModel;
      if (exploreRows && mode == Mode.PLAIN && !secure && tracker.last != null) {
        // The explore/exploit policy on the final global model; its new products are ordered by
        // silo-local statistics over other customers, so only here, never in a DP method.
        federatedExplore = Evaluation.evaluate(data, siloData -> ExploreSlotsRanker.fixed(
            new ModelRanker(tracker.evalModel, featuresOf(silos, siloData)), EXPLORE_SLOTS,
            NewProductScorer.of(siloData.customers(), data.catalogue().size(), productWords)));
      }
      if (exploreRows && mode == Mode.LOCAL && !secure && fleet == null && tracker.last != null
          && data.catalogue().hasDescriptions()) {
        // The same policy for DP silos, post-processing only: the customer's own history, the DP model,
        // the silo's DP item release and the declared (public) catalogue's descriptions.
        List<List<String>> publicWords = data.catalogue().descriptionWords();
        federatedDpExplore = Evaluation.evaluate(data, siloData -> {
          FeatureExtractor fx = featuresOf(silos, siloData);
          return ExploreSlotsRanker.fixed(new ModelRanker(tracker.evalModel, fx), EXPLORE_SLOTS,
              NewProductScorer.publicDescriptions(data.catalogue().size(), fx.itemPopularity(), publicWords));
        });
      }
      if (rows.size() < scenario.rounds()) {
        out.printf("%s finished after %d of %d rounds: %s%n", label, rows.size(), scenario.rounds(), finishReason);
      }
      if (mode == Mode.DISTRIBUTED) {
        reportDistributedSpends(edgeClients);
      }
      // Behind secure aggregation the coordinator receives no per-silo spend: the silos' own ledgers
      // match federated-dp's (same calibration), which is the run that reports them.
      PrivacyReport privacy = mode == Mode.PLAIN || secure ? null
          : fleet != null ? PrivacyReport.fromSiloLogs(scenario, fleet.spends(),
              training.stream().map(x -> x.settings().name()).toList(), dp, finishReason)
          : PrivacyReport.of(scenario, mode == Mode.LOCAL ? "local" : "central", coordinator.spends(),
              coordinator.declined(), edgeClients, dp, finishReason)
              .withLedger(SignedLedger.countersign(coordinator.store().ledger()));
      return new FederatedOutcome(tracker.last, rows, tracker.trainSeconds, tracker.aggSeconds,
          (System.nanoTime() - t0) / 1e9, tracker.evalSeconds, privacy);
    } finally {
      clients.shutdownNow();
      vertx.close().await(30, TimeUnit.SECONDS);
    }
  }

  /**
   * Prints what each distributed-DP silo spent (its own accountant, {@code SpendAccounting}) and
   * fails the run if any silo's ε is over its cap or differs from the accountant on its log.
   */
  private void reportDistributedSpends(List<EdgeClient> clients) {
    double max = 0;
    for (EdgeClient c : clients) {
      var budget = c.budget();
      double recomputed = org.hedgerow.privacy.budget.SpendAccounting.epsilon(budget.log(), budget.delta());
      if (recomputed != budget.epsilon() || budget.epsilon() > budget.epsilonCap()) {
        throw new IllegalStateException(c.silo() + ": distributed-DP epsilon " + budget.epsilon() + " (recomputed "
            + recomputed + ") against cap " + budget.epsilonCap());
      }
      max = Math.max(max, budget.epsilon());
    }
    out.printf(java.util.Locale.ROOT, "federated-ddp-secagg: max silo epsilon %.6f at delta %s (accountant over each "
        + "silo's log: releases + distributed rounds)%n", max, scenario.delta());
  }

  /** Rethrows the failure of any client that has stopped, instead of waiting for rounds that cannot close. */
  private static void surfaceFailures(List<Future<?>> running) throws Exception {
    for (Future<?> f : running) {
      if (f.isDone()) {
        f.get();
      }
    }
  }

  /**
   * Follows a federation's closed rounds: evaluates each new global model on every silo's test
   * baskets (with the silo's own features), keeps the per-round rows and timings, and drives the
   * progress bar. Used by the in-process federation and by {@link #remote}.
   */
  private final class RoundTracker implements AutoCloseable {
    private final FederationData data;
    private final List<PreparedSilo> silos;
    private final int clients;
    private final PreferenceModel evalModel;
    private final ProgressBar bar;
    final List<RoundRow> rows = new ArrayList<>();
    double trainSeconds;
    double aggSeconds;
    double evalSeconds;
    MethodResult last;
    float[] lastModel;

    RoundTracker(FederationData data, ModelSpec spec, List<PreparedSilo> silos, int clients, String label, int rounds) {
      this.data = data;
      this.silos = silos;
      this.clients = clients;
      this.evalModel = new PreferenceModel(spec, scenario.seed());
      this.bar = new ProgressBarBuilder().setTaskName(label).setInitialMax(rounds).setStyle(ProgressBarStyle.ASCII)
          .setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(out, 150)).setUpdateIntervalMillis(500)
          .build();
      bar.setExtraMessage("round 1, waiting for clients");
    }

    /** Round {@code rec} closed with global parameters {@code model}. */
    void closed(RoundRecord rec, float[] model) {
      long te = System.nanoTime();
      evalModel.setParameters(model);
      lastModel = model;
      last = Evaluation.evaluate(data, siloData -> new ModelRanker(evalModel, featuresOf(silos, siloData)));
      evalSeconds += (System.nanoTime() - te) / 1e9;
      rows.add(new RoundRow(rec.round(), last.overall().hr10(), rec.trainLoss(), rec.clients(), rec.bytesUp(),
          rec.bytesDown(), rec.seconds()));
      if (!Double.isNaN(rec.clientTrainSeconds())) { // NaN: not published (central DP)
        trainSeconds += rec.clientTrainSeconds();
      }
      aggSeconds += rec.aggregationSeconds();
      bar.stepTo(rec.round());
      // DP silos publish no training loss (it is computed from their customers' data): NaN, shown as "—".
      String loss = Double.isNaN(rec.trainLoss()) ? "—" : String.format(java.util.Locale.ROOT, "%.4f", rec.trainLoss());
      bar.setExtraMessage(String.format(java.util.Locale.ROOT, "round %d: %d/%d clients, hr@10 %.4f, loss %s ",
          rec.round(), rec.clients(), clients, last.overall().hr10(), loss));
    }

    @Override
    public void close() {
      bar.close();
    }
  }

  private static FeatureExtractor featuresOf(List<PreparedSilo> silos, SiloData s) {
    for (PreparedSilo x : silos) {
      if (x.data() == s) {
        return x.features();
      }
    }
    throw new IllegalStateException("unknown silo " + s.name());
  }

  /** One model on everyone's pooled examples and pooled statistics: the non-private ceiling. */
  MethodResult centralized(FederationData data, ModelSpec spec) {
    ModelRanker ranker = centralizedRanker(data, spec);
    return Evaluation.evaluate(data, s -> ranker);
  }

  /** The centralized model, trained, as a ranker over the pooled features. */
  ModelRanker centralizedRanker(FederationData data, ModelSpec spec) {
    List<CustomerLog> all = new ArrayList<>();
    data.silos().forEach(s -> all.addAll(s.customers()));
    FeatureExtractor fx = new FeatureExtractor(data.pooledStats(),
        scenario.coPurchase() ? CoPurchase.of(all, data.catalogue().size()) : null);
    TrainingSet ts = builder().build(all, fx, scenario.seed());
    PreferenceModel m = new PreferenceModel(spec, scenario.seed());
    m.setParameters(spec.initialParameters(scenario.seed()));
    m.fit(ts, scenario.rounds() * scenario.localEpochs(), scenario.batchSize(), scenario.seed());
    out.println("  centralized done");
    return new ModelRanker(m, fx);
  }

  /** Each silo alone, from the same start, for as many epochs as the federation ran. */
  private MethodResult localOnly(FederationData data, ModelSpec spec, List<PreparedSilo> silos) {
    Map<SiloData, ModelRanker> rankers = new LinkedHashMap<>();
    for (PreparedSilo s : silos) {
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
