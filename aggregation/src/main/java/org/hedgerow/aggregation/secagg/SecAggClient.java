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
 * neighbour graph of Bell et al. 2020, with the consistency round of Bonawitz et al.'s
 * malicious-server variant), as a transport-agnostic state machine: each method consumes what the
 * server relayed for one stage and returns the message to send back.
 *
 * <p>Guarantees, against a server that follows the protocol but tries to learn more, colluding
 * with fewer than {@code t} of this client's neighbours: the server learns nothing about this
 * client's input beyond the sum it is entitled to. Against a server that deviates, the client
 * <ul>
 *   <li>derives the neighbour graph from the public graph seed (fixed by the federation round) and
 *       the roster's identity keys ({@link NeighbourGraph}), not from anything the server picks per
 *       session;
 *   <li>uses a neighbour's keys only with a valid Ed25519 signature from the roster's identity key,
 *       and that key only if its {@link IdentityCertification} accepts it (with the federation CA: a
 *       certificate binding it to an enrolled client), so substituted keys are refused; the
 *       advertisements of non-neighbours play no part for this client and are not checked;
 *   <li>shares its secrets only with its graph neighbours, t-of-k, encrypted and authenticated
 *       per pair, and commits to its self-mask seed in its signed advertisement, so a bad share of
 *       it is detected at unmasking;
 *   <li>masks its input with a self mask and with pairwise masks for exactly the neighbours that
 *       shared with it;
 *   <li>signs the survivor list it is sent (consistency round) and unmasks only after seeing at
 *       least t valid signatures of listed clients over that same list and graph (seed and roster);
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
  private final IdentityCertification certification;
  private final SecureRandom random;
  private final AesGcm gcm;

  private Stage stage = Stage.ADVERTISE_KEYS;
  private X25519KeyPair encryptionKeys;
  private X25519KeyPair maskingKeys;
  private KeyAdvertisement ownAdvertisement;
  /** Stage 1: the round's graph (from the public graph seed and the roster) and our neighbours in it. */
  private NeighbourGraph graph;
  private int[] neighbours;
  /** Stage 1: {@link NeighbourGraph#digest} (seed and roster), bound into the survivor-list signatures. */
  private byte[] graphDigest;
  /** Stage 1: neighbours whose advertisement verified, by id. */
  private final TreeMap<Integer, KeyAdvertisement> liveNeighbours = new TreeMap<>();
  private byte[] selfMaskSeed;
  /** Stage 2: for each neighbour that shared with us, our shares of its b and s^SK. */
  private final TreeMap<Integer, BigInteger[]> heldShares = new TreeMap<>();
  /** Stage 3: the survivor list this client signed. */
  private int[] signedSurvivors;
  /** Stage 4: what we revealed per neighbour; the guard against revealing both kinds. */
  private final Map<Integer, ShareKind> revealed = new HashMap<>();

  /**
   * A client that trusts the roster's identity keys as sent (open registration; no protection from
   * key substitution by the server).
   *
   * @param clientId this client's id in the round, {@code [0, n)}
   * @param identity this client's long-term Ed25519 key pair (its public half is in the roster)
   * @param roster every client's identity public key
   */
  public SecAggClient(SecAggConfig config, int clientId, Ed25519KeyPair identity, ClientRoster roster) {
    this(config, clientId, identity, roster, IdentityCertification.TRUST_ROSTER, new SecureRandom());
  }

  /** As above, accepting a roster key only when {@code certification} does (see {@link CertifiedIdentityKeys}). */
  public SecAggClient(SecAggConfig config, int clientId, Ed25519KeyPair identity, ClientRoster roster,
      IdentityCertification certification) {
    this(config, clientId, identity, roster, certification, new SecureRandom());
  }

  /** Seam for reproducible tests: all randomness (keys, seeds, share polynomials, nonces). */
  SecAggClient(SecAggConfig config, int clientId, Ed25519KeyPair identity, ClientRoster roster, SecureRandom random) {
    this(config, clientId, identity, roster, IdentityCertification.TRUST_ROSTER, random);
  }

  private SecAggClient(SecAggConfig config, int clientId, Ed25519KeyPair identity, ClientRoster roster,
      IdentityCertification certification, SecureRandom random) {
    if (config == null || identity == null || roster == null || random == null || certification == null) {
      throw new IllegalArgumentException("config, identity, roster, certification and random must not be null");
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
    this.config = config;
    this.id = clientId;
    this.identity = identity;
    this.roster = roster;
    this.certification = certification;
    this.random = random;
    this.gcm = new AesGcm(); // nonces need no reproducibility: always SecureRandom
  }

  public int clientId() {
    return id;
  }

  public Stage stage() {
    return stage;
  }

  /** This client's neighbours in the round's graph (known once the key directory arrived). */
  public int[] neighbours() {
    if (neighbours == null) {
      throw new IllegalStateException("the neighbour graph is computed when the key directory arrives: call shareKeys first");
    }
    return neighbours.clone();
  }

  /**
   * Stage 0: generates this round's two X25519 key pairs and its self-mask seed, and signs the
   * public keys with the commitment to the seed.
   */
  public KeyAdvertisement advertiseKeys() {
    expect(Stage.ADVERTISE_KEYS);
    encryptionKeys = X25519.generateKeyPair(random);
    maskingKeys = X25519.generateKeyPair(random);
    selfMaskSeed = new byte[MaskStream.SEED_BYTES];
    random.nextBytes(selfMaskSeed);
    ownAdvertisement = KeyAdvertisement.sign(config.roundId(), id, encryptionKeys.publicKey(),
        maskingKeys.publicKey(), KeyAdvertisement.commitment(config.roundId(), id, selfMaskSeed), identity.privateKey());
    stage = Stage.SHARE_KEYS;
    return ownAdvertisement;
  }

  /**
   * Stage 1: computes the neighbour graph from the public graph seed and the roster, verifies the
   * advertisement of every neighbour listed in the directory (signature under the roster key, the key
   * itself under the {@link IdentityCertification}), and returns this client's Shamir shares of b_u and s_u^SK, one ciphertext per neighbour
   * that advertised.
   *
   * @throws ProtocolViolationException wrong round, duplicate entry, a neighbour's forged or uncertified
   *     advertisement, our own advertisement missing or altered
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
    // Protocol v3: the graph comes from the public graph seed and the roster, not from the directory,
    // so only the neighbours' advertisements matter to this client and only they are checked.
    graph = new NeighbourGraph(config, roster);
    graphDigest = graph.digest();
    neighbours = graph.neighbours(id);
    java.util.BitSet listed = new java.util.BitSet();
    boolean own = false;
    List<KeyAdvertisement> ads = directory.advertisements();
    for (int i = 0; i < ads.size(); i++) {
      KeyAdvertisement ad = ads.get(i);
      int v = ad.clientId();
      if (v >= config.numClients()) {
        throw new ProtocolViolationException("key directory names unknown client " + v);
      }
      if (listed.get(v)) {
        throw new ProtocolViolationException("key directory lists client " + v + " twice");
      }
      listed.set(v);
      if (v == id) {
        if (!ad.equals(ownAdvertisement)) {
          throw new ProtocolViolationException("key directory carries an altered advertisement for this client");
        }
        own = true;
      } else if (graph.areNeighbours(id, v)) {
        if (!ad.verify(roster)) {
          throw new ProtocolViolationException("advertisement of client " + v + " has an invalid signature");
        }
        certification.check(v, roster.identityKey(v), directory.credential(i));
        liveNeighbours.put(v, ad);
      }
      // Any other entry is a non-neighbour's: this client never uses its keys, so it does not check them.
    }
    if (!own) {
      throw new ProtocolViolationException("key directory leaves out this client's own advertisement");
    }
    int t = config.threshold();
    if (liveNeighbours.size() < t) {
      throw new SecAggAbortedException(String.format(
          "client %d: only %d neighbours advertised keys, below the threshold %d", id, liveNeighbours.size(), t));
    }
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
    stage = Stage.CONSISTENCY;
    return MaskedInput.owning(config.roundId(), id, y);
  }

  /**
   * Stage 3 (consistency round): checks the survivor list and signs it, with the graph digest,
   * for the other holders to see.
   *
   * @throws ProtocolViolationException wrong round; this client not listed as a survivor; a
   *     neighbour listed as survivor that never shared with us
   * @throws SecAggAbortedException fewer than t survivors in total
   */
  public SurvivorSignature confirmSurvivors(UnmaskRequest request) {
    expect(Stage.CONSISTENCY);
    try {
      requireRound(request.roundId(), "survivor list");
      if (request.count() < config.threshold()) {
        throw new SecAggAbortedException(String.format(
            "client %d: only %d survivors, below the threshold %d: refusing to unmask", id, request.count(),
            config.threshold()));
      }
      if (!request.survived(id)) {
        throw new ProtocolViolationException("survivor list does not list this client (" + id + ") as a survivor");
      }
      for (int v : neighbours) {
        if (request.survived(v) && !heldShares.containsKey(v)) {
          throw new ProtocolViolationException(
              "survivor list names neighbour " + v + " as a survivor but it never shared keys with client " + id);
        }
      }
      signedSurvivors = request.survivors();
      stage = Stage.UNMASK;
      return SurvivorSignature.sign(config.roundId(), id, signedSurvivors, graphDigest, identity.privateKey());
    } catch (RuntimeException e) {
      abort();
      throw e;
    }
  }

  /**
   * Stage 4: checks that at least t listed clients signed the very survivor list (and graph)
   * this client signed, over the same graph (it verifies signatures in the order received until t are valid; any invalid
   * one before that refuses the session), then, for each neighbour v that shared with us, reveals our share of b_v if v
   * is among the survivors and of s_v^SK otherwise. Runs once.
   *
   * @throws ProtocolViolationException wrong round; a signature that does not verify over this
   *     client's list (the server showed holders different lists), from an unlisted client, or twice
   * @throws SecAggAbortedException fewer than t valid signatures
   */
  public UnmaskingShares unmask(SurvivorSignatures signatures) {
    expect(Stage.UNMASK);
    try {
      return doUnmask(signatures);
    } catch (RuntimeException e) {
      abort();
      throw e;
    }
  }

  private UnmaskingShares doUnmask(SurvivorSignatures signatures) {
    requireRound(signatures.roundId(), "survivor signatures");
    java.util.BitSet signers = new java.util.BitSet(); // verified
    java.util.BitSet seen = new java.util.BitSet();    // listed in the message
    for (SurvivorSignature s : signatures.signatures()) {
      int v = s.clientId();
      if (java.util.Arrays.binarySearch(signedSurvivors, v) < 0) {
        throw new ProtocolViolationException("survivor signature from client " + v
            + ", which is not on the survivor list this client signed");
      }
      if (seen.get(v)) {
        throw new ProtocolViolationException("two survivor signatures from client " + v);
      }
      seen.set(v);
      if (signers.cardinality() >= config.threshold()) {
        // t valid signatures over our list are what the consistency argument needs; more add nothing a
        // cheating server could not withhold anyway, so they are not verified (each costs ~0.1 ms).
        continue;
      }
      if (!s.verify(roster, signedSurvivors, graphDigest)) {
        throw new ProtocolViolationException("client " + v + "'s signature does not verify over the survivor list and "
            + "neighbour graph this client signed: holders were shown different survivor lists; refusing to unmask");
      }
      signers.set(v);
    }
    if (signers.cardinality() < config.threshold()) {
      throw new SecAggAbortedException(String.format(
          "client %d: only %d valid signatures over its survivor list, below the threshold %d: refusing to unmask",
          id, signers.cardinality(), config.threshold()));
    }
    List<RevealedShare> out = new ArrayList<>(heldShares.size());
    for (Map.Entry<Integer, BigInteger[]> e : heldShares.entrySet()) {
      int v = e.getKey();
      boolean survived = java.util.Arrays.binarySearch(signedSurvivors, v) >= 0;
      ShareKind kind = survived ? ShareKind.SELF_MASK_SEED : ShareKind.MASK_KEY;
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
