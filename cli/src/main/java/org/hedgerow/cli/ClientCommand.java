package org.hedgerow.cli;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Semaphore;
import org.hedgerow.aggregation.model.ModelSpec;
import org.hedgerow.edge.client.CoordinatorClient;
import org.hedgerow.edge.client.EdgeClient;
import org.hedgerow.edge.dp.DpConfig;
import org.hedgerow.edge.data.RetailLogLoader;
import org.hedgerow.edge.eval.Evaluator;
import org.hedgerow.edge.eval.Metrics;
import org.hedgerow.edge.eval.ModelRanker;
import org.hedgerow.edge.features.FeatureExtractor;
import org.hedgerow.edge.model.PreferenceModel;
import org.hedgerow.edge.task.Catalogue;
import org.hedgerow.edge.task.Holdout;
import org.hedgerow.edge.task.SiloData;
import org.hedgerow.edge.dp.SiloPrivacy;
import org.hedgerow.edge.silo.PreparedSilo;
import org.hedgerow.edge.silo.SiloSettings;
import org.hedgerow.edge.silo.Silos;
import org.hedgerow.edge.state.SiloState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code hedgerow client}: one shop taking part in a federation, as its own process. */
@Command(name = "client", mixinStandardHelpOptions = true,
    description = "Join a federation as one silo: train on the local log each round and upload the update.")
