package org.hedgerow.aggregation.secagg;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.hedgerow.privacy.crypto.MaskStream;
import org.hedgerow.privacy.crypto.ShamirSecretSharing;
import org.hedgerow.privacy.crypto.X25519;

/**
 * The server's side of a secure-aggregation round, as a transport-agnostic state machine. The
 * transport feeds it client messages ({@code receive…}), closes each stage when its deadline
 * passes ({@code close…}: whoever has not sent by then has dropped out), and relays what it
 * returns. Stages: collect advertisements → relay each client its neighbours' keys;
 * collect encrypted shares → route them; collect masked inputs → send the survivor list; collect
 * survivors' signatures over it (consistency round) → relay them; collect shares → {@link #finish}.
 *
 * <p>Guarantees:
 * <ul>
 *   <li>The server never holds an individual input in the clear: each masked input is folded
 *       into one running sum the moment it is accepted and not kept; only the sum is unmasked.
 *   <li>The output is exactly {@code Σ x_u mod 2^b} over the clients whose masked inputs were
 *       accepted (U3), provided each needed secret has t shares; otherwise the round aborts with
 *       {@link SecAggAbortedException} and produces no output at all.
 *   <li>A stage aborts as soon as fewer than t clients remain, and masking closes with an abort
 *       (before anybody is asked to reveal shares) when some needed secret could no longer reach
 *       t shares.
 *   <li>Every message is checked: round id, stage (late or early messages are refused), sender
 *       eligibility, duplicates, signatures, dimensions and share routing. A refused message
 *       changes nothing.
 *   <li>Every reconstructed secret is checked before use: a self-mask seed against the commitment
 *       in its owner's signed advertisement, a masking key against its advertised public key. A bad
 *       revealed share is found and its holder named ({@link SecAggResult#badShareHolders}); with
 *       t good shares left the sum is still exact, otherwise the round aborts naming the suspects.
 * </ul>
 * Not thread-safe: the transport serialises calls (e.g. on one event loop).
 */
public final class SecAggServer {
  private final SecAggConfig config;
  private final ClientRoster roster;
  private NeighbourGraph graph; // from the public graph seed and the roster, fixed when advertising closes
  private final int n;
  private final int t;

  private Stage stage = Stage.ADVERTISE_KEYS;
  private final KeyAdvertisement[] advertisements;
  private final byte[][] credentials;
  /** Whether any advertisement came with a credential: then every directory carries one per entry. */
  private boolean withCredentials;
  private byte[] graphDigest;
  private final BitSet advertised = new BitSet();   // U1
  private final BitSet shared = new BitSet();       // U2
  private final BitSet masked = new BitSet();       // U3
  private final BitSet confirmed = new BitSet();    // signed the survivor list
  private final BitSet unmasked = new BitSet();     // U5
  private UnmaskRequest survivorList;
  private final TreeMap<Integer, SurvivorSignature> survivorSignatures = new TreeMap<>();
  private final java.util.TreeSet<Integer> badShareHolders = new java.util.TreeSet<>();
  /** What the server noticed and worked around (bad shares), for the transport to log. */
  private final List<String> warnings = new ArrayList<>();
  private List<EncryptedShare>[] inbox;             // receiver -> routed ciphertexts
  private int[] sum;
  /** owner -> (holder -> revealed share), the kind being fixed by whether the owner is in U3. */
  private final Map<Integer, TreeMap<Integer, BigInteger>> revealed = new HashMap<>();
  private final Map<List<Integer>, BigInteger[]> lagrangeCache = new HashMap<>();

  public SecAggServer(SecAggConfig config, ClientRoster roster) {
    if (config == null || roster == null) {
      throw new IllegalArgumentException("config and roster must not be null");
    }
    if (roster.size() != config.numClients()) {
      throw new IllegalArgumentException(String.format(
          "roster must list numClients = %d identity keys. Provided size: %d", config.numClients(), roster.size()));
    }
    this.config = config;
    this.roster = roster;
    this.n = config.numClients();
    this.t = config.threshold();
    this.advertisements = new KeyAdvertisement[n];
    this.credentials = new byte[n][];
  }

  /** What the server noticed and worked around (e.g. bad shares, naming their holders), in order. */
  public List<String> warnings() {
    return List.copyOf(warnings);
  }

