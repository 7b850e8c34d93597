package org.hedgerow.cluster;

import io.vertx.core.json.JsonObject;

/**
 * A round as the coordinator configured it, for the silos of one run: what every worker needs
 * besides the global model to compute its silos' updates.
 */
record RoundTask(String run, int round, int localEpochs, int batchSize, long seed) {
  JsonObject toJson() {
    return new JsonObject().put("run", run).put("round", round).put("local_epochs", localEpochs)
        .put("batch_size", batchSize).put("seed", seed);
  }

  static RoundTask fromJson(JsonObject o) {
    return new RoundTask(o.getString("run"), o.getInteger("round"), o.getInteger("local_epochs"),
        o.getInteger("batch_size"), o.getLong("seed"));
  }
}
