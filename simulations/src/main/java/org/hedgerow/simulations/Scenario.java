package org.hedgerow.simulations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.hedgerow.aggregation.strategy.AggregatorSpec;

/**
 * A federation to simulate, read from a JSON scenario file. Every key is optional; missing keys take
 * the bundled default's value. Unknown keys are an error, so a typo never silently falls back.
 *
 * @param name label for reports
 * @param data behaviour log (CSV or CSV.gz); relative paths resolve against the Hedgerow home
 * @param partition a {@link org.hedgerow.simulations.partition.Partitioner#parse} spec, e.g. {@code region},
 *     {@code dirichlet:0.5} or {@code per-customer}
 * @param ukShops shops the UK is split into by customer
 * @param holdout {@code last-invoice} or {@code after=YYYY-MM-DD}
 * @param rounds federated rounds
 * @param localEpochs epochs per round at each client
 * @param batchSize minibatch size
 * @param hidden hidden layer widths
 * @param dropout dropout after each hidden layer
 * @param learningRate Adam learning rate
 * @param targetsPerCustomer latest training baskets per customer used as targets
 * @param examplesPerKind examples per stratum per target
 * @param workers training workers (one DL4J/OpenMP thread each)
 * @param seed seed of everything that is random in the run
 * @param privacy {@code none} (only {@code federated}), {@code local} (each silo trains with
 *     user-level DP; adds {@code federated-dp}) or {@code central} (the coordinator clips and noises
 *     client updates; adds {@code federated-dp})
 * @param epsilonCap ε cap per silo (local) or for the federation (central), per customer/client
 * @param delta δ of every guarantee
 * @param noiseMultiplier σ; null to calibrate it so the planned rounds just fit the cap
 * @param clipNorm C: per-customer gradient bound (local) or per-client delta bound (central)
 * @param sampleRate q: Poisson sampling rate of customers per DP step (local mode)
 * @param dpStepsPerRound noisy steps per round at each silo (local mode)
 * @param secureAggregation {@code "none"}, {@code "secagg"} or {@code "secagg+"} (or an object with
 *     parameters, see {@link SecureAggregationSetting}); when on, adds {@code federated-secagg}
 *     ({@code federated-dp-secagg} with local DP)
 * @param dpLearningRate Adam step size of DP training (local mode)
 * @param statsNoiseMultiplier σ_s of each silo's DP item statistics (local mode): one Gaussian
 *     release of L2 sensitivity 1, charged to the silo's budget before training
 * @param countNoiseMultiplier σ_n of each silo's DP customer count (local mode), in customers
 * @param catalogue the declared, public product catalogue (CSV, {@code stock_code} first;
 *     relative paths resolve against the Hedgerow home) that every silo ranks and samples from;
 *     null derives it from the silos' training data (not allowed with privacy {@code local}: a
 *     catalogue read off the data is not public)
 * @param trainingEnd the declared end of the training period ({@code YYYY-MM-DD}, exclusive): the
 *     end of the "recent" window of the DP item statistics; null only without local DP
 * @param aggregator how the coordinator turns a round's updates into the next model: a name
 *     ({@code "fedavg"}, the default, {@code "fedavgm"}, {@code "fedadam"}, {@code "fedyogi"},
 *     {@code "median"}, {@code "trimmed-mean"}) or an object {@code {"name": …, "server_learning_rate":
 *     …, "server_momentum": …, "beta1": …, "beta2": …, "tau": …, "trim_fraction": …,
 *     "max_update_norm": …}} with the parameters the rule takes (see {@link AggregatorSpec}). Used by
 *     every federation of the run; rules that need each client's update (median, trimmed mean, a
 *     max_update_norm) cannot be combined with secure aggregation or central DP
 * @param distributedDp also run {@code federated-ddp-secagg}: distributed DP under secure aggregation
 *     (each silo adds a discrete Gaussian share before masking; needs privacy {@code local} and
 *     secure aggregation), at the same cap as {@code federated-dp-secagg}
 * @param ddpLearningRate η of distributed DP: each round's pseudo-delta is −η times the mean clipped
 *     customer gradient (default 1)
 * @param coPurchase whether non-private silos (and {@code centralized}) add co-purchase features
 *     from their own data ({@code CoPurchase}, docs/preferences.md); never under local DP
 * @param clientsPerRound cross-device mode (partition {@code customer}): the expected cohort K; each
 *     round every customer's device is sampled independently with probability q = K/N (Poisson);
 *     null: every device, every round
 * @param dropoutRate cross-device mode: probability that a sampled device drops out before training
 * @param stragglerRate cross-device mode: probability that a sampled device trains but reports after
 *     the round's deadline (its update is discarded)
 * @param deterministicNoise research only: every DP noise source, sampler and stochastic rounder
 *     draws from streams derived from this seed, so a DP run replays bit for bit ({@code
 *     NoiseSource}); not a privacy guarantee, refused by {@code client} and {@code coordinator start};
 *     null (default): {@code SecureRandom}
 */
