package org.hedgerow.coordinator;

import org.hedgerow.coordinator.store.RoundRecord;
import org.hedgerow.coordinator.http.RejectedException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.hedgerow.aggregation.strategy.PrivacyAccounted;
import org.hedgerow.aggregation.strategy.Strategy;
import org.hedgerow.aggregation.wire.ParameterCodec;
import org.hedgerow.coordinator.auth.EnrolledClient;
import org.hedgerow.coordinator.store.FederationIdentity;
import org.hedgerow.coordinator.store.RoundClose;
import org.hedgerow.coordinator.store.StoredDecline;
import org.hedgerow.coordinator.store.StoredParticipant;
import org.hedgerow.coordinator.store.StoredSpend;
import org.hedgerow.coordinator.store.StoredState;
import org.hedgerow.coordinator.store.StoredUpdate;
import org.hedgerow.coordinator.store.Transition;
import org.hedgerow.privacy.budget.SignedSpend;
import org.hedgerow.privacy.budget.Spend;
import org.hedgerow.privacy.budget.SpendAccounting;

/**
 * The coordinator's round state: who takes part, which round is open, which updates it holds, the
 * current global model. Transport-free and single-threaded by contract: the verticle calls it from
 * its event loop only, so no locking is needed.
 *
 * <p>Every change that must survive a crash goes in two steps: a {@code prepare…} method checks
 * the request and returns what to persist (reserving it, so a concurrent duplicate is refused), and
 * the matching completion method ({@link #joined}, {@link #accepted}, {@link #declined},
 * {@link #closed}, {@link #apply}) changes the state once the store committed it. Between the two
 * the change is invisible: an update counts only after its write committed, and a round closes
 * only when no write into it is in flight.
 */
public final class Federation {
  /** Where a federation stands. */
  public enum Phase { WAITING_FOR_CLIENTS, TRAINING, FINISHED }

  /**
   * A participating client.
   *
   * @param token its bearer token, only on the object returned by {@link #prepareRegister} (it is
   *     stored as a hash); null otherwise
   */
  public record Client(String id, String silo, String token) {}

  /**
   * A client that declined a round (its privacy budget would be exceeded) and is no longer asked.
   *
   * @param epsilon the ε it reported having spent (NaN if not reported)
   */
  public record Declined(String clientId, int round, String reason, double epsilon, double cap) {}

  /** A join waiting for its store write. */
  public record PendingJoin(Client client, StoredParticipant participant, EnrolledClient credential) {}

  /**
   * Signed spends of one silo waiting for their store write ({@code toStore} may be empty: every one
   * was already recorded), and the counter the silo's next spend must carry afterwards.
   */
  public record PendingSpends(Client client, List<StoredSpend> toStore, int alreadyRecorded, long nextCounter) {}

  /** Mechanisms a silo may report: its pre-training statistics release (round 0) and DP-SGD rounds. */
  public static final String RELEASE_MECHANISM = "silo-stats-gaussian";
  /** The silo's other pre-training release: its DP customer count (docs/privacy.md). */
  public static final String COUNT_RELEASE_MECHANISM = "silo-count-gaussian";
  public static final String ROUND_MECHANISM = "dp-sgd-user";

  /** An update waiting for its store write (its body, checked, in {@code stored}). */
  public record PendingUpdate(Client client, StoredUpdate stored) {}

  /**
   * What to do with an upload: {@code alreadyAccepted} (a retry of an update already stored, answered
   * as a success and not counted again) or {@code pending} to be stored.
   */
  public record Admission(boolean alreadyAccepted, int round, PendingUpdate pending) {}

  private static final String ID_PATTERN = "[A-Za-z0-9][A-Za-z0-9._-]{0,63}";

  private final CoordinatorOptions options;
  private java.util.function.IntSupplier enrolled = () -> 0;
  private final Strategy strategy;
  private final Map<String, Client> clientsById = new LinkedHashMap<>();
  private final RegistrationTokens tokens = new RegistrationTokens();
  private final Map<String, PendingJoin> pendingJoins = new HashMap<>();
  /** The open round's accepted updates, summed as they come (not held). */
  private RoundUpdates updates;
  /** Reads accepted bodies back from the store; null: {@link RoundUpdates} keeps them in memory. */
  private org.hedgerow.coordinator.store.UpdateBodies bodies;
  private org.hedgerow.coordinator.store.UpdateBodiesAhead bodiesAhead;
  /** Out-of-turn body bytes a round holds before re-reading (see {@link RoundUpdates}); checked at construction. */
  private final long maxHeldBodyBytes = RoundUpdates.maxHeldBytes(System.getProperty(RoundUpdates.MAX_HELD_PROPERTY));
  private final Map<String, PendingUpdate> pendingUploads = new HashMap<>();
  private final Set<String> pendingDeclines = new TreeSet<>();
  private final Map<Integer, Map<String, org.hedgerow.coordinator.store.UploadKey>> uploadIds = new TreeMap<>();
  private final List<RoundRecord> history = new ArrayList<>();
  private final Map<String, Declined> declined = new TreeMap<>();
  /** Every recorded spend (silos' signed ones and the coordinator's own), in ledger order. */
  private final List<StoredSpend> ledger = new ArrayList<>();
  /** Each silo's recorded signed spends, in counter order (0, 1, 2, ...). */
  private final Map<String, List<SignedSpend>> siloLogs = new HashMap<>();
  private final Map<String, PendingSpends> pendingSpends = new HashMap<>();
  /** Participants' Ed25519 identity keys (what their spends must be signed with), by client id. */
  private final Map<String, byte[]> identityKeys = new HashMap<>();
  private long nextSequence;
  private final SecureRandom random = new SecureRandom();
  private final ClientSampler sampler;
  private Set<String> selected = Set.of();
  private String finishReason;
  private float[] model;
  private int modelVersion;
  private int round;
  private Phase phase = Phase.WAITING_FOR_CLIENTS;
  private long roundOpenedAtMillis;
  private int nextPosition;
  private long bytesUp;
  private long bytesDown;
  private double trainSecondsSum;
  private double lossSum;
  private long lossExamples;
  private double aggregationSecondsTotal;
  private int abortedRounds;
  private RoundClose closing;
  private Transition transitioning;
  private boolean deadlinePassed;

