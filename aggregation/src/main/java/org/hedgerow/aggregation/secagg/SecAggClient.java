package org.hedgerow.aggregation.secagg;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.hedgerow.privacy.crypto.AesGcm;
import org.hedgerow.privacy.crypto.AuthenticationFailedException;
import org.hedgerow.privacy.crypto.Ed25519KeyPair;
import org.hedgerow.privacy.crypto.MaskStream;
import org.hedgerow.privacy.crypto.ShamirSecretSharing;
import org.hedgerow.privacy.crypto.ShamirShare;
import org.hedgerow.privacy.crypto.X25519;
import org.hedgerow.privacy.crypto.X25519KeyPair;

/**
 * One client's side of a secure-aggregation round (Bonawitz et al. 2017 over the SecAgg+
 * neighbour graph of Bell et al. 2020), as a transport-agnostic state machine: each method
 * consumes what the server relayed for one stage and returns the message to send back.
 *
 * <p>Guarantees, against a server that follows the protocol but tries to learn more, colluding
 * with fewer than {@code t} of this client's neighbours: the server learns nothing about this
 * client's input beyond the sum it is entitled to. Specifically the client
 * <ul>
 *   <li>accepts neighbour keys only with a valid Ed25519 signature from the roster;
 *   <li>shares its secrets only with its graph neighbours, t-of-k, encrypted and authenticated
 *       per pair;
 *   <li>masks its input with a self mask and with pairwise masks for exactly the neighbours that
 *       shared with it;
 *   <li>reveals for each neighbour <em>either</em> a share of its self-mask seed (neighbour
 *       survived) <em>or</em> of its masking key (neighbour dropped), never both, and runs the
 *       unmasking stage at most once.
 * </ul>
 * Any check that fails aborts this client for the round ({@link Stage#ABORTED}): it sends
 * nothing further. Stages must be run in order; a call out of order is refused. Not thread-safe.
 */
public final class SecAggClient {
  private final SecAggConfig config;
  private final int id;
  private final Ed25519KeyPair identity;
  private final ClientRoster roster;
  private final SecureRandom random;
  private final AesGcm gcm;
  private final int[] neighbours;
  private final NeighbourGraph graph;

  private Stage stage = Stage.ADVERTISE_KEYS;
  private X25519KeyPair encryptionKeys;
  private X25519KeyPair maskingKeys;
  private KeyAdvertisement ownAdvertisement;
  /** Stage 1: neighbours whose advertisement verified, by id. */
  private final TreeMap<Integer, KeyAdvertisement> liveNeighbours = new TreeMap<>();
  private byte[] selfMaskSeed;
  /** Stage 2: for each neighbour that shared with us, our shares of its b and s^SK. */
  private final TreeMap<Integer, BigInteger[]> heldShares = new TreeMap<>();
  /** Stage 3: what we revealed per neighbour; the guard against revealing both kinds. */
  private final Map<Integer, ShareKind> revealed = new HashMap<>();

  /**
   * @param clientId this client's id in the round, {@code [0, n)}
   * @param identity this client's long-term Ed25519 key pair (its public half is in the roster)
   * @param roster every client's identity public key
   */
  public SecAggClient(SecAggConfig config, int clientId, Ed25519KeyPair identity, ClientRoster roster) {
    this(config, clientId, identity, roster, new SecureRandom());
  }

  /** Seam for reproducible tests: all randomness (keys, seeds, share polynomials, nonces). */
  SecAggClient(SecAggConfig config, int clientId, Ed25519KeyPair identity, ClientRoster roster, SecureRandom random) {
    this(config, clientId, identity, roster, random, new NeighbourGraph(config));
  }

  /** For harnesses running many clients of one round: shares a precomputed graph. */
  public SecAggClient(SecAggConfig config, int clientId, Ed25519KeyPair identity, ClientRoster roster,
      NeighbourGraph graph) {
    this(config, clientId, identity, roster, new SecureRandom(), graph);
  }