  /** The round's neighbour graph; known once advertising closed. */
  public NeighbourGraph graph() {
    if (graph == null) {
      throw new IllegalStateException("the graph is fixed when advertising closes: close advertising first");
    }
    return graph;
  }

  public Stage stage() {
    return stage;
  }

  public SecAggConfig config() {
    return config;
  }

  /**
   * Decodes and accepts a client message.
   *
   * @throws MalformedMessageException bad bytes
   * @throws ProtocolViolationException the message is refused (see the typed methods)
   */
  public void receive(byte[] bytes) {
    SecAggMessage m = SecAggMessage.fromBytes(bytes);
    if (m instanceof KeyAdvertisement a) {
      receiveAdvertisement(a);
    } else if (m instanceof EncryptedShares s) {
      receiveShares(s);
    } else if (m instanceof MaskedInput y) {
      receiveMaskedInput(y);
    } else if (m instanceof SurvivorSignature c) {
      receiveSurvivorSignature(c);
    } else if (m instanceof UnmaskingShares u) {
      receiveUnmaskingShares(u);
    } else {
      throw new ProtocolViolationException("the server does not accept " + m.getClass().getSimpleName() + " messages");
    }
  }

  // ---- stage 0 ------------------------------------------------------------------------------

  /** Accepts a client's signed key advertisement. */
  public void receiveAdvertisement(KeyAdvertisement ad) {
    receiveAdvertisement(ad, null);
  }

  /**
   * Accepts a client's signed key advertisement with the credential that certifies its identity key
   * (relayed with it to its neighbours; null: none).
   */
  public void receiveAdvertisement(KeyAdvertisement ad, byte[] credential) {
    int u = ad.clientId();
    check(ad.roundId(), Stage.ADVERTISE_KEYS, "key advertisement", u);
    requireKnown(u);
    if (advertised.get(u)) {
      throw new ProtocolViolationException("duplicate key advertisement from client " + u);
    }
    if (!ad.verify(roster)) {
      throw new ProtocolViolationException("key advertisement of client " + u + " has an invalid signature");
    }
    advertisements[u] = ad;
    credentials[u] = credential == null ? null : credential.clone();
    advertised.set(u);
  }

  /**
   * Ends stage 0: whoever has not advertised has dropped.
   *
   * @throws SecAggAbortedException fewer than t clients advertised
   */
  public void closeAdvertising() {
    requireStage(Stage.ADVERTISE_KEYS, "close advertising");
    requireAtLeastThreshold(advertised, "advertised keys");
    boolean anyCredential = false;
    for (int v = advertised.nextSetBit(0); v >= 0; v = advertised.nextSetBit(v + 1)) {
      anyCredential |= credentials[v] != null;
    }
    withCredentials = anyCredential;
    graph = new NeighbourGraph(config, roster);
    graphDigest = graph.digest();
    stage = Stage.SHARE_KEYS;
  }

  /**
   * The directory relayed to {@code client}: its own advertisement and those of its graph neighbours
   * that advertised in time, in id order, each with its credential (protocol v3: the graph comes from
   * the public seed and the roster, so a client needs, and checks, only these). Sending k + 1 entries
   * instead of all N keeps a client's download at O(k) instead of O(N).
   */
  public KeyDirectory keysFor(int client) {
    requireStage(Stage.SHARE_KEYS, "relay keys");
    requireKnown(client);
    if (!advertised.get(client)) {
      throw new ProtocolViolationException("client " + client + " did not advertise keys and has dropped");
    }
    java.util.TreeSet<Integer> listed = new java.util.TreeSet<>();
    listed.add(client);
    for (int v : graph.neighbours(client)) {
      if (advertised.get(v)) {
        listed.add(v);
      }
    }
    List<KeyAdvertisement> ads = new ArrayList<>(listed.size());
    List<byte[]> creds = new ArrayList<>();
    for (int v : listed) {
      ads.add(advertisements[v]);
      if (withCredentials) {
        creds.add(credentials[v] == null ? new byte[0] : credentials[v]); // an empty credential fails a CA check
      }
    }
    return new KeyDirectory(config.roundId(), ads, creds);
  }

  // ---- stage 1 ------------------------------------------------------------------------------