  public Federation(CoordinatorOptions options, Strategy strategy) {
    this.options = options;
    this.strategy = strategy;
    this.sampler = new ClientSampler(options.seed(), options.clientsPerRound());
    this.model = strategy.initializeParameters(options.spec(), options.seed());
    this.updates = RoundUpdates.none(strategy, options.spec().parameterCount());
  }

  /**
   * Where accepted update bodies are read back from (the store's body files), so that no round holds
   * its updates in memory. Set before the first round opens; without it the raw bodies are kept.
   */
  public void readBodiesWith(org.hedgerow.coordinator.store.UpdateBodies bodies) {
    this.bodies = bodies;
  }

  /**
   * Reads bodies that could not be held in memory back off the event loop, ahead of their turn in the
   * running sum (see {@link RoundUpdates}); without it they are read in place when their turn comes.
   * Takes effect from the next round that opens.
   */
  public void readBodiesAheadWith(org.hedgerow.coordinator.store.UpdateBodiesAhead ahead) {
    this.bodiesAhead = ahead;
  }

  /**
   * The federation as {@code saved} left it: model, strategy state, participants, declines, the
   * privacy ledger, history and the open round with its accepted updates.
   */
  public static Federation resume(CoordinatorOptions options, Strategy strategy, StoredState saved) {
    Federation f = new Federation(options, strategy);
    f.model = saved.model();
    f.modelVersion = saved.modelVersion();
    strategy.restoreState(saved.strategyState());
    if (strategy instanceof PrivacyAccounted pa && pa.budget().spends().isEmpty()) {
      // The budget's ledger is not part of every strategy's state: recharge what was spent, in order.
      for (Spend s : saved.coordinatorSpends()) {
        Spend again = pa.budget().spend(s.round(), s.mechanism(), s.noiseMultiplier(), s.sampleRate(), s.steps(), s.clipNorm());
        if (Double.compare(again.epsilon(), s.epsilon()) != 0) {
          throw new IllegalStateException("replaying the coordinator's privacy ledger gave epsilon " + again.epsilon()
              + " for round " + s.round() + ", the store recorded " + s.epsilon());
        }
      }
    }
    for (StoredParticipant p : saved.participants()) {
      Client c = new Client(p.clientId(), p.silo(), null);
      f.clientsById.put(c.id(), c);
      if (p.identityKey() != null) {
        f.identityKeys.put(c.id(), p.identityKey().clone());
      }
      String hash = saved.bearerTokenHashes().get(c.id());
      if (hash != null) {
        f.tokens.bind(hash, c);
      }
    }
    for (StoredDecline d : saved.declines()) {
      f.declined.put(d.clientId(), new Declined(d.clientId(), d.round(), d.reason(), d.epsilon(), d.cap()));
    }
    for (StoredSpend s : saved.ledger()) {
      f.ledger.add(s);
      f.nextSequence = Math.max(f.nextSequence, s.sequence() + 1);
      if (s.fromSilo()) {
        f.siloLogs.computeIfAbsent(s.spend().holder(), h -> new ArrayList<>()).add(s.signed());
      }
    }
    f.siloLogs.values().forEach(l -> l.sort(java.util.Comparator.comparingLong(x -> x.spend().counter())));
    f.history.addAll(saved.history());
    f.history.forEach(r -> f.aggregationSecondsTotal += r.aggregationSeconds());
    f.abortedRounds = saved.abortedRounds();
    saved.uploadIds().forEach((r, m) -> f.uploadIds.put(r, new TreeMap<>(m)));
    f.phase = Phase.valueOf(saved.phase());
    f.round = saved.round();
    f.finishReason = saved.finishReason();
    f.bodies = saved.bodies();
    if (f.phase == Phase.TRAINING) {
      f.openRound(saved.round(), saved.roundOpenedAtMillis());
      // In client-id order, so the running sum reads each body back once.
      List<StoredUpdate> open = new ArrayList<>(saved.openRoundUpdates());
      open.sort(java.util.Comparator.comparing(StoredUpdate::clientId));
      for (StoredUpdate u : open) {
        f.count(u);
        f.nextPosition = Math.max(f.nextPosition, u.position() + 1);
      }
    }
    return f;
  }

  public CoordinatorOptions options() {
    return options;
  }

  /** What binds a store to this federation. */
  public FederationIdentity identity() {
    return new FederationIdentity(options.spec().hash(), options.spec().parameterCount(), options.targetRounds(),
        options.seed(), describe(strategy));
  }

  /** The strategy's own description if it has one (records do), else its class name. */
  static String describe(Strategy s) {
    try {
      boolean own = s.getClass().getMethod("toString").getDeclaringClass() != Object.class;
      return own ? s.toString() : s.getClass().getName();
    } catch (NoSuchMethodException e) {
      return s.getClass().getName();
    }
  }

  public Strategy strategy() {
    return strategy;
  }

  // ---- joining ---------------------------------------------------------------------------------