  private SecAggClient(SecAggConfig config, int clientId, Ed25519KeyPair identity, ClientRoster roster,
      SecureRandom random, NeighbourGraph graph) {
    if (config == null || identity == null || roster == null || random == null || graph == null) {
      throw new IllegalArgumentException("config, identity, roster, random and graph must not be null");
    }
    if (clientId < 0 || clientId >= config.numClients()) {
      throw new IllegalArgumentException(String.format(
          "clientId must be in [0, %d). Provided value: %d", config.numClients(), clientId));
    }
    if (roster.size() != config.numClients()) {
      throw new IllegalArgumentException(String.format(
          "roster must list numClients = %d identity keys. Provided size: %d", config.numClients(), roster.size()));
    }
    if (!java.util.Arrays.equals(roster.identityKey(clientId), identity.publicKey())) {
      throw new IllegalArgumentException("identity does not match the roster's key for client " + clientId);
    }
    if (graph.size() != config.numClients() || graph.degree() != config.neighbours()) {
      throw new IllegalArgumentException("graph was built for a different configuration");
    }
    this.config = config;
    this.id = clientId;
    this.identity = identity;
    this.roster = roster;
    this.random = random;
    this.gcm = new AesGcm(); // nonces need no reproducibility: always SecureRandom
    this.graph = graph;
    this.neighbours = graph.neighbours(clientId);
  }

  public int clientId() {
    return id;
  }

  public Stage stage() {
    return stage;
  }

  /** This client's neighbours in the round's graph. */
  public int[] neighbours() {
    return neighbours.clone();
  }

  /** Stage 0: generates this round's two X25519 key pairs and signs their public halves. */
  public KeyAdvertisement advertiseKeys() {
    expect(Stage.ADVERTISE_KEYS);
    encryptionKeys = X25519.generateKeyPair(random);
    maskingKeys = X25519.generateKeyPair(random);
    ownAdvertisement = KeyAdvertisement.sign(config.roundId(), id, encryptionKeys.publicKey(),
        maskingKeys.publicKey(), identity.privateKey());
    stage = Stage.SHARE_KEYS;
    return ownAdvertisement;
  }

  /**
   * Stage 1: verifies the neighbours' advertisements and returns this client's Shamir shares of
   * b_u and s_u^SK, one ciphertext per neighbour that advertised. Advertisements of non-neighbours
   * are ignored (a server may broadcast one directory to everybody).
   *
   * @throws ProtocolViolationException wrong round, duplicate or forged advertisement, or our own
   *     advertisement altered
   * @throws SecAggAbortedException fewer than t neighbours advertised keys
   */
  public EncryptedShares shareKeys(KeyDirectory directory) {
    expect(Stage.SHARE_KEYS);
    try {
      return doShareKeys(directory);
    } catch (RuntimeException e) {
      abort();
      throw e;
    }
  }

