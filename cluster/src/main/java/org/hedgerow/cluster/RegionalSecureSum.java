package org.hedgerow.cluster;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntPredicate;
import org.hedgerow.aggregation.secagg.ClientRoster;
import org.hedgerow.aggregation.secagg.SecAggResult;
import org.hedgerow.aggregation.secagg.SecAggServer;
import org.hedgerow.aggregation.secagg.SecureSumEncoding;
import org.hedgerow.aggregation.secagg.SurvivorSignatures;
import org.hedgerow.aggregation.secagg.UnmaskRequest;

/**
 * A regional sub-coordinator's round under secure aggregation: it asks its members to train and
 * encode their silos' updates ({@link SiloMasking}), then runs the SecAgg+ server
 * ({@link SecAggServer}) over the region's silos — advertise keys, share keys, masked inputs,
 * consistency, unmask — relaying each stage's messages through the members, and decodes the sum.
 * It learns the region's {@code Σ ñₖ clip(Δₖ)} and {@code Σ ñₖ} and nothing per silo: no update, no
 * example count, no loss (docs/cluster.md, "What each level sees").
 */
final class RegionalSecureSum {
  /** How the sub-coordinator reaches its members: one request per member, answered together. */
  @FunctionalInterface
  interface Members {
    /**
     * Sends each member its frame at {@code verb} and waits for every answer.
     *
     * @throws IllegalStateException a member failed or did not answer in time
     */
    Map<String, Frame> askAll(String verb, Map<String, Frame> requests);
  }

  /**
   * The region's update.
   *
   * @param weight {@code Σ ñₖ} over the silos in the sum (each capped at the encoding's weight cap)
   * @param mean {@code Σ ñₖ clip(Δₖ) / Σ ñₖ}, up to the encoding's rounding ({@link SecureSumEncoding})
   * @param seconds training time summed over the members
   * @param silos silos whose updates are in the sum
   */
  record Result(long weight, float[] mean, double seconds, int silos) {}

  private final Members members;

  RegionalSecureSum(Members members) {
    this.members = members;
  }