  /** Accepts a client's encrypted shares; they must address exactly its live neighbours. */
  public void receiveShares(EncryptedShares msg) {
    int u = msg.senderId();
    check(msg.roundId(), Stage.SHARE_KEYS, "encrypted shares", u);
    requireKnown(u);
    if (!advertised.get(u)) {
      throw new ProtocolViolationException("encrypted shares from client " + u + ", which did not advertise keys");
    }
    if (shared.get(u)) {
      throw new ProtocolViolationException("duplicate encrypted shares from client " + u);
    }
    BitSet expected = liveNeighbours(u, advertised);
    BitSet got = new BitSet();
    for (EncryptedShare s : msg.shares()) {
      int v = s.receiverId();
      if (v >= n || !expected.get(v)) {
        throw new ProtocolViolationException(
            "client " + u + " addressed a share to client " + v + ", which is not a neighbour that advertised keys");
      }
      if (got.get(v)) {
        throw new ProtocolViolationException("client " + u + " addressed two shares to client " + v);
      }
      got.set(v);
    }
    if (!got.equals(expected)) {
      throw new ProtocolViolationException(String.format(
          "client %d must address shares to all of its %d live neighbours; it addressed %d",
          u, expected.cardinality(), got.cardinality()));
    }
    if (inbox == null) {
      @SuppressWarnings("unchecked")
      List<EncryptedShare>[] lists = new List[n];
      inbox = lists;
    }
    for (EncryptedShare s : msg.shares()) {
      if (inbox[s.receiverId()] == null) {
        inbox[s.receiverId()] = new ArrayList<>();
      }
      inbox[s.receiverId()].add(s);
    }
    shared.set(u);
  }

  /**
   * Ends stage 1.
   *
   * @throws SecAggAbortedException fewer than t clients shared keys
   */
  public void closeSharing() {
    requireStage(Stage.SHARE_KEYS, "close sharing");
    requireAtLeastThreshold(shared, "shared keys");
    sum = new int[config.dimension()];
    stage = Stage.MASKED_INPUT;
  }

  /** The ciphertexts routed to {@code client}: those from neighbours that completed stage 1. */
  public ShareBundle sharesFor(int client) {
    requireStage(Stage.MASKED_INPUT, "route shares");
    requireKnown(client);
    if (!shared.get(client)) {
      throw new ProtocolViolationException("client " + client + " did not share keys and has dropped");
    }
    List<EncryptedShare> mine = new ArrayList<>();
    if (inbox != null && inbox[client] != null) {
      for (EncryptedShare s : inbox[client]) {
        if (shared.get(s.senderId())) {
          mine.add(s);
        }
      }
    }
    return new ShareBundle(config.roundId(), client, mine);
  }

  // ---- stage 2 ------------------------------------------------------------------------------

  /** Accepts a masked input and folds it into the running sum at once; the vector is not kept. */
  public void receiveMaskedInput(MaskedInput y) {
    int u = y.clientId();
    check(y.roundId(), Stage.MASKED_INPUT, "masked input", u);
    requireKnown(u);
    if (!shared.get(u)) {
      throw new ProtocolViolationException("masked input from client " + u + ", which did not share keys");
    }
    if (masked.get(u)) {
      throw new ProtocolViolationException("duplicate masked input from client " + u);
    }
    if (y.dimension() != config.dimension()) {
      throw new ProtocolViolationException(String.format(
          "masked input of client %d has dimension %d, expected %d", u, y.dimension(), config.dimension()));
    }
    int[] v = y.valuesView();
    int[] s = sum;
    for (int i = 0; i < s.length; i++) {
      s[i] += v[i]; // wrapping int addition is addition in Z_{2^32}
    }
    masked.set(u);
  }

  /**
   * Ends stage 2 and returns the survivor list every survivor receives to sign (consistency round).
   *
   * @throws SecAggAbortedException fewer than t survivors, or some survivor's self-mask seed or
   *     some dropped client's masking key can no longer reach t shares — checked here so that
   *     nobody reveals anything for a round that cannot complete
   */
  public UnmaskRequest closeMasking() {
    requireStage(Stage.MASKED_INPUT, "close masking");
    requireAtLeastThreshold(masked, "sent masked inputs");
    String infeasible = firstUnrecoverable(masked);
    if (infeasible != null) {
      abort(infeasible + " among the clients that sent masked inputs");
    }
    stage = Stage.CONSISTENCY;
    survivorList = new UnmaskRequest(config.roundId(), masked.stream().toArray());
    return survivorList;
  }