  private EncryptedShares doShareKeys(KeyDirectory directory) {
    requireRound(directory.roundId(), "key directory");
    java.util.Set<Integer> seen = new java.util.HashSet<>();
    for (KeyAdvertisement ad : directory.advertisements()) {
      int v = ad.clientId();
      if (v >= config.numClients()) {
        throw new ProtocolViolationException("key directory names unknown client " + v);
      }
      if (!seen.add(v)) {
        throw new ProtocolViolationException("key directory lists client " + v + " twice");
      }
      if (v == id) {
        if (!ad.equals(ownAdvertisement)) {
          throw new ProtocolViolationException("key directory carries an altered advertisement for this client");
        }
        continue;
      }
      if (!graph.areNeighbours(id, v)) {
        continue;
      }
      if (!ad.verify(roster)) {
        throw new ProtocolViolationException("advertisement of client " + v + " has an invalid signature");
      }
      liveNeighbours.put(v, ad);
    }
    int t = config.threshold();
    if (liveNeighbours.size() < t) {
      throw new SecAggAbortedException(String.format(
          "client %d: only %d neighbours advertised keys, below the threshold %d", id, liveNeighbours.size(), t));
    }
    selfMaskSeed = new byte[MaskStream.SEED_BYTES];
    random.nextBytes(selfMaskSeed);
    int[] xs = new int[liveNeighbours.size()];
    int i = 0;
    for (int v : liveNeighbours.keySet()) {
      xs[i++] = v + 1; // Shamir points are id + 1: 0 holds the secret
    }
    ShamirSecretSharing sss = new ShamirSecretSharing(t, random);
    List<ShamirShare> seedShares = sss.split(selfMaskSeed, xs);
    List<ShamirShare> keyShares = sss.split(maskingKeys.privateKey(), xs);
    byte[] encSk = encryptionKeys.privateKey();
    List<EncryptedShare> out = new ArrayList<>(xs.length);
    i = 0;
    for (Map.Entry<Integer, KeyAdvertisement> e : liveNeighbours.entrySet()) {
      int v = e.getKey();
      byte[] plain = new byte[EncryptedShare.PLAINTEXT_BYTES];
      System.arraycopy(seedShares.get(i).yBytes(), 0, plain, 0, ShamirSecretSharing.ELEMENT_BYTES);
      System.arraycopy(keyShares.get(i).yBytes(), 0, plain, ShamirSecretSharing.ELEMENT_BYTES,
          ShamirSecretSharing.ELEMENT_BYTES);
      byte[] key = SecAggKdf.shareKey(encSk, e.getValue().encryptionKey(), config.roundId(), id, v);
      out.add(new EncryptedShare(id, v, gcm.seal(key, plain, SecAggKdf.shareAad(config.roundId(), id, v))));
      java.util.Arrays.fill(plain, (byte) 0);
      i++;
    }
    stage = Stage.MASKED_INPUT;
    return new EncryptedShares(config.roundId(), id, out);
  }

  /**
   * Stage 2: decrypts the shares neighbours sent us and returns
   * {@code y = x + PRG(b_u) + Σ_{v shared with us} ±PRG(s_uv) mod 2^32} (+ when u &lt; v).
   *
   * @param input this client's quantised input, {@code dimension} residues in {@code [0, 2^b)}
   * @throws ProtocolViolationException wrong round or receiver, a share from a non-neighbour or
   *     a duplicate, a ciphertext that fails authentication
   * @throws SecAggAbortedException fewer than t neighbours shared with us
   */
  public MaskedInput maskInput(ShareBundle bundle, int[] input) {
    expect(Stage.MASKED_INPUT);
    if (input == null || input.length != config.dimension()) {
      throw new IllegalArgumentException(String.format("input must have dimension %d. Provided length: %s",
          config.dimension(), input == null ? "null" : input.length));
    }
    if (config.modulusBits() < 32) {
      for (int i = 0; i < input.length; i++) {
        if ((input[i] >>> config.modulusBits()) != 0) {
          throw new IllegalArgumentException(String.format(
              "input[%d] must be a residue in [0, 2^%d). Provided value: %d", i, config.modulusBits(), input[i]));
        }
      }
    }
    try {
      return doMaskInput(bundle, input);
    } catch (RuntimeException e) {
      abort();
      throw e;
    }
  }

  private MaskedInput doMaskInput(ShareBundle bundle, int[] input) {
    requireRound(bundle.roundId(), "share bundle");
    if (bundle.receiverId() != id) {
      throw new ProtocolViolationException("share bundle for client " + bundle.receiverId() + " delivered to client " + id);
    }
    byte[] encSk = encryptionKeys.privateKey();
    for (EncryptedShare s : bundle.shares()) {
      int v = s.senderId();
      KeyAdvertisement ad = liveNeighbours.get(v);
      if (ad == null) {
        throw new ProtocolViolationException("share from client " + v + ", which is not a neighbour that advertised keys");
      }
      if (heldShares.containsKey(v)) {
        throw new ProtocolViolationException("two shares from client " + v);
      }
      byte[] key = SecAggKdf.shareKey(encSk, ad.encryptionKey(), config.roundId(), id, v);
      byte[] plain;
      try {
        plain = AesGcm.open(key, s.sealedView(), SecAggKdf.shareAad(config.roundId(), v, id));
      } catch (AuthenticationFailedException e) {
        throw new ProtocolViolationException("share from client " + v + " failed authentication", e);
      }
      try {
        heldShares.put(v, new BigInteger[] {
            ShamirSecretSharing.decodeElement(plain, 0),
            ShamirSecretSharing.decodeElement(plain, ShamirSecretSharing.ELEMENT_BYTES)});
      } catch (IllegalArgumentException e) {
        throw new ProtocolViolationException("share from client " + v + " is not a field element", e);
      }
    }
    if (heldShares.size() < config.threshold()) {
      throw new SecAggAbortedException(String.format(
          "client %d: only %d neighbours shared keys, below the threshold %d", id, heldShares.size(), config.threshold()));
    }
    int[] y = input.clone();
    new MaskStream(selfMaskSeed).addTo(y);
    byte[] maskSk = maskingKeys.privateKey();
    for (int v : heldShares.keySet()) {
      byte[] seed = SecAggKdf.pairwiseSeed(maskSk, liveNeighbours.get(v).maskingKey(), config.roundId(), id, v);
      MaskStream prg = new MaskStream(seed);
      if (id < v) {
        prg.addTo(y);
      } else {
        prg.subtractFrom(y);
      }
    }
    stage = Stage.UNMASK;
    return MaskedInput.owning(config.roundId(), id, y);
  }