  /**
   * Open registration: a silo name registers once and gets a fresh bearer token (kept only as its
   * SHA-256). Reserves the name until {@link #joined} or {@link #joinFailed}.
   */
  public PendingJoin prepareRegister(String silo, byte[] identityKey, long nowMillis) {
    checkId("silo", silo);
    checkIdentityKept(silo, identityKey);
    if (clientsById.containsKey(silo) || pendingJoins.containsKey(silo)) {
      throw new RejectedException(409, "silo '" + silo + "' is already registered");
    }
    checkRoom();
    String token = RegistrationTokens.issue();
    Client c = new Client(silo, silo, token);
    PendingJoin j = new PendingJoin(c, new StoredParticipant(silo, silo, nowMillis, identityKey),
        new EnrolledClient(silo, null, RegistrationTokens.hash(token), Instant.ofEpochMilli(nowMillis), null));
    pendingJoins.put(silo, j);
    return j;
  }

  /**
   * An already enrolled, authenticated client joins. Idempotent: empty if it already takes part.
   * The credential is not touched (it is in the store already).
   */
  public Optional<PendingJoin> prepareJoin(String clientId, byte[] identityKey, long nowMillis) {
    checkId("client id", clientId);
    if (pendingJoins.containsKey(clientId)) {
      throw new RejectedException(503, "the join of '" + clientId + "' is being stored; retry");
    }
    if (clientsById.containsKey(clientId)) {
      checkIdentityKept(clientId, identityKey);
      if (identityKey == null || java.util.Arrays.equals(identityKey, identityKeys.get(clientId))) {
        return Optional.empty();
      }
      // A re-join with a new identity key and no recorded spend: the new key is bound from now on.
      PendingJoin j = new PendingJoin(clientsById.get(clientId),
          new StoredParticipant(clientId, clientsById.get(clientId).silo(), nowMillis, identityKey), null);
      pendingJoins.put(clientId, j);
      return Optional.of(j);
    }
    checkRoom();
    PendingJoin j = new PendingJoin(new Client(clientId, clientId, null),
        new StoredParticipant(clientId, clientId, nowMillis, identityKey), null);
    pendingJoins.put(clientId, j);
    return Optional.of(j);
  }