  // ---- stage 3: consistency round -----------------------------------------------------------

  /** Accepts a survivor's signature over the survivor list it was sent and the neighbour graph. */
  public void receiveSurvivorSignature(SurvivorSignature sig) {
    int u = sig.clientId();
    check(sig.roundId(), Stage.CONSISTENCY, "survivor signature", u);
    requireKnown(u);
    if (!masked.get(u)) {
      throw new ProtocolViolationException("survivor signature from client " + u + ", which sent no masked input");
    }
    if (confirmed.get(u)) {
      throw new ProtocolViolationException("duplicate survivor signature from client " + u);
    }
    if (!sig.verify(roster, survivorList.survivors(), graphDigest)) {
      throw new ProtocolViolationException("survivor signature of client " + u
          + " does not verify over the survivor list and neighbour graph of this round");
    }
    survivorSignatures.put(u, sig);
    confirmed.set(u);
  }

  /**
   * Ends the consistency round and returns the signatures every confirmed survivor receives.
   *
   * @throws SecAggAbortedException fewer than t signatures, or some needed secret can no longer reach
   *     t shares among the signers (only they will unmask)
   */
  public SurvivorSignatures closeConsistency() {
    requireStage(Stage.CONSISTENCY, "close the consistency round");
    requireAtLeastThreshold(confirmed, "signed the survivor list");
    String infeasible = firstUnrecoverable(confirmed);
    if (infeasible != null) {
      abort(infeasible + " among the clients that signed the survivor list");
    }
    stage = Stage.UNMASK;
    return new SurvivorSignatures(config.roundId(), List.copyOf(survivorSignatures.values()));
  }

  /** Whether {@code client} signed the survivor list (and so may unmask). */
  public boolean confirmed(int client) {
    return confirmed.get(client);
  }

  // ---- stage 4 ------------------------------------------------------------------------------

  /**
   * Accepts a survivor's revealed shares: exactly one per neighbour that shared keys, of b_v for
   * survivors and of s_v^SK for dropped neighbours.
   */
  public void receiveUnmaskingShares(UnmaskingShares msg) {
    int u = msg.clientId();
    check(msg.roundId(), Stage.UNMASK, "unmasking shares", u);
    requireKnown(u);
    if (!confirmed.get(u)) {
      throw new ProtocolViolationException("unmasking shares from client " + u + ", which did not sign the survivor list");
    }
    if (unmasked.get(u)) {
      throw new ProtocolViolationException("duplicate unmasking shares from client " + u);
    }
    BitSet expected = liveNeighbours(u, shared);
    BitSet got = new BitSet();
    for (RevealedShare s : msg.shares()) {
      int v = s.ownerId();
      if (v >= n || !expected.get(v)) {
        throw new ProtocolViolationException(
            "client " + u + " revealed a share of client " + v + ", which is not a neighbour that shared keys");
      }
      if (got.get(v)) {
        throw new ProtocolViolationException("client " + u + " revealed two shares of client " + v);
      }
      ShareKind want = masked.get(v) ? ShareKind.SELF_MASK_SEED : ShareKind.MASK_KEY;
      if (s.kind() != want) {
        throw new ProtocolViolationException(String.format(
            "client %d revealed a %s share of client %d; expected %s", u, s.kind(), v, want));
      }
      got.set(v);
    }
    if (!got.equals(expected)) {
      throw new ProtocolViolationException(String.format(
          "client %d must reveal one share for each of its %d neighbours that shared keys; it revealed %d",
          u, expected.cardinality(), got.cardinality()));
    }
    for (RevealedShare s : msg.shares()) {
      revealed.computeIfAbsent(s.ownerId(), k -> new TreeMap<>()).put(u, s.y());
    }
    unmasked.set(u);
  }