public record Scenario(
    String name,
    String data,
    String partition,
    int ukShops,
    String holdout,
    int rounds,
    int localEpochs,
    int batchSize,
    List<Integer> hidden,
    double dropout,
    double learningRate,
    int targetsPerCustomer,
    int examplesPerKind,
    int workers,
    long seed,
    String privacy,
    double epsilonCap,
    double delta,
    Double noiseMultiplier,
    double clipNorm,
    double sampleRate,
    int dpStepsPerRound,
    double dpLearningRate,
    SecureAggregationSetting secureAggregation,
    double statsNoiseMultiplier,
    double countNoiseMultiplier,
    String catalogue,
    String trainingEnd,
    AggregatorSpec aggregator,
    boolean distributedDp,
    double ddpLearningRate,
    boolean coPurchase,
    Integer clientsPerRound,
    double dropoutRate,
    double stragglerRate,
    Long deterministicNoise) {

  /** The privacy modes. */
  public static final List<String> PRIVACY_MODES = List.of("none", "local", "central");

  /** The bundled default scenario on the classpath. */
  public static final String DEFAULT_RESOURCE = "/org/hedgerow/simulations/default-scenario.json";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> KEYS = Set.of("name", "data", "partition", "uk_shops", "holdout", "rounds",
      "local_epochs", "batch_size", "hidden", "dropout", "learning_rate", "targets_per_customer",
      "examples_per_kind", "workers", "seed", "privacy", "epsilon_cap", "delta", "noise_multiplier", "clip_norm",
      "sample_rate", "dp_steps_per_round", "dp_learning_rate", "secure_aggregation", "stats_noise_multiplier",
      "count_noise_multiplier", "catalogue", "training_end", "aggregator", "distributed_dp", "ddp_learning_rate",
      "copurchase", "clients_per_round", "dropout_rate", "straggler_rate", "deterministic_noise");

  /** Cross-device defaults: a few devices of every cohort drop out, a few report too late. */
  public static final double DEFAULT_DROPOUT_RATE = 0.05;
  public static final double DEFAULT_STRAGGLER_RATE = 0.05;

  public Scenario {
    hidden = List.copyOf(hidden);
    positive("rounds", rounds);
    positive("local_epochs", localEpochs);
    positive("batch_size", batchSize);
    positive("uk_shops", ukShops);
    positive("targets_per_customer", targetsPerCustomer);
    positive("examples_per_kind", examplesPerKind);
    positive("workers", workers);
    if (!(dropout >= 0 && dropout < 1)) {
      throw new IllegalArgumentException("dropout must be in [0, 1). Provided value: " + dropout);
    }
    if (!(learningRate > 0 && Double.isFinite(learningRate))) {
      throw new IllegalArgumentException("learning_rate must be > 0 and finite. Provided value: " + learningRate);
    }
    if (!PRIVACY_MODES.contains(privacy)) {
      throw new IllegalArgumentException("privacy must be one of " + PRIVACY_MODES + ". Provided value: " + privacy);
    }
    if (!(epsilonCap > 0 && Double.isFinite(epsilonCap))) {
      throw new IllegalArgumentException("epsilon_cap must be > 0 and finite. Provided value: " + epsilonCap);
    }
    if (!(delta > 0 && delta < 1)) {
      throw new IllegalArgumentException("delta must be in (0, 1). Provided value: " + delta);
    }
    if (noiseMultiplier != null && !(noiseMultiplier > 0 && Double.isFinite(noiseMultiplier))) {
      throw new IllegalArgumentException("noise_multiplier must be > 0 and finite (or null to calibrate). Provided value: "
          + noiseMultiplier);
    }
    if (!(clipNorm > 0 && Double.isFinite(clipNorm))) {
      throw new IllegalArgumentException("clip_norm must be > 0 and finite. Provided value: " + clipNorm);
    }
    if (!(sampleRate > 0 && sampleRate <= 1)) {
      throw new IllegalArgumentException("sample_rate must be in (0, 1]. Provided value: " + sampleRate);
    }
    positive("dp_steps_per_round", dpStepsPerRound);
    if (!(dpLearningRate > 0 && Double.isFinite(dpLearningRate))) {
      throw new IllegalArgumentException("dp_learning_rate must be > 0 and finite. Provided value: " + dpLearningRate);
    }
    if (!(statsNoiseMultiplier > 0 && Double.isFinite(statsNoiseMultiplier))) {
      throw new IllegalArgumentException("stats_noise_multiplier must be > 0 and finite. Provided value: "
          + statsNoiseMultiplier);
    }
    if (!(countNoiseMultiplier > 0 && Double.isFinite(countNoiseMultiplier))) {
      throw new IllegalArgumentException("count_noise_multiplier must be > 0 and finite. Provided value: "
          + countNoiseMultiplier);
    }
    if (trainingEnd != null) {
      try {
        java.time.LocalDate.parse(trainingEnd);
      } catch (java.time.format.DateTimeParseException e) {
        throw new IllegalArgumentException("training_end must be a date YYYY-MM-DD. Provided value: " + trainingEnd);
      }
    }
    if (privacy.equals("local") && (catalogue == null || trainingEnd == null)) {
      throw new IllegalArgumentException("privacy 'local' needs public inputs declared in the scenario: "
          + (catalogue == null ? "'catalogue' (a product list file)" : "")
          + (catalogue == null && trainingEnd == null ? " and " : "")
          + (trainingEnd == null ? "'training_end' (YYYY-MM-DD)" : "")
          + " — values read off the customers' data would not be covered by the DP guarantee");
    }
    if (secureAggregation == null) {
      secureAggregation = SecureAggregationSetting.NONE;
    }
    if (secureAggregation.enabled() && privacy.equals("central")) {
      throw new IllegalArgumentException("secure_aggregation cannot be combined with privacy 'central': central DP "
          + "clips each client's update at the coordinator, which secure aggregation hides; use privacy 'local'");
    }
    if (aggregator == null) {
      aggregator = AggregatorSpec.DEFAULT;
    }
    if (aggregator.needsIndividualUpdates() && secureAggregation.enabled()) {
      throw new IllegalArgumentException("aggregator " + aggregator + " needs each client's update, but secure "
          + "aggregation '" + secureAggregation.mode() + "' reveals only their sum; use fedavg, fedavgm, fedadam or "
          + "fedyogi without max_update_norm, or secure_aggregation 'none'");
    }
    if (distributedDp && (!privacy.equals("local") || !secureAggregation.enabled())) {
      throw new IllegalArgumentException("distributed_dp needs privacy 'local' (each silo keeps a budget, its release "
          + "and its cap) and secure_aggregation 'secagg' or 'secagg+' (only the sum of the noise shares is released)");
    }
    if (!(ddpLearningRate > 0 && Double.isFinite(ddpLearningRate))) {
      throw new IllegalArgumentException("ddp_learning_rate must be > 0 and finite. Provided value: " + ddpLearningRate);
    }
    if (clientsPerRound != null && clientsPerRound < 1) {
      throw new IllegalArgumentException("clients_per_round must be >= 1 (or null: every device). Provided value: "
          + clientsPerRound);
    }
    if (!(dropoutRate >= 0 && dropoutRate < 1)) {
      throw new IllegalArgumentException("dropout_rate must be in [0, 1). Provided value: " + dropoutRate);
    }
    if (!(stragglerRate >= 0 && stragglerRate < 1) || dropoutRate + stragglerRate >= 1) {
      throw new IllegalArgumentException("straggler_rate must be in [0, 1) with dropout_rate + straggler_rate < 1. "
          + "Provided value: " + stragglerRate);
    }
    // (fields are not assigned yet in a compact constructor: test the parameter, not crossDevice())
    if (clientsPerRound != null && !(partition.equals("customer") || partition.equals("per-customer"))) {
      throw new IllegalArgumentException("clients_per_round samples a cohort of devices: it needs partition "
          + "'customer' (= 'per-customer', one client per customer). Provided partition: " + partition);
    }
    if (aggregator.needsIndividualUpdates() && privacy.equals("central")) {
      throw new IllegalArgumentException("aggregator " + aggregator + " needs each client's update, but central DP "
          + "releases only the noisy mean of the clipped updates (clip_norm already bounds each one); use fedavg, "
          + "fedavgm, fedadam or fedyogi without max_update_norm");
    }
  }

  /** Cross-device mode: every customer is a client (partition {@code customer} or {@code per-customer}). */
  public boolean crossDevice() {
    return partition.equals("customer") || partition.equals("per-customer");
  }

  /** The preference MLP this scenario trains. */
  public org.hedgerow.aggregation.model.ModelSpec modelSpec() {
    return org.hedgerow.edge.model.PreferenceModelSpec.of(hidden, dropout, learningRate);
  }

  /**
   * The coordinator's half of this scenario: model, rounds, seed, fit configuration, aggregator, central
   * DP (privacy {@code central}), secure aggregation, and the declaration made to silos ({@code local}
   * under local DP). What stays here is research-only: data, partition, holdout, the silos' DP-SGD
   * settings, workers, baselines.
   */
  public org.hedgerow.coordinator.assembly.FederationConfig federationConfig() {
    var c = org.hedgerow.coordinator.assembly.FederationConfig.plain(modelSpec(), rounds, seed,
        new org.hedgerow.aggregation.strategy.FitConfig(localEpochs, batchSize, seed), aggregator)
        .withPrivacy(privacy.equals("local") ? org.hedgerow.coordinator.CoordinatorOptions.PRIVACY_LOCAL
            : org.hedgerow.coordinator.CoordinatorOptions.PRIVACY_NONE);
    if (privacy.equals("central")) {
      c = c.withCentralDp(new org.hedgerow.coordinator.assembly.FederationConfig.CentralDp(clipNorm, noiseMultiplier,
          epsilonCap, delta));
    }
    if (secureAggregation.enabled()) {
      c = c.withSecureAggregation(secureAggregation.coordinatorOptions(
          org.hedgerow.coordinator.CoordinatorOptions.DEFAULT_ROUND_DEADLINE_MILLIS));
    }
    return c;
  }

  /** The declared end of the training period as the start of that day, or null if none is declared. */
  public java.time.LocalDateTime trainingEndTime() {
    return trainingEnd == null ? null : java.time.LocalDate.parse(trainingEnd).atStartOfDay();
  }

  /** Whether a private federation ({@code federated-dp}) runs as well. */
  public boolean privacyEnabled() {
    return !privacy.equals("none");
  }

  private static void positive(String key, int v) {
    if (v < 1) {
      throw new IllegalArgumentException(key + " must be >= 1. Provided value: " + v);
    }
  }

  public static Scenario bundledDefault() {
    try (InputStream in = Scenario.class.getResourceAsStream(DEFAULT_RESOURCE)) {
      return fromJson((ObjectNode) JSON.readTree(in), "bundled default scenario");
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the bundled default scenario", e);
    }
  }

  /** Reads a scenario file; its keys override the bundled default. */
  public static Scenario load(Path file) {
    JsonNode n;
    try {
      n = JSON.readTree(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read scenario " + file + ": " + e.getMessage());
    }
    if (!(n instanceof ObjectNode o)) {
      throw new IllegalArgumentException("scenario " + file + " must be a JSON object");
    }
    return bundledDefault().with(o, file.toString());
  }

  /** This scenario with the keys of {@code o} overriding. */
  public Scenario with(ObjectNode o, String source) {
    ObjectNode base = toJson();
    Iterator<String> names = o.fieldNames();
    while (names.hasNext()) {
      String k = names.next();
      if (!KEYS.contains(k)) {
        throw new IllegalArgumentException(source + ": unknown key '" + k + "' (known: " + new java.util.TreeSet<>(KEYS) + ")");
      }
      base.set(k, o.get(k));
    }
    return fromJson(base, source);
  }

  private static Scenario fromJson(ObjectNode o, String source) {
    try {
      List<Integer> hidden = new ArrayList<>();
      o.get("hidden").forEach(h -> hidden.add(intValue(h, "hidden", source)));
      return new Scenario(text(o, "name", source), text(o, "data", source), text(o, "partition", source),
          intValue(o.get("uk_shops"), "uk_shops", source), text(o, "holdout", source),
          intValue(o.get("rounds"), "rounds", source), intValue(o.get("local_epochs"), "local_epochs", source),
          intValue(o.get("batch_size"), "batch_size", source), hidden, number(o, "dropout", source),
          number(o, "learning_rate", source), intValue(o.get("targets_per_customer"), "targets_per_customer", source),
          intValue(o.get("examples_per_kind"), "examples_per_kind", source),
          intValue(o.get("workers"), "workers", source), (long) number(o, "seed", source), text(o, "privacy", source),
          number(o, "epsilon_cap", source), number(o, "delta", source), nullableNumber(o, "noise_multiplier", source),
          number(o, "clip_norm", source), number(o, "sample_rate", source),
          intValue(o.get("dp_steps_per_round"), "dp_steps_per_round", source),
          number(o, "dp_learning_rate", source), SecureAggregationSetting.fromJson(o.get("secure_aggregation"), source),
          number(o, "stats_noise_multiplier", source), number(o, "count_noise_multiplier", source),
          nullableText(o, "catalogue", source), nullableText(o, "training_end", source),
          aggregator(o.get("aggregator"), source), bool(o, "distributed_dp", false, source),
          o.hasNonNull("ddp_learning_rate") ? number(o, "ddp_learning_rate", source)
              : org.hedgerow.coordinator.secagg.DistributedDpOptions.DEFAULT_LEARNING_RATE,
          bool(o, "copurchase", false, source),
          o.hasNonNull("clients_per_round") ? intValue(o.get("clients_per_round"), "clients_per_round", source) : null,
          o.hasNonNull("dropout_rate") ? number(o, "dropout_rate", source) : DEFAULT_DROPOUT_RATE,
          o.hasNonNull("straggler_rate") ? number(o, "straggler_rate", source) : DEFAULT_STRAGGLER_RATE,
          o.hasNonNull("deterministic_noise") ? longValue(o.get("deterministic_noise"), "deterministic_noise", source)
              : null);
    } catch (NullPointerException e) {
      throw new IllegalArgumentException(source + ": a required key is missing");
    }
  }

  private static boolean bool(ObjectNode o, String k, boolean absent, String source) {
    JsonNode n = o.get(k);
    if (n == null || n.isNull()) {
      return absent;
    }
    if (!n.isBoolean()) {
      throw new IllegalArgumentException(source + ": '" + k + "' must be true or false");
    }
    return n.asBoolean();
  }

  /**
   * The distributed-DP settings of the {@code federated-ddp-secagg} federation: the silos' cap as the
   * target, their δ, clip norm and release noise, over this scenario's rounds.
   */
  public org.hedgerow.coordinator.secagg.DistributedDpOptions distributedDpOptions() {
    return new org.hedgerow.coordinator.secagg.DistributedDpOptions(epsilonCap, delta, clipNorm, ddpLearningRate,
        org.hedgerow.coordinator.secagg.DistributedDpOptions.DEFAULT_ROUNDING_INFLATION, statsNoiseMultiplier,
        countNoiseMultiplier, rounds);
  }

  /** The {@code aggregator} key: missing or null means fedavg; a string names the rule; an object adds parameters. */
  private static AggregatorSpec aggregator(JsonNode n, String source) {
    if (n == null || n.isNull()) {
      return AggregatorSpec.DEFAULT;
    }
    if (n.isTextual()) {
      return AggregatorSpec.of(n.asText());
    }
    if (!n.isObject()) {
      throw new IllegalArgumentException(source + ": 'aggregator' must be a string or an object");
    }
    if (!n.path("name").isTextual()) {
      throw new IllegalArgumentException(source + ": 'aggregator.name' must be a string");
    }
    java.util.Map<String, Double> parameters = new java.util.LinkedHashMap<>();
    Iterator<String> keys = n.fieldNames();
    while (keys.hasNext()) {
      String k = keys.next();
      if (k.equals("name")) {
        continue;
      }
      if (!AggregatorSpec.PARAMETERS.contains(k)) {
        java.util.Set<String> known = new java.util.TreeSet<>(AggregatorSpec.PARAMETERS);
        known.add("name");
        throw new IllegalArgumentException(source + ": unknown key 'aggregator." + k + "' (known: " + known + ")");
      }
      if (!n.get(k).isNumber()) {
        throw new IllegalArgumentException(source + ": 'aggregator." + k + "' must be a number");
      }
      parameters.put(k, n.get(k).asDouble());
    }
    return AggregatorSpec.of(n.get("name").asText(), parameters);
  }

  private static String text(ObjectNode o, String k, String source) {
    JsonNode n = o.get(k);
    if (n == null || !n.isTextual()) {
      throw new IllegalArgumentException(source + ": '" + k + "' must be a string");
    }
    return n.asText();
  }

  private static String nullableText(ObjectNode o, String k, String source) {
    JsonNode n = o.get(k);
    return n == null || n.isNull() ? null : text(o, k, source);
  }

  private static double number(ObjectNode o, String k, String source) {
    JsonNode n = o.get(k);
    if (n == null || !n.isNumber()) {
      throw new IllegalArgumentException(source + ": '" + k + "' must be a number");
    }
    return n.asDouble();
  }

  private static Double nullableNumber(ObjectNode o, String k, String source) {
    JsonNode n = o.get(k);
    if (n == null || n.isNull()) {
      return null;
    }
    return number(o, k, source);
  }

  private static long longValue(JsonNode n, String k, String source) {
    if (n == null || !n.isIntegralNumber() || !n.canConvertToLong()) {
      throw new IllegalArgumentException(source + ": '" + k + "' must be an integer");
    }
    return n.asLong();
  }

  private static int intValue(JsonNode n, String k, String source) {
    if (n == null || !n.canConvertToInt() || !n.isIntegralNumber()) {
      throw new IllegalArgumentException(source + ": '" + k + "' must be an integer");
    }
    return n.asInt();
  }

  public ObjectNode toJson() {
    ObjectNode o = JSON.createObjectNode();
    o.put("name", name).put("data", data).put("partition", partition).put("uk_shops", ukShops).put("holdout", holdout)
        .put("rounds", rounds).put("local_epochs", localEpochs).put("batch_size", batchSize);
    hidden.forEach(o.putArray("hidden")::add);
    o.put("dropout", dropout).put("learning_rate", learningRate).put("targets_per_customer", targetsPerCustomer)
        .put("examples_per_kind", examplesPerKind).put("workers", workers).put("seed", seed);
    o.put("privacy", privacy).put("epsilon_cap", epsilonCap).put("delta", delta);
    if (noiseMultiplier == null) {
      o.putNull("noise_multiplier");
    } else {
      o.put("noise_multiplier", noiseMultiplier);
    }
    o.put("clip_norm", clipNorm).put("sample_rate", sampleRate).put("dp_steps_per_round", dpStepsPerRound)
        .put("dp_learning_rate", dpLearningRate);
    o.set("secure_aggregation", secureAggregation.toJson());
    o.put("stats_noise_multiplier", statsNoiseMultiplier).put("count_noise_multiplier", countNoiseMultiplier);
    if (catalogue == null) {
      o.putNull("catalogue");
    } else {
      o.put("catalogue", catalogue);
    }
    if (trainingEnd == null) {
      o.putNull("training_end");
    } else {
      o.put("training_end", trainingEnd);
    }
    o.put("distributed_dp", distributedDp).put("ddp_learning_rate", ddpLearningRate);
    o.put("copurchase", coPurchase);
    if (clientsPerRound == null) {
      o.putNull("clients_per_round");
    } else {
      o.put("clients_per_round", clientsPerRound);
    }
    o.put("dropout_rate", dropoutRate).put("straggler_rate", stragglerRate);
    if (deterministicNoise == null) {
      o.putNull("deterministic_noise");
    } else {
      o.put("deterministic_noise", deterministicNoise);
    }
    if (aggregator.parameters().isEmpty()) {
      o.put("aggregator", aggregator.name());
    } else {
      ObjectNode a = o.putObject("aggregator").put("name", aggregator.name());
      aggregator.parameters().forEach(a::put);
    }
    return o;
  }
}