  /**
   * A participant that has recorded spends keeps its identity key: its spends are signed with it,
   * and a new key would start a second budget log for the same customers.
   */
  private void checkIdentityKept(String clientId, byte[] identityKey) {
    byte[] bound = identityKeys.get(clientId);
    if (identityKey != null && bound != null && !java.util.Arrays.equals(identityKey, bound)
        && siloLogs.containsKey(clientId)) {
      throw new RejectedException(409, "'" + clientId + "' has " + siloLogs.get(clientId).size() + " recorded "
          + "privacy spends signed with identity key " + hex(bound) + " and now joins with another key ("
          + hex(identityKey) + "): a silo's budget log and identity key must be kept across restarts");
    }
  }

  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }

  private static void checkId(String what, String id) {
    if (id == null || !id.matches(ID_PATTERN)) {
      throw new RejectedException(400, what + " must be 1-64 characters of letters, digits, '.', '_' or '-'. "
          + "Provided value: " + id);
    }
  }

  private void checkRoom() {
    if (phase != Phase.WAITING_FOR_CLIENTS) {
      throw new RejectedException(409, "the federation is " + phase.name().toLowerCase()
          + " and takes no new participants");
    }
    if (clientsById.size() + pendingJoins.size() >= expectedClients()) {
      throw new RejectedException(409, "the federation is full: " + expectedClients() + " clients expected");
    }
  }

  /** The join is durable: the client takes part. */
  public void joined(PendingJoin j) {
    pendingJoins.remove(j.client().id());
    Client stored = new Client(j.client().id(), j.client().silo(), null);
    clientsById.put(stored.id(), stored);
    if (j.participant().identityKey() != null) {
      identityKeys.put(stored.id(), j.participant().identityKey().clone());
    }
    if (j.credential() != null && j.credential().bearerTokenHash() != null) {
      tokens.bind(j.credential().bearerTokenHash(), stored);
    }
  }

  public void joinFailed(PendingJoin j) {
    pendingJoins.remove(j.client().id());
  }

  /**
   * Counts enrolled, unrevoked clients; used when the options expect 0 clients ("every enrolled
   * client"). Set by the service before the verticle starts.
   */
  public void countEnrolledWith(java.util.function.IntSupplier enrolled) {
    this.enrolled = enrolled;
  }

  /** Clients that must join before round 1: the configured number, or every enrolled client (at least one). */
  public int expectedClients() {
    return options.expectedClients() > 0 ? options.expectedClients() : Math.max(1, enrolled.getAsInt());
  }

  /** The participant {@code clientId}, if it joined. */
  public Optional<Client> participant(String clientId) {
    return Optional.ofNullable(clientsById.get(clientId));
  }

  /** Open registration's bearer tokens: who holds which. */
  public RegistrationTokens tokens() {
    return tokens;
  }

  // ---- phase changes ---------------------------------------------------------------------------

  /**
   * The move the federation is due to make outside a round close, if any: round 1 opens (or the run
   * ends on a budget refusal) once every expected client joined. Returns empty while one is
   * already being stored.
   */
  public Optional<Transition> dueTransition(long nowMillis) {
    if (transitioning != null || phase != Phase.WAITING_FOR_CLIENTS || !pendingJoins.isEmpty()
        || clientsById.size() < expectedClients()) {
      return Optional.empty();
    }
    Optional<String> refusal = strategy instanceof PrivacyAccounted pa ? pa.refusal(1) : Optional.empty();
    transitioning = refusal.isPresent() ? Transition.finish(0, refusal.get(), nowMillis)
        : Transition.open(1, nowMillis);
    return Optional.of(transitioning);
  }

  /** A transition is durable: apply it. */
  public void apply(Transition t) {
    transitioning = null;
    if (t.opensRound()) {
      openRound(t.round(), t.atMillis());
    } else {
      finish(t.finishReason());
    }
  }

  /** The transition could not be stored; it may be tried again. */
  public void transitionFailed() {
    transitioning = null;
  }

  private void openRound(int r, long atMillis) {
    round = r;
    phase = Phase.TRAINING;
    roundOpenedAtMillis = atMillis;
    nextPosition = 0;
    bytesUp = 0;
    bytesDown = 0;
    trainSecondsSum = 0;
    lossSum = 0;
    lossExamples = 0;
    deadlinePassed = false;
    selected = sample(r);
    updates = new RoundUpdates(r, model, strategy, options.spec().parameterCount(), selected, bodies,
        bodiesAhead, maxHeldBodyBytes);
    declined.keySet().forEach(updates::withdraw); // asked (a resumed round) but sending nothing
  }

  /** The clients asked in round {@code r} (see {@link ClientSampler}) out of those active when it opens. */
  private Set<String> sample(int r) {
    Set<String> active = new TreeSet<>();
    for (String id : clientsById.keySet()) {
      Declined d = declined.get(id);
      if (d == null || d.round() >= r) {
        active.add(id);
      }
    }
    return sampler.sample(r, active);
  }

  /** True if {@code clientId} is asked for an update in the open round. */
  public boolean isSelected(String clientId) {
    return phase == Phase.TRAINING && selected.contains(clientId);
  }

  /** Clients asked in the open round. */
  public int selectedClients() {
    return phase == Phase.TRAINING ? selected.size() : 0;
  }

  /** Updates the open round waits for: its selected clients that have not declined. */
  public int expectedUpdates() {
    int n = 0;
    for (String id : selected) {
      if (!declined.containsKey(id)) {
        n++;
      }
    }
    return n;
  }

  // ---- uploads ---------------------------------------------------------------------------------

  /**
   * Checks one client's update for the open round. A retry of an upload already stored (same
   * upload id) is recognised in any later round too, and counted once.
   *
   * @param uploadId the client's id for this upload (the same across its retries), or null
   */
  public Admission admit(Client client, int forRound, int trainedOnVersion, String specHash, long examples,
      byte[] body, double trainSeconds, double trainLoss, String uploadId, long nowMillis) {
    return admit(client, forRound, trainedOnVersion, specHash, examples, body, trainSeconds, trainLoss, uploadId, null,
        nowMillis);
  }

  /**
   * As above, with the upload id bound to {@code uploadHash} (SHA-256 of the upload's body and headers):
   * a retry with the same id and hash is a duplicate; the same id with another hash is refused (409).
   */
  public Admission admit(Client client, int forRound, int trainedOnVersion, String specHash, long examples,
      byte[] body, double trainSeconds, double trainLoss, String uploadId, String uploadHash, long nowMillis) {
    Map<String, org.hedgerow.coordinator.store.UploadKey> ids = uploadIds.get(forRound);
    org.hedgerow.coordinator.store.UploadKey previous = ids == null ? null : ids.get(client.id());
    if (uploadId != null && previous != null && uploadId.equals(previous.id())) {
      requireSameUpload(client, uploadId, previous.hash(), uploadHash);
      return new Admission(true, forRound, null);
    }
    if (declined.containsKey(client.id())) {
      throw new RejectedException(409, "'" + client.id() + "' declined round " + declined.get(client.id()).round()
          + " and takes no further part");
    }
    PendingUpdate inFlight = pendingUploads.get(client.id());
    if (inFlight != null) {
      if (uploadId != null && uploadId.equals(inFlight.stored().uploadId())) {
        requireSameUpload(client, uploadId, inFlight.stored().uploadHash(), uploadHash);
        throw new RejectedException(503, "this upload of '" + client.id() + "' is still being stored; retry");
      }
      throw new RejectedException(409, "an update from '" + client.id() + "' for round " + inFlight.stored().round()
          + " is being stored already");
    }
    if (phase != Phase.TRAINING) {
      throw new RejectedException(409, "no round is open (federation is " + phase.name().toLowerCase() + ")");
    }
    if (forRound != round) {
      throw new RejectedException(409, "update for round " + forRound + " but round " + round + " is open"
          + (forRound < round ? " (round " + forRound + " is closed)" : ""));
    }
    if (closing != null || deadlinePassed) {
      throw new RejectedException(409, "round " + round + " is closing (its deadline passed): the update came too late");
    }
    if (updates.contains(client.id())) {
      throw new RejectedException(409, "an update from '" + client.id() + "' for round " + round + " was already accepted");
    }
    if (!selected.contains(client.id())) {
      throw new RejectedException(409, "'" + client.id() + "' is not selected for round " + round + " ("
          + selected.size() + " of " + clientsById.size() + " clients are asked); it sits this round out");
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
    try {
      ParameterCodec.check(body, options.spec().parameterCount()); // decoded only when the round's sum takes it
    } catch (ParameterCodec.InvalidVectorException e) {
      throw new RejectedException(400, "update rejected: " + e.getMessage());
    }
    String id = uploadId != null ? uploadId : "server-" + Base64.getUrlEncoder().withoutPadding()
        .encodeToString(randomBytes(12));
    StoredUpdate stored = new StoredUpdate(round, client.id(), id, nextPosition++, trainedOnVersion, examples, body,
        Double.isFinite(trainSeconds) && trainSeconds >= 0 ? trainSeconds : 0, trainLoss, nowMillis,
        uploadId != null ? uploadHash : null);
    PendingUpdate p = new PendingUpdate(client, stored);
    pendingUploads.put(client.id(), p);
    return new Admission(false, round, p);
  }

  /** An upload id names one upload: a retry must resend the same bytes (null hashes: stored before they were kept). */
  private static void requireSameUpload(Client client, String uploadId, String storedHash, String hash) {
    if (storedHash != null && hash != null && !storedHash.equals(hash)) {
      throw new RejectedException(409, "upload id '" + uploadId + "' of '" + client.id() + "' was already used for "
          + "a different update (its body or headers differ); a retry must resend the same bytes, and a new update "
          + "needs a new upload id");
    }
  }

  private byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  /**
   * The update is durable: it counts from now on.
   *
   * @return true if it completed the round (the caller then closes it)
   */
  public boolean accepted(PendingUpdate p) {
    if (pendingUploads.get(p.client().id()) != p) {
      throw new IllegalStateException("update of '" + p.client().id() + "' was not pending");
    }
    pendingUploads.remove(p.client().id());
    count(p.stored());
    return roundComplete();
  }

  /** @param u an accepted update; its body is null when resumed (read back when the sum needs it) */
  private void count(StoredUpdate u) {
    updates.accept(u.clientId(), u.examples(), u.body());
    uploadIds.computeIfAbsent(u.round(), k -> new TreeMap<>()).put(u.clientId(),
        new org.hedgerow.coordinator.store.UploadKey(u.uploadId(), u.uploadHash()));
    bytesUp += (long) options.spec().parameterCount() * Float.BYTES; // every accepted body has exactly this size
    trainSecondsSum += u.trainSeconds();
    if (Double.isFinite(u.trainLoss())) {
      lossSum += u.trainLoss() * u.examples();
      lossExamples += u.examples();
    }
  }

  /** The update could not be stored (or its round closed first): it does not count. */
  public void uploadFailed(PendingUpdate p) {
    pendingUploads.remove(p.client().id(), p);
  }

  /** True while an update or a decline is being stored. */
  public boolean writesInFlight() {
    return !pendingUploads.isEmpty() || !pendingDeclines.isEmpty();
  }

  /** True if the open round has every update it waits for and may close now. */
  public boolean roundComplete() {
    return phase == Phase.TRAINING && closing == null && !writesInFlight() && updates.size() >= expectedUpdates();
  }

  // ---- declines --------------------------------------------------------------------------------

  /**
   * Checks that {@code client} may leave at the open round. Reserved until {@link #declined} or
   * {@link #declineFailed}.
   */
  public StoredDecline prepareDecline(Client client, int forRound, String reason, double epsilon, double cap,
      long nowMillis) {
    if (phase != Phase.TRAINING) {
      throw new RejectedException(409, "no round is open (federation is " + phase.name().toLowerCase() + ")");
    }
    if (forRound != round) {
      throw new RejectedException(409, "decline for round " + forRound + " but round " + round + " is open");
    }
    if (declined.containsKey(client.id())) {
      throw new RejectedException(409, "'" + client.id() + "' already declined round " + declined.get(client.id()).round());
    }
    if (updates.contains(client.id()) || pendingUploads.containsKey(client.id())) {
      throw new RejectedException(409, "an update from '" + client.id() + "' for round " + round + " was already accepted");
    }
    if (pendingDeclines.contains(client.id())) {
      throw new RejectedException(503, "the decline of '" + client.id() + "' is being stored; retry");
    }
    if (closing != null) {
      throw new RejectedException(409, "round " + round + " is closing; decline the next round instead");
    }
    if (reason == null || reason.isBlank() || reason.length() > 1000) {
      throw new RejectedException(400, "a decline needs a 'reason' of 1-1000 characters");
    }
    pendingDeclines.add(client.id());
    return new StoredDecline(client.id(), round, reason, epsilon, cap, nowMillis);
  }

  /**
   * The decline is durable: the client takes no further part.
   *
   * @return true if the round is now complete; the caller then closes it
   */
  public boolean declined(StoredDecline d) {
    pendingDeclines.remove(d.clientId());
    declined.put(d.clientId(), new Declined(d.clientId(), d.round(), d.reason(), d.epsilon(), d.cap()));
    updates.withdraw(d.clientId());
    return roundComplete();
  }

  public void declineFailed(StoredDecline d) {
    pendingDeclines.remove(d.clientId());
  }

  /** Registered clients that have not declined. */
  public int activeClients() {
    return clientsById.size() - declined.size();
  }

  // ---- deadlines -------------------------------------------------------------------------------

  /**
   * Round {@code forRound}'s deadline passed. If it can close with what it has (counting writes in
   * flight), later uploads are refused as late from now on and the caller closes the round once
   * {@link #deadlineReached} holds; otherwise the round waits another deadline.
   *
   * @return true if the round will close at this deadline
   */
  public boolean deadlinePassed(int forRound) {
    if (phase != Phase.TRAINING || round != forRound || closing != null) {
      return false;
    }
    int possible = updates.size() + pendingUploads.size();
    deadlinePassed = possible > 0 && possible >= Math.min(options.minClients(), expectedUpdates());
    return deadlinePassed;
  }

  /** True if round {@code forRound} may close now at its deadline: quorum reached, no write in flight. */
  public boolean deadlineReached(int forRound) {
    return phase == Phase.TRAINING && round == forRound && closing == null && !writesInFlight()
        && !updates.isEmpty() && updates.size() >= Math.min(options.minClients(), expectedUpdates());
  }

  /** The deadline passed but the writes in flight failed below the quorum: accept uploads again. */
  public void deadlineMissed() {
    deadlinePassed = false;
  }

  /** True after {@link #deadlinePassed} returned true for the open round. */
  public boolean closingAtDeadline() {
    return deadlinePassed;
  }

  // ---- closing rounds --------------------------------------------------------------------------

  /**
   * Aggregates the open round's updates into the next model and says what comes next. Nothing
   * visible changes until {@link #closed}; the round refuses uploads meanwhile. A round without any
   * update (every client still asked declined) ends the federation without a new model.
   *
   * @throws IllegalStateException if no round is open, it is already closing or writes are in flight
   */
  public RoundClose prepareClose(long nowMillis) {
    requireClosable();
    if (updates.isEmpty()) {
      closing = new RoundClose(round, null, modelVersion, null, null, List.of(),
          "no updates", Transition.finish(round, "no active clients left in round " + round + " ("
              + declined.size() + " declined)", nowMillis));
      return closing;
    }
    long t0 = System.nanoTime();
    float[] next = updates.aggregate();
    double aggSeconds = (System.nanoTime() - t0) / 1e9;
    List<StoredSpend> own = new ArrayList<>();
    if (strategy instanceof PrivacyAccounted pa) {
      List<Spend> all = pa.budget().spends();
      if (!all.isEmpty() && all.get(all.size() - 1).round() == round) {
        own.add(StoredSpend.coordinator(nextSequence++, all.get(all.size() - 1)));
      }
    }
    // Under central DP only the noisy model is released: the clients' un-noised reports (example
    // counts, training loss and time) are functions of their data and are not published (-1/NaN).
    boolean suppress = strategy instanceof PrivacyAccounted;
    long examples = suppress ? RoundRecord.SUPPRESSED
        : updates.examples();
    RoundRecord rec = new RoundRecord(round, updates.size(), examples, bytesUp, bytesDown, secondsOpen(nowMillis),
        aggSeconds, suppress ? Double.NaN : trainSecondsSum,
        suppress || lossExamples == 0 ? Double.NaN : lossSum / lossExamples);
    closing = new RoundClose(round, rec, modelVersion + 1, next, strategy.state(), own, null,
        after(round, null, true, nowMillis));
    return closing;
  }

  /**
   * As {@link #prepareClose}, from a securely aggregated sum (issue 4): the strategy's
   * {@code aggregateMean} applied to {@code Σ nₖΔₖ / Σ nₖ} without any individual update.
   *
   * @param weightedDeltaSum {@code Σ nₖΔₖ} over the surviving clients
   * @param totalWeight {@code Σ nₖ}, ≥ 1
   * @param clients how many clients the sum covers
   * @param secureBytesUp bytes of stage messages received this round
   */
  public RoundClose prepareCloseWithSum(double[] weightedDeltaSum, long totalWeight, int clients, long secureBytesUp,
      long nowMillis) {
    requireClosable();
    if (weightedDeltaSum.length != model.length || totalWeight < 1 || clients < 1) {
      throw new IllegalArgumentException("sum must have " + model.length + " entries, total weight and clients >= 1");
    }
    long t0 = System.nanoTime();
    double[] mean = new double[weightedDeltaSum.length];
    for (int i = 0; i < mean.length; i++) {
      mean[i] = weightedDeltaSum[i] / totalWeight;
    }
    float[] next = strategy.aggregateMean(round, model, mean);
    double aggSeconds = (System.nanoTime() - t0) / 1e9;
    RoundRecord rec = new RoundRecord(round, clients, totalWeight, bytesUp + secureBytesUp, bytesDown,
        secondsOpen(nowMillis), aggSeconds, trainSecondsSum, Double.NaN);
    closing = new RoundClose(round, rec, modelVersion + 1, next, strategy.state(), List.of(), null,
        after(round, null, false, nowMillis));
    return closing;
  }

  /**
   * Ends the open round without a model change (secure aggregation aborted below its threshold:
   * nothing was revealed). The next round opens unless this was the last one or {@code fatal}.
   * Empty if no round is open.
   */
  public Optional<RoundClose> prepareAbort(String reason, boolean fatal, long nowMillis) {
    if (phase != Phase.TRAINING || closing != null) {
      return Optional.empty();
    }
    requireClosable();
    String note = "round " + round + " aborted: " + reason;
    Transition next = fatal ? Transition.finish(round, note, nowMillis) : after(round, note, false, nowMillis);
    closing = new RoundClose(round, null, modelVersion, null, null, List.of(), note, next);
    return Optional.of(closing);
  }

  private void requireClosable() {
    if (phase != Phase.TRAINING) {
      throw new IllegalStateException("no round is open (federation is " + phase.name().toLowerCase() + ")");
    }
    if (closing != null) {
      throw new IllegalStateException("round " + round + " is already closing");
    }
    if (!pendingUploads.isEmpty()) {
      throw new IllegalStateException("round " + round + " cannot close while " + pendingUploads.size()
          + " updates are being stored");
    }
  }

  private double secondsOpen(long nowMillis) {
    return Math.max(0, nowMillis - roundOpenedAtMillis) / 1e3;
  }

  private Transition after(int r, String lastAbort, boolean askBudget, long nowMillis) {
    if (r >= options.targetRounds()) {
      return Transition.finish(r, "completed " + r + " rounds" + (lastAbort == null ? "" : "; " + lastAbort), nowMillis);
    }
    if (activeClients() == 0) {
      return Transition.finish(r, "no active clients left after round " + r + " (" + declined.size() + " declined)",
          nowMillis);
    }
    Optional<String> refusal = askBudget && strategy instanceof PrivacyAccounted pa ? pa.refusal(r + 1)
        : Optional.empty();
    return refusal.isPresent() ? Transition.finish(r, refusal.get(), nowMillis) : Transition.open(r + 1, nowMillis);
  }

  /** True between {@code prepareClose…} and {@link #closed}. */
  public boolean closing() {
    return closing != null;
  }

  /**
   * The round's close is durable: the new model is served and the next round opens (or the
   * federation finishes).
   *
   * @return the closed round's record, or empty if it produced no model
   */
  public Optional<RoundRecord> closed(RoundClose c) {
    if (c != closing) {
      throw new IllegalStateException("round " + c.round() + " was not being closed");
    }
    closing = null;
    if (c.producedModel()) {
      model = c.parameters();
      modelVersion = c.modelVersion();
      history.add(c.record());
      aggregationSecondsTotal += c.record().aggregationSeconds();
    } else {
      abortedRounds++;
    }
    c.coordinatorSpends().forEach(this::addToLedger);
    apply(c.next());
    return Optional.ofNullable(c.record());
  }

  private void finish(String reason) {
    phase = Phase.FINISHED;
    updates = RoundUpdates.none(strategy, options.spec().parameterCount());
    selected = Set.of();
    finishReason = reason;
  }

  // ---- reading ---------------------------------------------------------------------------------

  /** Rounds that ended without a model change. */
  public int abortedRounds() {
    return abortedRounds;
  }

  /** Why the federation finished (null while it runs). */
  public String finishReason() {
    return finishReason;
  }

  /** Clients that declined, by id. */
  public Map<String, Declined> declined() {
    return Map.copyOf(declined);
  }

  /** Every recorded privacy spend — silos' signed ones and the coordinator's own (central DP) — in ledger order. */
  public List<Spend> spends() {
    return ledger.stream().map(StoredSpend::spend).toList();
  }

  /** The recorded spends with their signatures, in ledger order: what the ledger's links are built from. */
  public List<StoredSpend> ledger() {
    return List.copyOf(ledger);
  }

  /** The recorded signed spends of {@code holder}, in counter order (empty if none). */
  public List<SignedSpend> siloLog(String holder) {
    return List.copyOf(siloLogs.getOrDefault(holder, List.of()));
  }

  private void addToLedger(StoredSpend s) {
    int i = ledger.size();
    while (i > 0 && ledger.get(i - 1).sequence() > s.sequence()) {
      i--;
    }
    ledger.add(i, s);
  }

  // ---- signed spends ---------------------------------------------------------------------------

  /**
   * Checks a silo's signed spends ({@code POST /v1/spends}) against what it recorded before and
   * returns the ones to store, reserved until {@link #spendsRecorded} or {@link #spendsFailed}.
   * Refuses the whole batch, recording nothing, if any spend is not the caller's, not signed with its
   * registered identity key, out of order, equivocating, or reports an ε the accountant does not give.
   */
  public PendingSpends prepareSpends(Client client, List<SignedSpend> batch) {
    String id = client.id();
    if (batch.isEmpty()) {
      throw new RejectedException(400, "no spends: the body must list at least one signed spend");
    }
    if (strategy instanceof PrivacyAccounted pa && pa.budget().holder().equals(id)) {
      throw new RejectedException(409, "'" + id + "' is the name of the coordinator's own budget and cannot hold spends");
    }
    if (pendingSpends.containsKey(id)) {
      throw new RejectedException(503, "earlier spends of '" + id + "' are still being stored; retry");
    }
    byte[] key = identityKeys.get(id);
    if (key == null) {
      throw new RejectedException(409, "'" + id + "' registered no identity key: join with 'identity_key' (the "
          + "Ed25519 key its spends are signed with) before posting spends");
    }
    List<SignedSpend> recorded = siloLogs.getOrDefault(id, List.of());
    List<SignedSpend> signedLog = new ArrayList<>(recorded);
    List<Spend> log = new ArrayList<>(recorded.stream().map(SignedSpend::spend).toList());
    List<StoredSpend> toStore = new ArrayList<>();
    int already = 0;
    long sequence = nextSequence;
    for (SignedSpend signed : batch) {
      Spend s = signed.spend();
      String what = "spend counter " + s.counter() + " (round " + s.round() + ")";
      if (!s.holder().equals(id)) {
        throw new RejectedException(403, what + " belongs to '" + s.holder() + "', but the caller is '" + id
            + "': a silo posts only its own spends");
      }
      if (!java.util.Arrays.equals(signed.publicKey(), key)) {
        throw new RejectedException(403, what + " names public key " + hex(signed.publicKey()) + ", which is not "
            + "the identity key '" + id + "' registered (" + hex(key) + ")");
      }
      if (!signed.valid()) {
        throw new RejectedException(400, what + ": the signature does not verify under " + hex(key)
            + " (altered or not signed by the silo)");
      }
      long next = log.size();
      if (s.counter() < next) {
        if (signedLog.get((int) s.counter()).equals(signed)) {
          already++;
          continue;
        }
        throw new RejectedException(409, "equivocation: counter " + s.counter() + " of '" + id + "' is already "
            + "recorded with different content; a counter is never reused (next expected: " + next + ")");
      }
      if (s.counter() > next) {
        throw new RejectedException(409, what + " leaves a gap: the next counter of '" + id + "' must be " + next);
      }
      checkNewSpend(what, s, log);
      log.add(s);
      double expected;
      try {
        expected = SpendAccounting.epsilon(log, s.delta());
      } catch (IllegalArgumentException e) {
        throw new RejectedException(400, what + ": " + e.getMessage());
      }
      if (Double.compare(expected, s.epsilon()) != 0) {
        throw new RejectedException(400, what + " reports epsilon " + s.epsilon() + " but the accountant gives "
            + expected + " for the log of '" + id + "' up to it");
      }
      if (!(s.epsilon() <= s.cap())) {
        throw new RejectedException(400, what + ": epsilon " + s.epsilon() + " exceeds the cap " + s.cap());
      }
      signedLog.add(signed);
      toStore.add(StoredSpend.silo(sequence++, signed));
    }
    nextSequence = sequence;
    PendingSpends p = new PendingSpends(client, List.copyOf(toStore), already, log.size());
    if (!toStore.isEmpty()) {
      pendingSpends.put(id, p);
    }
    return p;
  }

  /** Checks one new spend's own fields against the holder's log so far. */
  private void checkNewSpend(String what, Spend s, List<Spend> log) {
    try {
      org.hedgerow.privacy.budget.PrivacyBudget.checkCap(s.cap());
      org.hedgerow.privacy.budget.PrivacyBudget.checkDelta(s.delta());
    } catch (IllegalArgumentException e) {
      throw new RejectedException(400, what + ": " + e.getMessage());
    }
    if (!Double.isFinite(s.epsilon()) || s.epsilon() < 0) {
      throw new RejectedException(400, what + ": epsilon must be >= 0 and finite. Provided value: " + s.epsilon());
    }
    if (!(s.clipNorm() > 0 && Double.isFinite(s.clipNorm()))) {
      throw new RejectedException(400, what + ": clip norm must be > 0 and finite. Provided value: " + s.clipNorm());
    }
    java.util.Set<String> expected = s.isRelease() ? java.util.Set.of(RELEASE_MECHANISM, COUNT_RELEASE_MECHANISM)
        : java.util.Set.of(ROUND_MECHANISM, org.hedgerow.privacy.ledger.LedgerVerifier.DISTRIBUTED_MECHANISM);
    if (!expected.contains(s.mechanism())) {
      throw new RejectedException(400, what + ": mechanism '" + s.mechanism() + "'; a silo reports "
          + (s.isRelease() ? "a release (round 0) as one of " : "a training round as ") + new java.util.TreeSet<>(expected));
    }
    if (s.isRelease() && (s.sampleRate() != 1.0 || s.steps() != 1)) {
      throw new RejectedException(400, what + ": a release has sample rate 1 and 1 step");
    }
    if (!log.isEmpty()) {
      Spend first = log.get(0);
      if (s.delta() != first.delta() || s.cap() != first.cap()) {
        throw new RejectedException(400, what + " has delta " + s.delta() + " and cap " + s.cap() + ", but '"
            + s.holder() + "' recorded delta " + first.delta() + " and cap " + first.cap()
            + ": a budget's delta and cap never change");
      }
      Spend last = log.get(log.size() - 1);
      if (s.isRelease() && !last.isRelease()) {
        throw new RejectedException(409, what + ": a release after training rounds (releases come first)");
      }
      if (!s.isRelease() && !last.isRelease() && s.round() < last.round()) {
        throw new RejectedException(409, what + " goes back from round " + last.round());
      }
    }
    if (s.round() > round) {
      throw new RejectedException(409, what + ": round " + s.round() + " has not opened (the current round is "
          + round + ")");
    }
  }

  /** The spends are durable: they are the silo's recorded log and ledger links from now on. */
  public void spendsRecorded(PendingSpends p) {
    pendingSpends.remove(p.client().id(), p);
    for (StoredSpend s : p.toStore()) {
      siloLogs.computeIfAbsent(p.client().id(), h -> new ArrayList<>()).add(s.signed());
      addToLedger(s);
    }
  }

  /** The spends could not be stored: nothing was recorded. */
  public void spendsFailed(PendingSpends p) {
    pendingSpends.remove(p.client().id(), p);
  }

  /**
   * Checks that an update of {@code client} for {@code forRound} is paid for: the recorded spend
   * with {@code counter} (the {@code X-Hedgerow-Dp-Spend-Counter} header; null: none) is one of its
   * training rounds for that round. Without a counter it is refused only if the federation
   * declares local DP.
   */
  public void requireRoundSpend(Client client, int forRound, Long counter) {
    if (counter == null) {
      if (options.declaresLocalDp()) {
        throw new RejectedException(403, "this federation declares local DP: an update needs a signed spend for "
            + "round " + forRound + " (POST " + org.hedgerow.aggregation.wire.Wire.SPENDS + " first, then name its "
            + "counter in " + org.hedgerow.aggregation.wire.Wire.HEADER_DP_SPEND_COUNTER + ")");
      }
      return;
    }
    List<SignedSpend> log = siloLogs.getOrDefault(client.id(), List.of());
    if (counter < 0 || counter >= log.size()) {
      throw new RejectedException(403, "no recorded spend of '" + client.id() + "' has counter " + counter + " ("
          + log.size() + " recorded): POST " + org.hedgerow.aggregation.wire.Wire.SPENDS + " first");
    }
    Spend s = log.get((int) (long) counter).spend();
    if (s.isRelease() || s.round() != forRound) {
      throw new RejectedException(403, "spend counter " + counter + " of '" + client.id() + "' is "
          + (s.isRelease() ? "a pre-training release" : "for round " + s.round()) + ", not a training round "
          + forRound + ": an update needs a signed spend for round " + forRound);
    }
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

  /** Participants in join order. */
  public List<Client> participants() {
    return List.copyOf(clientsById.values());
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