public class ClientCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec commandSpec; // usage errors go to the caller's streams

  @Option(names = "--coordinator", required = true, description = "Coordinator URL, e.g. http://127.0.0.1:8443")
  URI coordinator;

  @Option(names = "--credentials", description = "Credentials from 'hedgerow enrol' (client key, certificate, CA): "
      + "join an https coordinator with mutual TLS instead of registering openly.")
  java.nio.file.Path credentials;

  @Option(names = "--silo", required = true, description = "This silo's name.")
  String silo;

  @Option(names = "--data", required = true, description = "This silo's behaviour log (see --format; may be .gz).")
  Path data;

  @picocli.CommandLine.Mixin LogFormatOptions format;

  @Option(names = "--serve-store", description = "The store of this silo's 'hedgerow serve': customers who opted "
      + "out of training or were erased are left out of the examples, statistics and DP releases, and the feedback "
      + "posted to it is trained on (default: serve.db in the --state directory when it exists there).")
  Path serveStore;

  @Option(names = "--save-model", description = "Write the final global model to FILE for 'hedgerow serve --model'.")
  Path saveModel;

  @Option(names = "--holdout", defaultValue = "last-invoice", description = "Local test split (default: ${DEFAULT-VALUE}).")
  String holdout;

  @Option(names = "--seed", defaultValue = "42", description = "Seed for example sampling and shuffling.")
  long seed;

  @Option(names = "--targets-per-customer", defaultValue = "8") int targetsPerCustomer;

  @Option(names = "--examples-per-kind", defaultValue = "16") int examplesPerKind;

  @Option(names = "--epsilon-cap", description = "Train with user-level DP under this per-customer epsilon cap "
      + "(item statistics released with DP, every round accounted; the silo declines rounds over the cap).")
  Double epsilonCap;

  @Option(names = "--delta", defaultValue = "1e-5", description = "Delta of the DP guarantee (default: ${DEFAULT-VALUE}).")
  double delta;

  @Option(names = "--noise-multiplier", description = "DP noise multiplier; calibrated to the cap over the "
      + "coordinator's target rounds if absent.")
  Double noiseMultiplier;

  @Option(names = "--clip-norm", defaultValue = "1.0") double clipNorm;

  @Option(names = "--sample-rate", defaultValue = "0.5", description = "Poisson rate of customers per DP step.")
  double sampleRate;

  @Option(names = "--dp-steps-per-round", defaultValue = "5") int dpSteps;

  @Option(names = "--dp-learning-rate", defaultValue = "0.003") double dpLearningRate;

  @Option(names = "--stats-noise-multiplier", defaultValue = "4",
      description = "Noise multiplier of the DP item statistics (default: ${DEFAULT-VALUE}).")
  double statsNoiseMultiplier;

  @Option(names = "--count-noise-multiplier", defaultValue = "10",
      description = "Noise multiplier of the DP customer count, in customers (default: ${DEFAULT-VALUE}).")
  double countNoiseMultiplier;

  @Option(names = "--catalogue", description = "The shop's public product list (CSV, 'stock_code' first; "
      + "'hedgerow partition' writes one). Required with --epsilon-cap; without DP the catalogue is the "
      + "products of the local training data.")
  Path catalogueFile;

  @Option(names = "--training-end", description = "Declared end of the training period, YYYY-MM-DD (exclusive): "
      + "the end of the 'recent' window of the DP item statistics. Required with --epsilon-cap.")
  String trainingEnd;

  @Option(names = "--state", description = "The silo's state directory (created 0700): identity key, signed spend "
      + "log, DP release, so that a restarted silo continues its privacy budget. Used with --epsilon-cap; "
      + "default: the --credentials directory (required with open registration).")
  Path state;

  @Option(names = "--json", description = "Print, as the last line, one JSON object: "
      + "{\"silo\", \"epsilon\", \"delta\", \"rounds_trained\", \"declined\"}.")
  boolean json;

  @Option(names = "--require-secure-aggregation", description = "Refuse (decline, leave the federation and exit "
      + EXIT_POLICY_REFUSED + ") any round that would send this silo's update in the clear, or whose secure "
      + "aggregation is below the minimums below.")
  boolean requireSecureAggregation;
  @Option(names = "--min-clients", defaultValue = "0", description = "With --require-secure-aggregation: fewest silos "
      + "in the round's secure-aggregation roster (0: no minimum).")
  int minSecAggClients;
  @Option(names = "--min-threshold", defaultValue = "0", description = "With --require-secure-aggregation: smallest "
      + "Shamir threshold t (0: no minimum).")
  int minThreshold;
  @Option(names = "--min-bits", defaultValue = "0", description = "With --require-secure-aggregation: fewest "
      + "quantisation bits (0: no minimum).")
  int minBits;
  @Option(names = "--max-round", defaultValue = "0", description = "Refuse to aggregate securely any round numbered "
      + "above R, e.g. the rounds the federation agreed plus slack for aborted ones: bounds how many neighbour graphs "
      + "a coordinator that skips round numbers can choose from (0: the default, "
      + org.hedgerow.edge.client.SecureAggregationPolicy.DEFAULT_MAX_ROUND + ").")
  int maxRound;
  @Option(names = "--max-sybils", defaultValue = "0", description = "With --require-secure-aggregation: assume up to "
      + "S colluding silos (Sybils) among this silo's neighbours and refuse a session unless its threshold t > (k + S)/2 "
      + "for its k neighbours, so that no split of the honest ones gives the coordinator both of this silo's secrets "
      + "(0: no assumption; docs/security.md).")
  int maxSybils;

  /** Exit status when the silo refused a round under its secure-aggregation policy. */
  static final int EXIT_POLICY_REFUSED = 3;

  /** Accepted only to be refused with a reason: a silo's noise is always SecureRandom. */
  @Option(names = "--deterministic-noise", paramLabel = "SEED", hidden = true)
  Long deterministicNoise;

  /** Why a production command refuses deterministic noise. */
  static final String DETERMINISTIC_NOISE_REFUSED = "--deterministic-noise (scenario key 'deterministic_noise') is "
      + "research only — " + org.hedgerow.privacy.noise.NoiseSource.WARNING + " — and is refused here: a real "
      + "federation's noise always comes from SecureRandom. Use it with 'hedgerow simulate', 'demo' or 'sweep'.";

  @Override
  public Integer call() throws Exception {
    if (deterministicNoise != null || org.hedgerow.privacy.noise.NoiseSource.isDeterministic()) {
      throw new picocli.CommandLine.ParameterException(commandSpec.commandLine(), "hedgerow client: "
          + DETERMINISTIC_NOISE_REFUSED);
    }
    org.hedgerow.edge.client.SecureAggregationPolicy policy;
    try {
      policy = new org.hedgerow.edge.client.SecureAggregationPolicy(requireSecureAggregation, minSecAggClients,
          minThreshold, minBits, maxRound, maxSybils);
    } catch (IllegalArgumentException e) {
      throw new picocli.CommandLine.ParameterException(commandSpec.commandLine(), e.getMessage());
    }
    this.policy = policy;
    Holdout h = Holdout.parse(holdout);
    java.time.LocalDateTime recentEnd = null;
    Path stateDir = null;
    if (epsilonCap != null) { // bad privacy parameters and missing public inputs fail before any data is read or sent
      org.hedgerow.privacy.budget.PrivacyBudget.checkCap(epsilonCap);
      org.hedgerow.privacy.budget.PrivacyBudget.checkDelta(delta);
      List<String> missing = new java.util.ArrayList<>();
      if (catalogueFile == null) {
        missing.add("--catalogue FILE (the shop's public product list)");
      }
      if (trainingEnd == null) {
        missing.add("--training-end YYYY-MM-DD (the declared end of the training period)");
      }
      if (!missing.isEmpty()) {
        throw new picocli.CommandLine.ParameterException(commandSpec.commandLine(),
            "user-level DP (--epsilon-cap) needs public inputs that do not depend on any customer: missing "
                + String.join(" and ", missing));
      }
      try {
        recentEnd = java.time.LocalDate.parse(trainingEnd).atStartOfDay();
      } catch (java.time.format.DateTimeParseException e) {
        throw new picocli.CommandLine.ParameterException(commandSpec.commandLine(),
            "--training-end must be a date YYYY-MM-DD. Provided value: " + trainingEnd);
      }
      stateDir = state != null ? state : credentials;
      if (stateDir == null) {
        throw new picocli.CommandLine.ParameterException(commandSpec.commandLine(),
            "user-level DP (--epsilon-cap) needs --state DIR: the silo keeps its identity key and signed spend log "
                + "there, so that a restart continues its privacy budget instead of starting a fresh one "
                + "(with --credentials the default is that directory)");
      }
    }
    // The state's lock, permissions, key and log are checked before any data is read or anything is sent.
    try (SiloState st = stateDir == null ? null : SiloState.open(stateDir)) {
      if (st != null) {
        st.checkBudget(silo, epsilonCap, delta); // a changed cap, delta or silo name is refused at once
      }
      return run(h, recentEnd, st);
    }
  }

  private org.hedgerow.edge.client.SecureAggregationPolicy policy;

  private int run(Holdout h, java.time.LocalDateTime recentEnd, SiloState st) throws Exception {
    Catalogue declared = catalogueFile == null ? null : Catalogue.load(catalogueFile);
    RetailLogLoader.Result r = format.logFormat().load(data);
    System.out.println(silo + ": " + r.report());
    java.util.List<org.hedgerow.edge.data.PurchaseLine> lines = r.lines();
    Path stateHome = state != null ? state : st != null ? st.dir() : null;
    Path store = serveStore != null ? serveStore : stateHome != null
        && java.nio.file.Files.isRegularFile(stateHome.resolve("serve.db")) ? stateHome.resolve("serve.db") : null;
    if (store != null) { // consent and erasure at the silo's service bind its training (docs/serving.md)
      org.hedgerow.edge.silo.TrainingConsent consent = org.hedgerow.edge.silo.TrainingConsent.fromStore(store);
      lines = consent.trainingLines(lines);
      System.out.printf("%s: serving store %s: %d customers excluded from training (opted out or erased), %d feedback "
          + "events added%n", silo, store, consent.excluded().size(), consent.feedback().size());
    }
    var baskets = SiloData.basketsByCustomer(lines);
    Catalogue catalogue = declared != null ? declared : new Catalogue(SiloData.trainingCodes(baskets, h));
    SiloData local = SiloData.build(silo, baskets, h, catalogue);
    if (coordinator.getScheme().equals("https") && credentials == null) {
      throw new picocli.CommandLine.ParameterException(commandSpec.commandLine(),
          "an https coordinator needs --credentials DIR (from 'hedgerow enrol')");
    }
    CoordinatorClient cc = credentials == null ? new CoordinatorClient(coordinator)
        : new CoordinatorClient(coordinator, 8, org.hedgerow.edge.client.ClientCredentials.load(credentials));
    SiloPrivacy dp = null;
    PreparedSilo prepared;
    if (epsilonCap != null) {
      // The planned rounds come from the coordinator, so the calibrated run fits the cap exactly; a restarted
      // silo recalibrates for the rounds that remain, on top of what its log says it spent.
      CoordinatorClient.RoundState now = cc.round(-1);
      int rounds = now.targetRounds();
      int remaining = Math.max(1, rounds - Math.max(1, now.round()) + 1);
      DpConfig config = new DpConfig(noiseMultiplier != null ? noiseMultiplier : 1, clipNorm, sampleRate, dpSteps,
          dpLearningRate, epsilonCap, delta, statsNoiseMultiplier, countNoiseMultiplier);
      SiloSettings settings = new SiloSettings(silo, targetsPerCustomer, examplesPerKind, seed, config, recentEnd,
          noiseMultiplier == null);
      int logged = st.log().entries().size();
      dp = Silos.privacy(settings, st, local, catalogue.size(), remaining);
      prepared = Silos.prepare(settings, local, catalogue.size(), dp.release());
      if (logged > 0) {
        System.out.printf("%s: resumed from %s: epsilon %.6f spent so far in %d rounds (%d signed spends in its log)%n",
            silo, st.dir(), dp.budget().epsilon(), dp.budget().rounds(), dp.log().entries().size());
      }
      System.out.printf("%s: user-level DP, cap %.3g at delta %.3g, sigma %.6f over %d%s rounds (release: stats sigma "
          + "%.3g, count sigma %.3g); state %s%n", silo, epsilonCap, delta, dp.config().noiseMultiplier(),
          noiseMultiplier == null ? remaining : rounds, noiseMultiplier == null && remaining != rounds
              ? " remaining" : "", dp.release().statsNoiseMultiplier(), dp.release().countNoiseMultiplier(), st.dir());
    } else {
      prepared = Silos.prepare(SiloSettings.plain(silo, targetsPerCustomer, examplesPerKind, seed), local,
          catalogue.size(), null);
    }
    FeatureExtractor fx = prepared.features();
    System.out.printf("%s: %d customers, %,d training examples, %d test baskets (local figures; not sent)%n", silo,
        local.customers().size(), prepared.examples().size(), local.testBaskets());
    ModelSpec spec = specFrom(cc.modelInfo());
    EdgeClient client = prepared.client(cc, spec, new Semaphore(1), dp, policy);
    try {
      client.run();
    } finally {
      if (client.budget() != null) {
        System.out.printf("%s: privacy spent epsilon %.6f of cap %.3g at delta %.3g (from the accountant)%n", silo,
            client.budget().epsilon(), epsilonCap, delta);
      }
    }
    if (client.refusedByPolicy()) {
      // Refused under its secure-aggregation policy: it sent nothing for that round and left the federation.
      System.err.println("refused: " + client.declineReason());
      if (json) {
        var o = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
        o.put("silo", silo).put("rounds_trained", client.roundsDone()).put("declined", client.declineReason());
        System.out.println(o);
      }
      return EXIT_POLICY_REFUSED;
    }
    PreferenceModel m = new PreferenceModel(spec, seed);
    m.setParameters(cc.model(spec.parameterCount()).parameters());
    if (saveModel != null) {
      org.hedgerow.edge.client.CoordinatorClient.GlobalModel g = cc.model(spec.parameterCount());
      new org.hedgerow.edge.serve.ServingModel(Integer.toString(g.version()), spec, g.parameters()).write(saveModel);
      System.out.printf("%s: global model version %d saved to %s%n", silo, g.version(), saveModel);
    }
    Metrics metrics = Evaluator.evaluate(local, new ModelRanker(m, fx)).metrics();
    System.out.printf("%s: %d rounds done; final global model on the local holdout: hr@10 %.4f, recall@10 %.4f, "
        + "ndcg@10 %.4f, auc %.4f (%d test baskets)%n", silo, client.roundsDone(), metrics.hr10(), metrics.recall10(),
        metrics.ndcg10(), metrics.auc(), metrics.baskets());
    if (catalogue.hasDescriptions() && metrics.baskets() > 0) {
      // The explore policy a shop could serve (docs/preferences.md): one of the top 10 kept for a product new
      // to the customer. Under DP its order comes from public descriptions and the DP release only.
      org.hedgerow.edge.eval.NewProductScorer order = dp != null
          ? org.hedgerow.edge.eval.NewProductScorer.publicDescriptions(catalogue.size(), fx.itemPopularity(),
              catalogue.descriptionWords())
          : org.hedgerow.edge.eval.NewProductScorer.of(local.customers(), catalogue.size(), catalogue.descriptionWords());
      Metrics explore = Evaluator.evaluate(local, org.hedgerow.edge.eval.ExploreSlotsRanker.fixed(new ModelRanker(m, fx),
          1, order)).metrics();
      System.out.printf("%s: with one of the top 10 kept for a new product (ordered by %s): hr@10 %.4f, "
          + "recall@10-explore %.4f (model alone %.4f), recall@10-repeat %.4f (model alone %.4f)%n", silo,
          dp != null ? "catalogue descriptions x the DP release" : "co-purchase, similar customers, descriptions",
          explore.hr10(), explore.recall10Explore(), metrics.recall10Explore(), explore.recall10Repeat(),
          metrics.recall10Repeat());
    }
    if (json) {
      var o = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
      o.put("silo", silo);
      if (client.budget() != null) {
        o.put("epsilon", client.budget().epsilon());
        o.put("delta", client.budget().delta());
      } else {
        o.putNull("epsilon");
        o.putNull("delta");
      }
      o.put("rounds_trained", client.roundsDone());
      o.put("declined", client.declineReason());
      System.out.println(o);
    }
    return 0;
  }

  /** The coordinator's model spec; refused unless its feature schema is the one this client computes. */
  static ModelSpec specFrom(org.hedgerow.aggregation.wire.ModelInfo info) {
    ModelSpec spec = info.spec();
    if (spec == null) {
      throw new IllegalStateException("the coordinator's model info has no spec");
    }
    if (!spec.featureSchema().equals(FeatureExtractor.SCHEMA)) {
      throw new IllegalArgumentException("the coordinator's model expects features '" + spec.featureSchema()
          + "', this client computes '" + FeatureExtractor.SCHEMA + "'");
    }
    if (!spec.hash().equals(info.specHash())) {
      throw new IllegalStateException("model spec hash mismatch: coordinator says " + info.specHash()
          + ", recomputed " + spec.hash());
    }
    return spec;
  }
}