  /**
   * Ends stage 3: reconstructs the survivors' self-mask seeds and the dropped clients' masking
   * keys, removes every mask, and returns the sum of the survivors' inputs.
   *
   * @throws SecAggAbortedException a needed secret has fewer than t shares or its shares are
   *     inconsistent; no output is produced
   */
  public SecAggResult finish() {
    requireStage(Stage.UNMASK, "finish");
    String infeasible = firstUnrecoverable(unmasked);
    if (infeasible != null) {
      abort(infeasible + " among the clients that revealed shares");
    }
    // Reconstruct everything before touching the sum, so that a failure leaves nothing half-unmasked.
    Map<Integer, byte[]> selfSeeds = new TreeMap<>();
    Map<Integer, byte[]> maskKeys = new TreeMap<>();
    for (int v = shared.nextSetBit(0); v >= 0; v = shared.nextSetBit(v + 1)) {
      KeyAdvertisement ad = advertisements[v];
      if (masked.get(v)) {
        selfSeeds.put(v, reconstruct(v, "self-mask seed", ad::commitsTo));
      } else if (liveNeighbours(v, masked).cardinality() > 0) {
        maskKeys.put(v, reconstruct(v, "masking key",
            sk -> Arrays.equals(X25519.publicKeyOf(sk), ad.maskingKey())));
      }
    }
    int[] result = sum;
    for (byte[] seed : selfSeeds.values()) {
      new MaskStream(seed).subtractFrom(result);
    }
    for (Map.Entry<Integer, byte[]> e : maskKeys.entrySet()) {
      int v = e.getKey();
      BitSet partners = liveNeighbours(v, masked);
      for (int u = partners.nextSetBit(0); u >= 0; u = partners.nextSetBit(u + 1)) {
        // u added +PRG(s_uv) if u < v and −PRG(s_uv) otherwise; take its term back out.
        byte[] seed = SecAggKdf.pairwiseSeed(e.getValue(), advertisements[u].maskingKey(), config.roundId(), v, u);
        MaskStream prg = new MaskStream(seed);
        if (u < v) {
          prg.subtractFrom(result);
        } else {
          prg.addTo(result);
        }
      }
    }
    int mask = config.resultMask();
    if (mask != -1) {
      for (int i = 0; i < result.length; i++) {
        result[i] &= mask;
      }
    }
    sum = null;
    revealed.clear();
    stage = Stage.DONE;
    return new SecAggResult(config.roundId(), result, masked.stream().toArray(),
        badShareHolders.stream().mapToInt(Integer::intValue).toArray());
  }

  // ---- helpers ------------------------------------------------------------------------------

  /** Names the first secret that cannot get t shares from {@code holders}, or null. */
  private String firstUnrecoverable(BitSet holders) {
    for (int v = shared.nextSetBit(0); v >= 0; v = shared.nextSetBit(v + 1)) {
      BitSet live = liveNeighbours(v, holders);
      boolean needed = masked.get(v) || liveNeighbours(v, masked).cardinality() > 0;
      if (needed && live.cardinality() < t) {
        return String.format("the %s of client %d can reach only %d shares, below the threshold %d",
            masked.get(v) ? "self-mask seed" : "masking key", v, live.cardinality(), t);
      }
    }
    return null;
  }

  /**
   * Reconstructs {@code owner}'s secret from the revealed shares and checks it with {@code valid}
   * (the commitment or the advertised public key). The fast path uses the t smallest holders. If that
   * fails, each holder in turn is left out until some t shares give a valid secret; the shares that
   * do not lie on that secret's polynomial are bad, and their holders are recorded.
   */
  private byte[] reconstruct(int owner, String what, java.util.function.Predicate<byte[]> valid) {
    TreeMap<Integer, BigInteger> shares = revealed.getOrDefault(owner, new TreeMap<>());
    if (shares.size() < t) {
      abort("client " + owner + " has only " + shares.size() + " revealed shares, below the threshold " + t);
    }
    List<Integer> holders = new ArrayList<>(shares.keySet());
    byte[] secret = combine(owner, shares, holders.subList(0, t));
    if (secret != null && valid.test(secret)) {
      return secret;
    }
    for (int skip = 0; skip < holders.size() && holders.size() > t; skip++) {
      List<Integer> subset = new ArrayList<>(holders);
      subset.remove(skip);
      List<Integer> chosen = subset.subList(0, t);
      byte[] candidate = combine(owner, shares, chosen);
      if (candidate != null && valid.test(candidate)) {
        List<Integer> liars = inconsistentHolders(shares, chosen);
        badShareHolders.addAll(liars);
        warnings.add("the " + what + " of client " + owner + ": bad revealed shares from clients " + liars
            + "; reconstructed from " + chosen);
        return candidate;
      }
    }
    abort(String.format("the %s of client %d reconstructed from the revealed shares does not match its %s: a bad "
        + "share from one of clients %s (or client %d dealt inconsistent shares); %d shares are too few to tell which",
        what, owner, what.startsWith("self") ? "commitment" : "advertised public key", holders, owner, holders.size()));
    return null; // unreachable
  }

