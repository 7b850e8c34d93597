package org.hedgerow.coordinator;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Optional;
import org.hedgerow.aggregation.strategy.ClientUpdate;
import org.hedgerow.aggregation.strategy.PrivacyAccounted;
import org.hedgerow.aggregation.strategy.Strategy;
import org.hedgerow.privacy.budget.Spend;
import org.hedgerow.aggregation.wire.ParameterCodec;

/**
 * The coordinator's round state: who is registered, which round is open, which updates it holds,
 * the current global model. Transport-free and single-threaded by contract: the verticle calls it
 * from its event loop only, so no locking is needed.
 */
public final class Federation {
  /** Where a federation stands. */
  public enum Phase { WAITING_FOR_CLIENTS, TRAINING, FINISHED }

  /** A registered client. Tokens are random 256-bit bearer secrets. */
  public record Client(String id, String silo, String token) {}

  /**
   * A client that declined a round (its privacy budget would be exceeded) and is no longer asked.
   *
   * @param epsilon the ε it reported having spent (NaN if not reported)
   */
  public record Declined(String clientId, int round, String reason, double epsilon, double cap) {}

  private final CoordinatorOptions options;
  private final Strategy strategy;
  private final Map<String, Client> clientsById = new LinkedHashMap<>();
  private final Map<String, Client> clientsByToken = new java.util.HashMap<>();
  private final Map<String, ClientUpdate> updates = new TreeMap<>();
  private final List<RoundRecord> history = new ArrayList<>();
  private final Map<String, Declined> declined = new TreeMap<>();
  private final List<Spend> spends = new ArrayList<>();
  private String finishReason;
  private final SecureRandom random = new SecureRandom();
  private float[] model;
  private int modelVersion;
  private int round;
  private Phase phase = Phase.WAITING_FOR_CLIENTS;
  private long roundOpenedNanos;
  private long bytesUp;
  private long bytesDown;
  private double trainSecondsSum;
  private double lossSum;
  private long lossExamples;
  private double aggregationSecondsTotal;
  private int abortedRounds;

  public Federation(CoordinatorOptions options, Strategy strategy) {
    this.options = options;
    this.strategy = strategy;
    this.model = strategy.initializeParameters(options.spec(), options.seed());
  }

  public CoordinatorOptions options() {
    return options;
  }

