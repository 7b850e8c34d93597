package org.hedgerow.edge.client;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.hedgerow.aggregation.secagg.CertifiedIdentityKeys;
import org.hedgerow.aggregation.secagg.ClientRoster;
import org.hedgerow.aggregation.secagg.IdentityCertification;
import org.hedgerow.aggregation.secagg.SurvivorSignatures;
import org.hedgerow.aggregation.secagg.EncryptedShares;
import org.hedgerow.aggregation.secagg.KeyDirectory;
import org.hedgerow.aggregation.secagg.MaskedInput;
import org.hedgerow.aggregation.secagg.SecAggClient;
import org.hedgerow.aggregation.secagg.SecAggConfig;
import org.hedgerow.aggregation.secagg.SecureSumEncoding;
import org.hedgerow.aggregation.secagg.ShareBundle;
import org.hedgerow.aggregation.secagg.UnmaskRequest;
import org.hedgerow.aggregation.secagg.VerifiedCertificates;
import org.hedgerow.aggregation.wire.SecAggSession;
import org.hedgerow.aggregation.wire.SecureAggregationTerms;
import org.hedgerow.aggregation.wire.WireJson;
import org.hedgerow.privacy.crypto.Ed25519KeyPair;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one round's update through the coordinator's secure-aggregation stages, driving a
 * {@link SecAggClient}: advertise keys → share keys → masked input → unmask. The update leaves
 * this object only masked (see {@link SecureSumEncoding} for how Δ and the FedAvg weight are
 * encoded), so the coordinator learns the round's sum and nothing finer.
 *
 * <p>Before taking part the client checks that the coordinator's roster lists <em>its own</em>
 * identity key at its index and that the announced dimension fits its model. An enrolled silo (one
 * that knows the federation CA) also checks each graph neighbour's identity key against the client
 * certificate relayed with its advertisement ({@link CertifiedIdentityKeys#federationCa}; verified
 * certificates are remembered in the silo's {@link VerifiedCertificates} across rounds) and refuses
 * the session on any mismatch; every later check (signatures, share authentication, the signed survivor list) is
 * {@link SecAggClient}'s.
 */
public final class SecureAggregationParticipant {
  private static final Logger log = LoggerFactory.getLogger(SecureAggregationParticipant.class);
  private static final String ADVERTISE_KEYS = "advertise-keys";
  private static final String SHARE_KEYS = "share-keys";
  private static final String MASKED_INPUT = "masked-input";
  private static final String CONSISTENCY = "consistency";
  private static final String UNMASK = "unmask";

  private final CoordinatorClient coordinator;
  private final Ed25519KeyPair identity;
  private final String silo;
  private final SecureAggregationPolicy policy;
  /**
   * Peers' certificates already verified against the federation CA (null: no CA, open registration).
   * Shared across this silo's rounds ({@link #SecureAggregationParticipant(String, CoordinatorClient,
   * Ed25519KeyPair, SecureAggregationPolicy, VerifiedCertificates)}), so each is checked once per silo
   * lifetime, not per round.
   */
  private final VerifiedCertificates verifiedCertificates;
  private volatile String lastSession;
  private java.util.function.BiConsumer<Integer, String> posted = (round, stage) -> { };
  /** Restarts of one round's stages after the coordinator restarted its session (410) before giving up. */
  static final int MAX_SESSION_RESTARTS = 5;

  /** What became of this client's contribution. */
  public enum Result {
    /** It sent its unmasking shares: its input is in the round's sum if the round completes. */
    CONTRIBUTED,
    /** The round (or this client's part in it) was aborted; nothing of its input was revealed. */
    ABORTED,
    /**
     * The coordinator broke the protocol (a substituted or uncertified key, different survivor lists to
     * different holders, a forged signature): this client refused the session and revealed nothing more.
     */
    REFUSED
  }

  private volatile String refusal;

  /** Why this client last refused a session (a protocol violation by the coordinator), or null. */
  public String refusal() {
    return refusal;
  }

  public SecureAggregationParticipant(String silo, CoordinatorClient coordinator, Ed25519KeyPair identity) {
    this(silo, coordinator, identity, SecureAggregationPolicy.NONE);
  }

  /** As above, refusing a session below {@code policy}'s minimums ({@link SecureAggregationPolicy.RefusedException}). */
  public SecureAggregationParticipant(String silo, CoordinatorClient coordinator, Ed25519KeyPair identity,
      SecureAggregationPolicy policy) {
    this(silo, coordinator, identity, policy, (VerifiedCertificates) null);
  }

  /**
   * As above; with {@code federationCa} (an enrolled silo) every neighbour's roster key must be
   * certified by that CA, else the silo refuses the session ({@link Result#REFUSED}). Null: the roster
   * is trusted as sent (open registration, development only).
   */
  public SecureAggregationParticipant(String silo, CoordinatorClient coordinator, Ed25519KeyPair identity,
      SecureAggregationPolicy policy, java.security.cert.X509Certificate federationCa) {
    this(silo, coordinator, identity, policy, federationCa == null ? null : new VerifiedCertificates(federationCa));
  }

  /**
   * As above, checking neighbours' certificates against {@code verified}'s CA and remembering the
   * verified ones there: a silo passes the same instance to every round's participant.
   */
  public SecureAggregationParticipant(String silo, CoordinatorClient coordinator, Ed25519KeyPair identity,
      SecureAggregationPolicy policy, VerifiedCertificates verified) {
    this.verifiedCertificates = verified;
    this.policy = policy;
    this.silo = silo;
    this.coordinator = coordinator;
    this.identity = identity;
  }

  /**
   * Takes part in round {@code round} with {@code delta} and FedAvg weight {@code weight}.
   *
   * @return {@link Result#ABORTED} also when the roster lists another identity key for this client
   *     (nothing is sent in that session)
   * @throws IllegalStateException the coordinator's session is inconsistent with this client (a
   *     different model dimension, an inconsistent roster)
   * @throws SecureAggregationPolicy.RefusedException the session is below this client's policy
   */
  public Result contribute(int round, float[] delta, long weight) {
    return contribute(round, delta.length, session -> session.encoding().encode(delta, weight));
  }

  /** The session a client's input is encoded for, as this client will run it, with the terms it announced. */
  public record Session(int clients, int threshold, SecureSumEncoding encoding, SecureAggregationTerms terms) {}

  /**
   * A client's input for a session: the {@code d + 1} residues it masks. It may refuse the session
   * with {@link SecureAggregationPolicy.RefusedException} (e.g. distributed-DP terms that differ from
   * what it was charged for).
   */
  @FunctionalInterface
  public interface Input {
    int[] encode(Session session);
  }

  /**
   * As {@link #contribute(int, float[], long)} with an input built for the session it joins (distributed
   * DP builds its noisy integer vector once and checks each session's parameters against it).
   *
   * @param parameters the model's parameter count d
   */
  public Result contribute(int round, int parameters, Input input) {
    try {
      for (int attempt = 0; ; attempt++) {
        try {
          return run(round, parameters, input);
        } catch (CoordinatorClient.RefusedException e) {
          if (e.status() != 410 || attempt >= MAX_SESSION_RESTARTS) {
            throw e;
          }
          // The coordinator restarted the round's session (e.g. after a crash): its old keys and shares are
          // gone, so this client starts over with fresh keys and the same update; nothing of the old session
          // is reused.
          log.warn("{}: round {}: {}; starting the stages again", silo, round, e.getMessage());
        }
      }
    } catch (CoordinatorClient.RefusedException e) {
      if (e.status() == 409) { // the round aborted or moved on without us: nothing revealed, try the next one
        log.warn("{}: secure aggregation of round {} ended without this client: {}", silo, round, e.getMessage());
        return Result.ABORTED;
      }
      throw e;
    } catch (org.hedgerow.aggregation.secagg.ProtocolViolationException e) {
      // The coordinator (or a relayed message) broke the protocol: refuse the session, reveal nothing further.
      refusal = e.getMessage();
      log.error("{}: refused secure aggregation of round {}: {}", silo, round, e.getMessage());
      return Result.REFUSED;
    } catch (org.hedgerow.aggregation.secagg.SecAggException e) {
      // Too few neighbours, or a check failed (forged key, bad share): this client stops for the round
      // and reveals nothing further.
      log.warn("{}: aborted its part in round {}: {}", silo, round, e.getMessage());
      return Result.ABORTED;
    }
  }

  private Result run(int round, int parameters, Input contribution) {
    SecAggSession session = parse(coordinator.secAggGet(round, ADVERTISE_KEYS));
    SecureAggregationTerms terms = session.terms();
    int me = session.clientIndex();
    int n = terms.numClients();
    int dimension = session.dimension();
    String id = terms.session();
    // The parameters this client's own run will use, not what the round state announced.
    java.util.Optional<String> below = policy.below(round, n, terms.threshold(), terms.bits());
    if (below.isPresent()) {
      throw new SecureAggregationPolicy.RefusedException(below.get());
    }
    if (dimension != SecureSumEncoding.dimensionFor(parameters)) {
      throw new IllegalStateException("coordinator announces dimension " + dimension + " for a model of "
          + parameters + " parameters (expected " + SecureSumEncoding.dimensionFor(parameters) + ")");
    }
    List<byte[]> keys = new ArrayList<>();
    try {
      session.roster().forEach(k -> keys.add(Base64.getDecoder().decode(k)));
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("coordinator sent a roster key that is not base64: " + e.getMessage(), e);
    }
    if (keys.size() != n || me < 0 || me >= n) {
      throw new IllegalStateException("coordinator sent an inconsistent roster: " + keys.size() + " keys for " + n
          + " clients, this client at index " + me);
    }
    if (!Arrays.equals(keys.get(me), identity.publicKey())) {
      // Either the roster predates this silo's restart (it rejoined with a new key mid-round) or the
      // coordinator substituted the key: in both cases this silo sends nothing in this session.
      log.warn("{}: round {}: the coordinator's roster lists a different identity key for this silo; sitting the "
          + "round out (a roster from before this silo restarted, or a substituted key)", silo, round);
      return Result.ABORTED;
    }
    // Computed here from the round this client asked for and the announced session, never taken from
    // the coordinator: its signatures, keys and ciphertexts are then valid in this session only.
    long protocolRound = id == null ? round : SecAggConfig.sessionRoundId(round, id);
    // The neighbour graph is keyed by the federation round this client asked for, not by the session
    // the coordinator picked, so re-running sessions cannot re-draw it (docs/security.md).
    SecAggConfig config = SecAggConfig.builder(n, dimension).roundId(protocolRound).graphRound(round)
        .neighbours(terms.neighbours()).threshold(terms.threshold())
        .modulusBits(session.modulusBits()).build();
    // Checked on the degree and threshold this client's own run will use (defaults applied).
    java.util.Optional<String> exposed = policy.sybilExposure(round, config.neighbours(), config.threshold());
    if (exposed.isPresent()) {
      throw new SecureAggregationPolicy.RefusedException(exposed.get());
    }
    SecureSumEncoding encoding = new SecureSumEncoding(terms.clip(), terms.bits(), terms.weightCap());
    if (config.modulusBits() != SecureSumEncoding.MODULUS_BITS) {
      throw new IllegalStateException("coordinator asks for a ring of 2^" + config.modulusBits() + "; this client encodes in 2^32");
    }
    // Encoded (and checked against the session's terms) before anything is sent: refusing costs nothing.
    int[] input = contribution.encode(new Session(n, config.threshold(), encoding, terms));
    SecAggClient client = new SecAggClient(config, me, identity, new ClientRoster(keys),
        verifiedCertificates == null ? IdentityCertification.TRUST_ROSTER
            : CertifiedIdentityKeys.federationCa(verifiedCertificates));

    coordinator.secAggPost(round, ADVERTISE_KEYS, client.advertiseKeys().toBytes(), id);
    posted.accept(round, ADVERTISE_KEYS);
    EncryptedShares shares = client.shareKeys(KeyDirectory.fromBytes(await(round, SHARE_KEYS, id)));
    coordinator.secAggPost(round, SHARE_KEYS, shares.toBytes(), id);
    posted.accept(round, SHARE_KEYS);
    ShareBundle bundle = ShareBundle.fromBytes(await(round, MASKED_INPUT, id));
    MaskedInput masked = client.maskInput(bundle, input);
    Arrays.fill(input, 0);
    coordinator.secAggPost(round, MASKED_INPUT, masked.toBytes(), id);
    posted.accept(round, MASKED_INPUT);
    UnmaskRequest request = UnmaskRequest.fromBytes(await(round, CONSISTENCY, id));
    coordinator.secAggPost(round, CONSISTENCY, client.confirmSurvivors(request).toBytes(), id);
    posted.accept(round, CONSISTENCY);
    SurvivorSignatures signatures = SurvivorSignatures.fromBytes(await(round, UNMASK, id));
    coordinator.secAggPost(round, UNMASK, client.unmask(signatures).toBytes(), id);
    posted.accept(round, UNMASK);
    lastSession = id;
    log.info("{}: round {} contributed through secure aggregation ({} survivors, k = {}, t = {})", silo, round,
        request.count(), config.neighbours(), config.threshold());
    return Result.CONTRIBUTED;
  }

  /** Long-polls a stage until the coordinator has what this client needs. */
  private byte[] await(int round, String stage, String session) {
    while (true) {
      byte[] b = coordinator.secAggGet(round, stage, session);
      if (b != null) {
        return b;
      }
    }
  }

  /**
   * Called after each of this client's stage messages was accepted, with the round and the stage
   * (progress reporting; tests use it to stop a silo at a chosen point).
   */
  public SecureAggregationParticipant onPosted(java.util.function.BiConsumer<Integer, String> listener) {
    this.posted = listener;
    return this;
  }

  /** The session this client last completed its stages in (null: none yet). */
  public String lastSession() {
    return lastSession;
  }

  /** The advertise-keys answer, refused unless it announces a whole session. */
  private static SecAggSession parse(byte[] body) {
    SecAggSession session;
    try {
      session = WireJson.decode(body, SecAggSession.class);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("coordinator sent a malformed secure-aggregation session: " + e.getMessage(), e);
    }
    if (session.terms() == null || !session.terms().sessionAnnounced() || session.roster() == null) {
      throw new IllegalStateException("coordinator sent a secure-aggregation session without its terms or roster: "
          + new String(body, java.nio.charset.StandardCharsets.UTF_8));
    }
    return session;
  }
}
