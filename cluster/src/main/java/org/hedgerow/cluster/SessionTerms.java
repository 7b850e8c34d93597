package org.hedgerow.cluster;

import io.vertx.core.json.JsonObject;
import org.hedgerow.aggregation.secagg.SecAggConfig;
import org.hedgerow.aggregation.secagg.SecureSumEncoding;

/**
 * The public terms of one region's secure-aggregation session, sent by the sub-coordinator to its
 * members: how many silos take part, the model's parameter count, the federation round and a session
 * name unique to the run and region, the graph degree and threshold, and the clip of the encoding.
 * Every member derives the protocol's round id from {@code round} and {@code session} itself
 * ({@link SecAggConfig#sessionRoundId}), so its messages are bound to this session alone.
 *
 * @param clients silos in the region (at least 3: a sum of two reveals each to the other)
 * @param parameters the model's parameter count d (the masked vectors have d + 1 entries)
 * @param clip per-coordinate clip of a silo's delta before encoding
 */
record SessionTerms(int clients, int parameters, int round, String session, int neighbours, int threshold,
    double clip) {
  /** Fewest silos a region may sum securely: with two, each learns the other's update from the sum. */
  static final int MIN_CLIENTS = 3;

  SessionTerms {
    if (clients < MIN_CLIENTS) {
      throw new IllegalArgumentException("a region needs at least " + MIN_CLIENTS + " silos for secure aggregation "
          + "(with two, each would learn the other's update from the sum). Provided value: " + clients);
    }
    if (session == null || session.isEmpty()) {
      throw new IllegalArgumentException("session must not be empty");
    }
  }

  /**
   * A complete graph (k = n − 1, valid for every n) and the default threshold: regions are small, and
   * the masks cost n − 1 expansions per silo.
   */
  static SessionTerms forRegion(int clients, int parameters, int round, String session, double clip) {
    return new SessionTerms(clients, parameters, round, session, clients - 1,
        SecAggConfig.defaultThreshold(clients - 1), clip);
  }

  SecAggConfig config() {
    return SecAggConfig.builder(clients, SecureSumEncoding.dimensionFor(parameters))
        .roundId(SecAggConfig.sessionRoundId(round, session)).graphRound(round)
        .neighbours(neighbours).threshold(threshold).build();
  }

  SecureSumEncoding encoding() {
    return SecureSumEncoding.forClients(clients, clip, null, null);
  }

  JsonObject toJson() {
    return new JsonObject().put("clients", clients).put("parameters", parameters).put("round", round)
        .put("session", session).put("neighbours", neighbours).put("threshold", threshold).put("clip", clip);
  }

  static SessionTerms fromJson(JsonObject o) {
    return new SessionTerms(o.getInteger("clients"), o.getInteger("parameters"), o.getInteger("round"),
        o.getString("session"), o.getInteger("neighbours"), o.getInteger("threshold"), o.getDouble("clip"));
  }
}