  /** Registers a client of {@code silo}; a silo name may register once. */
  public Client register(String silo) {
    if (silo == null || !silo.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
      throw new RejectedException(400, "silo must be 1-64 characters of letters, digits, '.', '_' or '-'. Provided value: " + silo);
    }
    if (clientsById.containsKey(silo)) {
      throw new RejectedException(409, "silo '" + silo + "' is already registered");
    }
    if (clientsById.size() >= options.expectedClients()) {
      throw new RejectedException(409, "the federation is full: " + options.expectedClients() + " clients expected");
    }
    byte[] secret = new byte[32];
    random.nextBytes(secret);
    Client c = new Client(silo, silo, Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
    clientsById.put(c.id(), c);
    clientsByToken.put(c.token(), c);
    if (phase == Phase.WAITING_FOR_CLIENTS && clientsById.size() == options.expectedClients()) {
      Optional<String> refusal = strategy instanceof PrivacyAccounted pa ? pa.refusal(1) : Optional.empty();
      if (refusal.isPresent()) {
        finish(refusal.get());
      } else {
        openRound(1);
      }
    }
    return c;
  }

  /** The client holding {@code token}, or a 401 naming what was wrong. */
  public Client authenticate(String authorization) {
    if (authorization == null || !authorization.startsWith("Bearer ")) {
      throw new RejectedException(401, "missing 'Authorization: Bearer <token>' header");
    }
    Client c = clientsByToken.get(authorization.substring("Bearer ".length()).trim());
    if (c == null) {
      throw new RejectedException(401, "unknown client token");
    }
    return c;
  }

  private void openRound(int r) {
    round = r;
    phase = Phase.TRAINING;
    updates.clear();
    roundOpenedNanos = System.nanoTime();
    bytesUp = 0;
    bytesDown = 0;
    trainSecondsSum = 0;
    lossSum = 0;
    lossExamples = 0;
  }

  /**
   * Accepts one client's update for the open round, after checking everything about it.
   *
   * @return true if this update completed the round (the caller then aggregates)
   */
  public boolean submit(Client client, int forRound, int trainedOnVersion, String specHash, long examples,
      byte[] body, double trainSeconds, double trainLoss) {
    return submit(client, forRound, trainedOnVersion, specHash, examples, body, trainSeconds, trainLoss, null);
  }

  /**
   * As above, with the privacy spend the client reports for this update (null if it reports none);
   * the spend is recorded only if the update is accepted.
   */
  public boolean submit(Client client, int forRound, int trainedOnVersion, String specHash, long examples,
      byte[] body, double trainSeconds, double trainLoss, Spend spend) {
    if (declined.containsKey(client.id())) {
      throw new RejectedException(409, "'" + client.id() + "' declined round " + declined.get(client.id()).round()
          + " and takes no further part");
    }
    if (phase != Phase.TRAINING) {
      throw new RejectedException(409, "no round is open (federation is " + phase.name().toLowerCase() + ")");
    }
    if (forRound != round) {
      throw new RejectedException(409, "update for round " + forRound + " but round " + round + " is open");
    }
    if (updates.containsKey(client.id())) {
      throw new RejectedException(409, "an update from '" + client.id() + "' for round " + round + " was already accepted");
    }
    if (trainedOnVersion != modelVersion) {
      throw new RejectedException(409, "update trained on model version " + trainedOnVersion + ", current is " + modelVersion);
    }
    if (!options.spec().hash().equals(specHash)) {
      throw new RejectedException(400, "model spec hash " + specHash + " does not match the federation's " + options.spec().hash());
    }
    if (examples < 1) {
      throw new RejectedException(400, "example count must be >= 1. Provided value: " + examples);
    }
    float[] delta;
    try {
      delta = ParameterCodec.decode(body, options.spec().parameterCount());
    } catch (ParameterCodec.InvalidVectorException e) {
      throw new RejectedException(400, "update rejected: " + e.getMessage());
    }
    if (spend != null && (spend.round() != round || !spend.holder().equals(client.id()))) {
      throw new RejectedException(400, "privacy spend is for round " + spend.round() + " of '" + spend.holder()
          + "', the update for round " + round + " of '" + client.id() + "'");
    }
    updates.put(client.id(), new ClientUpdate(client.id(), examples, delta));
    if (spend != null) {
      spends.add(spend);
    }
    bytesUp += body.length;
    trainSecondsSum += Double.isFinite(trainSeconds) && trainSeconds >= 0 ? trainSeconds : 0;
    if (Double.isFinite(trainLoss)) {
      lossSum += trainLoss * examples;
      lossExamples += examples;
    }
    return updates.size() >= activeClients();
  }

  /**
   * Records that {@code client} will not take part in the open round or any later one. The round
   * then waits only for the clients still active.
   *
   * @return true if the round is now complete (every active client's update is in, or no client
   *     is active any more); the caller then calls {@link #closeRound}
   */
  public boolean decline(Client client, int forRound, String reason, double epsilon, double cap) {
    if (phase != Phase.TRAINING) {
      throw new RejectedException(409, "no round is open (federation is " + phase.name().toLowerCase() + ")");
    }
    if (forRound != round) {
      throw new RejectedException(409, "decline for round " + forRound + " but round " + round + " is open");
    }
    if (declined.containsKey(client.id())) {
      throw new RejectedException(409, "'" + client.id() + "' already declined round " + declined.get(client.id()).round());
    }
    if (updates.containsKey(client.id())) {
      throw new RejectedException(409, "an update from '" + client.id() + "' for round " + round + " was already accepted");
    }
    if (reason == null || reason.isBlank() || reason.length() > 1000) {
      throw new RejectedException(400, "a decline needs a 'reason' of 1-1000 characters");
    }
    declined.put(client.id(), new Declined(client.id(), round, reason, epsilon, cap));
    return updates.size() >= activeClients();
  }

  /** Registered clients that have not declined. */
  public int activeClients() {
    return clientsById.size() - declined.size();
  }

  /** Called when the round's deadline passes; closes it if enough updates are in. */
  public boolean deadlineReached(int forRound) {
    return phase == Phase.TRAINING && round == forRound && !updates.isEmpty()
        && updates.size() >= Math.min(options.minClients(), activeClients());
  }

  /**
   * Aggregates the open round's updates into the next model and opens the next round (or
   * finishes). A round without any update (every client still asked declined it) ends the
   * federation without a new model.
   *
   * @return the closed round's record, or empty if the federation finished without one
   */
  public Optional<RoundRecord> closeRound() {
    if (updates.isEmpty()) {
      finish("no active clients left in round " + round + " (" + declined.size() + " declined)");
      return Optional.empty();
    }
    long t0 = System.nanoTime();
    model = strategy.aggregateFit(round, model, List.copyOf(updates.values()));
    double aggSeconds = (System.nanoTime() - t0) / 1e9;
    aggregationSecondsTotal += aggSeconds;
    modelVersion++;
    long examples = updates.values().stream().mapToLong(ClientUpdate::examples).sum();
    RoundRecord rec = new RoundRecord(round, updates.size(), examples, bytesUp, bytesDown,
        (System.nanoTime() - roundOpenedNanos) / 1e9, aggSeconds, trainSecondsSum,
        lossExamples == 0 ? Double.NaN : lossSum / lossExamples);
    history.add(rec);
    if (strategy instanceof PrivacyAccounted pa) {
      List<Spend> all = pa.budget().spends();
      if (!all.isEmpty() && all.get(all.size() - 1).round() == round) {
        spends.add(all.get(all.size() - 1));
      }
    }
    Optional<String> refusal = strategy instanceof PrivacyAccounted pa && round < options.targetRounds()
        ? pa.refusal(round + 1) : Optional.empty();
    if (round >= options.targetRounds()) {
      finish("completed " + round + " rounds");
    } else if (activeClients() == 0) {
      finish("no active clients left after round " + round + " (" + declined.size() + " declined)");
    } else if (refusal.isPresent()) {
      finish(refusal.get());
    } else {
      openRound(round + 1);
    }
    return Optional.of(rec);
  }

  /**
   * Closes the open round from a securely aggregated sum (issue 4): FedAvg applied to
   * {@code Σ nₖΔₖ} and {@code Σ nₖ} without any individual update, so the coordinator never holds
   * one. Only strategies that are plain FedAvg may be run this way (the verticle checks).
   *
   * @param weightedDeltaSum {@code Σ nₖΔₖ} over the surviving clients
   * @param totalWeight {@code Σ nₖ}, ≥ 1
   * @param clients how many clients the sum covers
   * @param secureBytesUp bytes of stage messages received this round
   */
  public Optional<RoundRecord> closeRoundWithSum(double[] weightedDeltaSum, long totalWeight, int clients,
      long secureBytesUp) {
    if (phase != Phase.TRAINING) {
      throw new IllegalStateException("no round is open (federation is " + phase.name().toLowerCase() + ")");
    }
    if (weightedDeltaSum.length != model.length || totalWeight < 1 || clients < 1) {
      throw new IllegalArgumentException("sum must have " + model.length + " entries, total weight and clients >= 1");
    }
    long t0 = System.nanoTime();
    float[] next = new float[model.length];
    for (int i = 0; i < next.length; i++) {
      next[i] = (float) (model[i] + weightedDeltaSum[i] / totalWeight);
    }
    model = next;
    double aggSeconds = (System.nanoTime() - t0) / 1e9;
    aggregationSecondsTotal += aggSeconds;
    modelVersion++;
    RoundRecord rec = new RoundRecord(round, clients, totalWeight, bytesUp + secureBytesUp, bytesDown,
        (System.nanoTime() - roundOpenedNanos) / 1e9, aggSeconds, trainSecondsSum, Double.NaN);
    history.add(rec);
    advanceAfter(round, null);
    return Optional.of(rec);
  }

  /**
   * Ends the open round without a model change (secure aggregation aborted below its threshold:
   * nothing was revealed). The next round opens unless this was the last one or {@code fatal}.
   */
  public void abortRound(String reason, boolean fatal) {
    if (phase != Phase.TRAINING) {
      return;
    }
    abortedRounds++;
    if (fatal) {
      finish("round " + round + " aborted: " + reason);
    } else {
      advanceAfter(round, "round " + round + " aborted: " + reason);
    }
  }

  /** Rounds that ended without a model change. */
  public int abortedRounds() {
    return abortedRounds;
  }

  private void advanceAfter(int r, String lastAbort) {
    if (r >= options.targetRounds()) {
      finish("completed " + r + " rounds" + (lastAbort == null ? "" : "; " + lastAbort));
    } else if (activeClients() == 0) {
      finish("no active clients left after round " + r + " (" + declined.size() + " declined)");
    } else {
      openRound(r + 1);
    }
  }

  private void finish(String reason) {
    phase = Phase.FINISHED;
    updates.clear();
    finishReason = reason;
  }

  /** Why the federation finished (null while it runs). */
  public String finishReason() {
    return finishReason;
  }

  /** Clients that declined, by id. */
  public Map<String, Declined> declined() {
    return Map.copyOf(declined);
  }

  /** Privacy spends reported with accepted updates (and the coordinator's own in central mode), in order. */
  public List<Spend> spends() {
    return List.copyOf(spends);
  }

  /** Records parameter bytes served, for the round's traffic figures. */
  public void servedBytes(long n) {
    bytesDown += n;
  }

  public float[] model() {
    return model;
  }

  public int modelVersion() {
    return modelVersion;
  }

  public int round() {
    return round;
  }

  public Phase phase() {
    return phase;
  }

  public int registeredClients() {
    return clientsById.size();
  }

  public int updatesThisRound() {
    return updates.size();
  }

  public List<RoundRecord> history() {
    return List.copyOf(history);
  }

  public double aggregationSecondsTotal() {
    return aggregationSecondsTotal;
  }
}