  /**
   * Runs one round for the region.
   *
   * @param assignment member worker to the silos it trains
   * @param task the coordinator's round
   * @param global the global model (floats, {@link Frame#floats(float[])})
   * @param session a name unique to the run and region (binds every signed message to this session)
   * @throws org.hedgerow.aggregation.secagg.SecAggException the session aborted; nothing was revealed
   */
  Result run(Map<String, List<String>> assignment, RoundTask task, int parameters, Buffer global, String session,
      double clip) {
    List<String> all = new ArrayList<>();
    assignment.values().forEach(all::addAll);
    // The encoding's bit budget is sized for every silo of the region (a DP silo that declines the
    // round only leaves headroom), so members can encode before anyone knows who declined.
    SessionTerms encodingTerms = SessionTerms.forRegion(all.size(), parameters, task.round(), session, clip);
    Map<String, Frame> train = new LinkedHashMap<>();
    assignment.forEach((worker, own) -> train.put(worker, new Frame(new JsonObject().put("task", task.toJson())
        .put("dimension", parameters).put("silos", new JsonArray(own)).put("secure", encodingTerms.toJson()), global)));
    Map<String, Frame> trained = members.askAll(Addresses.TRAIN, train);

    // DP silos whose budgets would not cover the round sat it out: the session runs over the others.
    java.util.Set<String> declined = new java.util.TreeSet<>();
    trained.values().forEach(a -> declined.addAll(a.header().getJsonObject("declined", new JsonObject()).fieldNames()));
    Map<String, List<String>> taking = new LinkedHashMap<>();
    assignment.forEach((worker, own) -> {
      List<String> left = own.stream().filter(x -> !declined.contains(x)).toList();
      if (!left.isEmpty()) {
        taking.put(worker, left);
      }
    });
    List<String> silos = new ArrayList<>();
    taking.values().forEach(silos::addAll);
    silos.sort(null);
    SessionTerms terms = SessionTerms.forRegion(silos.size(), parameters, task.round(), session, clip);

    // The roster: silos in name order, each with the identity key its worker generated for it.
    Map<String, Integer> ids = new TreeMap<>();
    List<byte[]> keys = new ArrayList<>();
    double seconds = 0;
    for (String s : silos) {
      ids.put(s, keys.size());
      keys.add(null);
    }
    for (Frame answer : trained.values()) {
      JsonObject k = answer.header().getJsonObject("keys");
      for (String s : k.fieldNames()) {
        Integer id = ids.get(s);
        if (id == null) {
          throw new IllegalStateException("a member answered for silo " + s + ", not in this region");
        }
        keys.set(id, Base64.getDecoder().decode(k.getString(s)));
      }
      seconds += answer.header().getDouble("seconds", 0.0);
    }
    for (String s : silos) {
      if (keys.get(ids.get(s)) == null) {
        throw new IllegalStateException("no identity key for silo " + s + ": its worker did not train it");
      }
    }
    JsonArray roster = new JsonArray();
    keys.forEach(k -> roster.add(Base64.getEncoder().encodeToString(k)));
    SecAggServer server = new SecAggServer(terms.config(), new ClientRoster(keys));

    JsonObject advertise = new JsonObject().put("terms", terms.toJson()).put("roster", roster);
    stage("advertise", taking, ids, task, advertise, id -> true, id -> null, server);
    server.closeAdvertising();
    stage("share-keys", taking, ids, task, new JsonObject(), id -> true, id -> server.keysFor(id).toBytes(), server);
    server.closeSharing();
    stage("masked-input", taking, ids, task, new JsonObject(), id -> true, id -> server.sharesFor(id).toBytes(),
        server);
    UnmaskRequest request = server.closeMasking();
    byte[] requestBytes = request.toBytes();
    stage("consistency", taking, ids, task, new JsonObject(), request::survived, id -> requestBytes, server);
    SurvivorSignatures signatures = server.closeConsistency();
    byte[] signatureBytes = signatures.toBytes();
    stage("unmask", taking, ids, task, new JsonObject(), server::confirmed, id -> signatureBytes, server);
    SecAggResult result = server.finish();
    SecureSumEncoding.Decoded decoded = encodingTerms.encoding().decode(result.sum(), result.survivorCount());
    double[] mean = decoded.mean();
    float[] out = new float[parameters];
    for (int i = 0; i < parameters; i++) {
      out[i] = (float) mean[i];
    }
    return new Result(decoded.totalWeight(), out, seconds, result.survivorCount());
  }

  /**
   * One protocol stage: each member gets, for each of its silos that takes part, what the server
   * relays to it, and answers that silo's message, which the server then receives.
   */
  private void stage(String name, Map<String, List<String>> assignment, Map<String, Integer> ids, RoundTask task,
      JsonObject extra, IntPredicate takesPart, java.util.function.IntFunction<byte[]> relay, SecAggServer server) {
    Map<String, Frame> asks = new LinkedHashMap<>();
    Map<String, List<String>> asked = new LinkedHashMap<>();
    for (Map.Entry<String, List<String>> e : assignment.entrySet()) {
      List<String> own = e.getValue().stream().filter(s -> takesPart.test(ids.get(s))).toList();
      if (own.isEmpty()) {
        continue;
      }
      List<byte[]> relayed = new ArrayList<>();
      JsonObject ownIds = new JsonObject();
      for (String s : own) {
        byte[] r = relay.apply(ids.get(s));
        if (r != null) {
          relayed.add(r);
        }
        ownIds.put(s, ids.get(s));
      }
      JsonObject h = extra.copy().put("run", task.run()).put("round", task.round()).put("stage", name)
          .put("silos", new JsonArray(own)).put("ids", ownIds);
      asks.put(e.getKey(), new Frame(h, Frame.blobs(relayed)));
      asked.put(e.getKey(), own);
    }
    Map<String, Frame> answers = members.askAll(Addresses.SECAGG, asks);
    for (Map.Entry<String, List<String>> e : asked.entrySet()) {
      List<byte[]> messages = Frame.blobs(answers.get(e.getKey()).payload());
      if (messages.size() != e.getValue().size()) {
        throw new IllegalStateException("member " + e.getKey() + " answered " + messages.size() + " messages for "
            + e.getValue().size() + " silos in stage " + name);
      }
      messages.forEach(server::receive);
    }
  }
}
