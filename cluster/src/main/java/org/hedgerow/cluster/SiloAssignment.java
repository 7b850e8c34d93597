package org.hedgerow.cluster;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.hedgerow.aggregation.model.ModelSpec;
import org.hedgerow.edge.silo.SiloSettings;

/**
 * The run-wide half of what a worker is told when it receives silos: the model and how every silo
 * builds its examples ({@link SiloSettings}, non-private), so that it assembles each silo exactly as
 * {@code hedgerow client} and the in-process simulator do ({@code Silos.prepare}).
 *
 * @param run identifies one federation; a worker keeps its silos per run until released
 * @param catalogueSize size of the catalogue the silos' baskets are indexed against
 * @param coPurchase whether features include the silo's own co-purchase counts
 */
record SiloAssignment(String run, ModelSpec spec, int targetsPerCustomer, int examplesPerKind, long seed,
    boolean coPurchase, int catalogueSize) {

  SiloSettings settings(String silo) {
    return SiloSettings.plain(silo, targetsPerCustomer, examplesPerKind, seed);
  }

  JsonObject toJson() {
    return new JsonObject().put("run", run).put("spec", spec(spec)).put("targets_per_customer", targetsPerCustomer)
        .put("examples_per_kind", examplesPerKind).put("seed", seed).put("copurchase", coPurchase)
        .put("catalogue_size", catalogueSize);
  }

  static SiloAssignment fromJson(JsonObject o) {
    return new SiloAssignment(o.getString("run"), spec(o.getJsonObject("spec")), o.getInteger("targets_per_customer"),
        o.getInteger("examples_per_kind"), o.getLong("seed"), o.getBoolean("copurchase"),
        o.getInteger("catalogue_size"));
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