  /** The secret from the shares of {@code chosen} holders, or null if it is not a 32-byte value. */
  private byte[] combine(int owner, TreeMap<Integer, BigInteger> shares, List<Integer> chosen) {
    BigInteger[] ys = new BigInteger[chosen.size()];
    for (int i = 0; i < ys.length; i++) {
      ys[i] = shares.get(chosen.get(i));
    }
    // Which t holders are used is deterministic (smallest ids), so in classic SecAgg many
    // secrets share one holder set and its Lagrange coefficients are computed once.
    BigInteger[] lambdas = lagrangeCache.computeIfAbsent(List.copyOf(chosen), h -> {
      int[] xs = new int[h.size()];
      for (int i = 0; i < xs.length; i++) {
        xs[i] = h.get(i) + 1;
      }
      return ShamirSecretSharing.lagrangeAtZero(xs);
    });
    try {
      return ShamirSecretSharing.combine(lambdas, ys);
    } catch (IllegalArgumentException e) {
      return null; // not a 32-byte secret: some share is bad
    }
  }

  /** Holders whose share differs from the polynomial through the shares of {@code chosen}. */
  private static List<Integer> inconsistentHolders(TreeMap<Integer, BigInteger> shares, List<Integer> chosen) {
    BigInteger p = ShamirSecretSharing.PRIME;
    List<Integer> out = new ArrayList<>();
    for (Map.Entry<Integer, BigInteger> e : shares.entrySet()) {
      int h = e.getKey();
      if (chosen.contains(h)) {
        continue;
      }
      BigInteger x = BigInteger.valueOf(h + 1L);
      BigInteger value = BigInteger.ZERO;
      for (int i = 0; i < chosen.size(); i++) { // Lagrange interpolation at x
        BigInteger xi = BigInteger.valueOf(chosen.get(i) + 1L);
        BigInteger num = BigInteger.ONE;
        BigInteger den = BigInteger.ONE;
        for (int j = 0; j < chosen.size(); j++) {
          if (j != i) {
            BigInteger xj = BigInteger.valueOf(chosen.get(j) + 1L);
            num = num.multiply(x.subtract(xj)).mod(p);
            den = den.multiply(xi.subtract(xj)).mod(p);
          }
        }
        value = value.add(shares.get(chosen.get(i)).multiply(num).multiply(den.modInverse(p))).mod(p);
      }
      if (!value.equals(e.getValue())) {
        out.add(h);
      }
    }
    return out;
  }

  private BitSet liveNeighbours(int client, BitSet live) {
    BitSet out = new BitSet(n);
    for (int v : graph.neighbours(client)) {
      if (live.get(v)) {
        out.set(v);
      }
    }
    return out;
  }

  private void requireAtLeastThreshold(BitSet set, String what) {
    if (set.cardinality() < t) {
      abort(String.format("only %d clients %s, below the threshold %d", set.cardinality(), what, t));
    }
  }

  private void abort(String reason) {
    stage = Stage.ABORTED;
    if (sum != null) {
      Arrays.fill(sum, 0);
      sum = null;
    }
    revealed.clear();
    throw new SecAggAbortedException("round " + config.roundId() + " aborted: " + reason);
  }

  private void check(long roundId, Stage expected, String what, int sender) {
    if (roundId != config.roundId()) {
      throw new ProtocolViolationException(String.format(
          "%s from client %d is for round %d; this is round %d", what, sender, roundId, config.roundId()));
    }
    if (stage != expected) {
      throw new ProtocolViolationException(String.format("%s from client %d refused: the round is at stage %s (%s)",
          what, sender, stage, stage == Stage.ABORTED || stage == Stage.DONE ? "closed"
              : stage.ordinal() > expected.ordinal() ? "too late" : "too early"));
    }
  }

  private void requireStage(Stage expected, String action) {
    if (stage != expected) {
      throw new ProtocolViolationException("cannot " + action + ": the round is at stage " + stage);
    }
  }

  private void requireKnown(int client) {
    if (client < 0 || client >= n) {
      throw new ProtocolViolationException(String.format("unknown client %d (ids are 0 … %d)", client, n - 1));
    }
  }
}
