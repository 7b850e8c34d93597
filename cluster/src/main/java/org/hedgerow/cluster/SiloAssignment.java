package org.hedgerow.cluster;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.hedgerow.aggregation.model.ModelSpec;
import java.time.LocalDateTime;
import org.hedgerow.edge.dp.DpConfig;
import org.hedgerow.edge.silo.SiloSettings;

/**
 * The run-wide half of what a worker is told when it receives silos: the model and how every silo
 * builds its examples ({@link SiloSettings}, with user-level DP or without), so that it assembles each
 * silo exactly as {@code hedgerow client} and the in-process simulator do ({@code Silos.prepare}).
 *
 * @param run identifies one federation; a worker keeps its silos per run until released
 * @param catalogueSize size of the catalogue the silos' baskets are indexed against
 * @param coPurchase whether features include the silo's own co-purchase counts
 * @param dp every silo's user-level DP settings (null: non-private silos)
 * @param trainingEnd the declared training end of DP silos (a public input; null without DP)
 */
record SiloAssignment(String run, ModelSpec spec, int targetsPerCustomer, int examplesPerKind, long seed,
    boolean coPurchase, int catalogueSize, DpConfig dp, LocalDateTime trainingEnd) {

  SiloAssignment(String run, ModelSpec spec, int targetsPerCustomer, int examplesPerKind, long seed,
      boolean coPurchase, int catalogueSize) {
    this(run, spec, targetsPerCustomer, examplesPerKind, seed, coPurchase, catalogueSize, null, null);
  }

  SiloSettings settings(String silo) {
    return dp == null ? SiloSettings.plain(silo, targetsPerCustomer, examplesPerKind, seed)
        : new SiloSettings(silo, targetsPerCustomer, examplesPerKind, seed, dp, trainingEnd, false);
  }

  JsonObject toJson() {
    JsonObject o = new JsonObject().put("run", run).put("spec", spec(spec)).put("targets_per_customer", targetsPerCustomer)
        .put("examples_per_kind", examplesPerKind).put("seed", seed).put("copurchase", coPurchase)
        .put("catalogue_size", catalogueSize);
    if (dp != null) {
      // Doubles travel as JSON numbers, which Vert.x writes in Java's shortest round-trip form: exact.
      o.put("dp", new JsonObject().put("noise_multiplier", dp.noiseMultiplier()).put("clip_norm", dp.clipNorm())
          .put("sample_rate", dp.sampleRate()).put("steps_per_round", dp.stepsPerRound())
          .put("learning_rate", dp.learningRate()).put("epsilon_cap", dp.epsilonCap()).put("delta", dp.delta())
          .put("stats_noise_multiplier", dp.statsNoiseMultiplier())
          .put("count_noise_multiplier", dp.countNoiseMultiplier()))
          .put("training_end", trainingEnd.toString());
    }
    return o;
  }

  static SiloAssignment fromJson(JsonObject o) {
    JsonObject d = o.getJsonObject("dp");
    DpConfig dp = d == null ? null : new DpConfig(d.getDouble("noise_multiplier"), d.getDouble("clip_norm"),
        d.getDouble("sample_rate"), d.getInteger("steps_per_round"), d.getDouble("learning_rate"),
        d.getDouble("epsilon_cap"), d.getDouble("delta"), d.getDouble("stats_noise_multiplier"),
        d.getDouble("count_noise_multiplier"));
    return new SiloAssignment(o.getString("run"), spec(o.getJsonObject("spec")), o.getInteger("targets_per_customer"),
        o.getInteger("examples_per_kind"), o.getLong("seed"), o.getBoolean("copurchase"),
        o.getInteger("catalogue_size"), dp, d == null ? null : LocalDateTime.parse(o.getString("training_end")));
  }

  private static JsonObject spec(ModelSpec s) {
    return new JsonObject().put("feature_schema", s.featureSchema()).put("layer_sizes", new JsonArray(s.layerSizes()))
        .put("hidden_activation", s.hiddenActivation()).put("output_activation", s.outputActivation())
        .put("dropout", s.dropout()).put("loss", s.loss()).put("learning_rate", s.learningRate());
  }

  private static ModelSpec spec(JsonObject o) {
    return new ModelSpec(o.getString("feature_schema"),
        o.getJsonArray("layer_sizes").stream().map(x -> ((Number) x).intValue()).toList(),
        o.getString("hidden_activation"), o.getString("output_activation"), o.getDouble("dropout"), o.getString("loss"),
        o.getDouble("learning_rate"));
  }
}