  /**
   * Stage 3: for each neighbour v that shared with us, reveals our share of b_v if v is among
   * the survivors and of s_v^SK otherwise. Runs once.
   *
   * @throws ProtocolViolationException wrong round; this client not listed as a survivor; a
   *     neighbour listed as survivor that never shared with us
   * @throws SecAggAbortedException fewer than t survivors in total
   */
  public UnmaskingShares unmask(UnmaskRequest request) {
    expect(Stage.UNMASK);
    try {
      return doUnmask(request);
    } catch (RuntimeException e) {
      abort();
      throw e;
    }
  }

  private UnmaskingShares doUnmask(UnmaskRequest request) {
    requireRound(request.roundId(), "unmask request");
    if (request.count() < config.threshold()) {
      throw new SecAggAbortedException(String.format(
          "client %d: only %d survivors, below the threshold %d: refusing to unmask", id, request.count(),
          config.threshold()));
    }
    if (!request.survived(id)) {
      throw new ProtocolViolationException("unmask request does not list this client (" + id + ") as a survivor");
    }
    for (int v : neighbours) {
      if (request.survived(v) && !heldShares.containsKey(v)) {
        throw new ProtocolViolationException(
            "unmask request lists neighbour " + v + " as a survivor but it never shared keys with client " + id);
      }
    }
    List<RevealedShare> out = new ArrayList<>(heldShares.size());
    for (Map.Entry<Integer, BigInteger[]> e : heldShares.entrySet()) {
      int v = e.getKey();
      ShareKind kind = request.survived(v) ? ShareKind.SELF_MASK_SEED : ShareKind.MASK_KEY;
      ShareKind earlier = revealed.putIfAbsent(v, kind);
      if (earlier != null && earlier != kind) { // unreachable while unmask runs once; kept as the invariant's guard
        throw new ProtocolViolationException("refusing to reveal both secrets of client " + v);
      }
      out.add(new RevealedShare(v, kind, e.getValue()[kind == ShareKind.SELF_MASK_SEED ? 0 : 1]));
    }
    stage = Stage.DONE;
    return new UnmaskingShares(config.roundId(), id, out);
  }

  private void expect(Stage expected) {
    if (stage != expected) {
      throw new ProtocolViolationException(String.format(
          "client %d is at stage %s; a %s step is %s", id, stage, expected,
          stage == Stage.ABORTED ? "refused after abort" : stage.ordinal() > expected.ordinal() ? "late" : "early"));
    }
  }

  private void requireRound(long roundId, String what) {
    if (roundId != config.roundId()) {
      throw new ProtocolViolationException(String.format(
          "%s is for round %d but client %d is in round %d", what, roundId, id, config.roundId()));
    }
  }

  private void abort() {
    stage = Stage.ABORTED;
    if (selfMaskSeed != null) {
      java.util.Arrays.fill(selfMaskSeed, (byte) 0);
    }
    heldShares.clear();
  }
}
