package org.hedgerow.coordinator;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.hedgerow.aggregation.strategy.ClientUpdate;
import org.hedgerow.aggregation.strategy.Strategy;
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

  private final CoordinatorOptions options;
  private final Strategy strategy;
  private final Map<String, Client> clientsById = new LinkedHashMap<>();
  private final Map<String, Client> clientsByToken = new java.util.HashMap<>();
  private final Map<String, ClientUpdate> updates = new TreeMap<>();
  private final List<RoundRecord> history = new ArrayList<>();
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
      openRound(1);
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
    updates.put(client.id(), new ClientUpdate(client.id(), examples, delta));
    bytesUp += body.length;
    trainSecondsSum += Double.isFinite(trainSeconds) && trainSeconds >= 0 ? trainSeconds : 0;
    if (Double.isFinite(trainLoss)) {
      lossSum += trainLoss * examples;
      lossExamples += examples;
    }
    return updates.size() == clientsById.size();
  }

  /** Called when the round's deadline passes; closes it if enough updates are in. */
  public boolean deadlineReached(int forRound) {
    return phase == Phase.TRAINING && round == forRound && updates.size() >= options.minClients();
  }

  /** Aggregates the open round's updates into the next model and opens the next round (or finishes). */
  public RoundRecord closeRound() {
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
    if (round >= options.targetRounds()) {
      phase = Phase.FINISHED;
      updates.clear();
    } else {
      openRound(round + 1);
    }
    return rec;
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
