package org.hedgerow.coordinator.secagg;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.Base64;
import java.util.BitSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import org.hedgerow.aggregation.secagg.CertifiedIdentityKeys;
import org.hedgerow.aggregation.secagg.ClientRoster;
import org.hedgerow.aggregation.secagg.SurvivorSignature;
import org.hedgerow.aggregation.secagg.EncryptedShares;
import org.hedgerow.aggregation.secagg.KeyAdvertisement;
import org.hedgerow.aggregation.secagg.MalformedMessageException;
import org.hedgerow.aggregation.secagg.MaskedInput;
import org.hedgerow.aggregation.secagg.ProtocolViolationException;
import org.hedgerow.aggregation.secagg.SecAggAbortedException;
import org.hedgerow.aggregation.secagg.SecAggConfig;
import org.hedgerow.aggregation.secagg.SecAggMessage;
import org.hedgerow.aggregation.secagg.SecAggResult;
import org.hedgerow.aggregation.secagg.SecAggServer;
import org.hedgerow.aggregation.secagg.SecureSumEncoding;
import org.hedgerow.aggregation.secagg.Stage;
import org.hedgerow.aggregation.secagg.UnmaskRequest;
import org.hedgerow.aggregation.secagg.UnmaskingShares;
import org.hedgerow.aggregation.wire.ErrorBody;
import org.hedgerow.aggregation.wire.SecAggSession;
import org.hedgerow.aggregation.wire.SecureAggregationTerms;
import org.hedgerow.aggregation.wire.StageAccepted;
import org.hedgerow.aggregation.wire.Wire;
import org.hedgerow.aggregation.wire.WireJson;
import org.hedgerow.coordinator.Federation;
import org.hedgerow.coordinator.http.RejectedException;
import org.hedgerow.privacy.crypto.Ed25519;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Secure aggregation as a workflow of HTTP stages around one {@link SecAggServer} per round, in the
 * manner of Flower's SecAgg+ workflow: advertise keys → share keys → masked input → consistency
 * (survivors sign the survivor list, Bonawitz et al.'s malicious-server round) → unmask. The
 * strategy never sees a client's update: when the unmasking stage completes, the workflow decodes
 * the one unmasked sum ({@link SecureSumEncoding}) and hands it to {@link Outcome#completed}.
 *
 * <p>Per stage a client {@code GET}s what it needs ({@code /v1/rounds/{r}/secagg/{stage}}, long
 * poll) and {@code POST}s its message for that stage (body = the message's bytes). A stage closes
 * when every client still expected has sent, or at its deadline; whoever has not sent by then has
 * dropped out. Below the threshold the server aborts, nothing is revealed, and
 * {@link Outcome#aborted} closes the round with the model unchanged.
 *
 * <p>Guarantees: (1) the only vector-valued data the coordinator ever holds are masked inputs,
 * folded into the server's running sum on arrival, and the final sum; (2) a message is accepted
 * only from the authenticated client it names (bearer token ↔ roster index), so no client can
 * speak for another; (3) every refusal is a 4xx that changes nothing. Single-threaded: every
 * method runs on the coordinator's event loop, like {@link Federation}.
 */
public final class SecureAggregationWorkflow {
  private static final Logger log = LoggerFactory.getLogger(SecureAggregationWorkflow.class);
  public static final String ADVERTISE_KEYS = "advertise-keys";
  public static final String SHARE_KEYS = "share-keys";
  public static final String MASKED_INPUT = "masked-input";
  public static final String CONSISTENCY = "consistency";
  public static final String UNMASK = "unmask";
  /** Longest a stage {@code GET} waits before answering 204 (ask again). */
  static final long LONG_POLL_MILLIS = 20_000;
  private static final int ABORTS_REMEMBERED = 32;
  private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

  /** What the coordinator does with a round's result. Called on the event loop. */
  public interface Outcome {
    /** The round's one unmasked, decoded sum. {@code bytesUp}: stage message bytes received. */
    void completed(int round, SecureSumEncoding.Decoded sum, long bytesUp);

    /** The round produced no sum. {@code fatal}: no later round can succeed either (e.g. fewer than 3 clients). */
    void aborted(int round, String reason, boolean fatal);
  }

  private final Federation federation;
  private final SecureAggregationOptions options;
  private final int parameterCount;
  private final Outcome outcome;
  private final java.util.function.Function<io.vertx.ext.web.RoutingContext, Federation.Client> callers;
  private final Map<String, byte[]> identities = new TreeMap<>();
  private final Map<Integer, String> abortedRounds = new LinkedHashMap<>();
  private final List<BiConsumer<String, byte[]>> receivedListeners = new CopyOnWriteArrayList<>();
  private Vertx vertx;
  private Session session;

  private record Waiter(RoutingContext ctx, String stage, int client, long timer) {}

  /** One round's protocol state. */
  private final class Session {
    final int round;
    /**
     * Random per session: a coordinator that restarts (or re-runs) a round's secure aggregation starts
     * a new session with fresh keys, and silos still in the old one are told to start again (410).
     */
    final String id;
    final List<String> ids;
    final Map<String, Integer> index = new TreeMap<>();
    final SecAggConfig config;
    final SecureSumEncoding encoding;
    final SecAggServer server;
    final SecureAggregationTerms description;
    final BitSet[] sent = {new BitSet(), new BitSet(), new BitSet(), new BitSet(), new BitSet()};
    /** The survivors' signatures over the survivor list, encoded once. */
    byte[] survivorSignatures;
    final List<Waiter> waiters = new ArrayList<>();
    byte[] unmaskRequest;
    UnmaskRequest survivors;
    long timer = -1;
    long bytesUp;
    boolean over;

    Session(int round, List<String> ids) {
      this.round = round;
      byte[] nonce = new byte[16];
      RANDOM.nextBytes(nonce);
      this.id = java.util.HexFormat.of().formatHex(nonce);
      this.ids = List.copyOf(ids);
      List<byte[]> keys = new ArrayList<>();
      for (int i = 0; i < ids.size(); i++) {
        index.put(ids.get(i), i);
        keys.add(identities.get(ids.get(i)));
      }
      // The session is bound into every signature, key derivation and ciphertext of the protocol.
      this.config = options.configForProtocolRound(SecAggConfig.sessionRoundId(round, id), round, ids.size(),
          SecureSumEncoding.dimensionFor(parameterCount));
      this.encoding = options.encodingFor(ids.size(), parameterCount);
      this.server = new SecAggServer(config, new ClientRoster(keys));
      this.description = options.describe(config, encoding, parameterCount).forSession(id, ids.size());
    }
  }

  /**
   * @param parameterCount model parameters; the encoded vector has one more coordinate (the weight)
   */
  public SecureAggregationWorkflow(Federation federation, SecureAggregationOptions options, int parameterCount,
      Outcome outcome) {
    this(federation, options, parameterCount, outcome,
        ctx -> federation.tokens().authenticate(ctx.request().getHeader("Authorization")));
  }

  /**
   * @param callers resolves the participant making a stage request (bearer token or client
   *     certificate, as the coordinator authenticates), refusing with a {@code RejectedException}
   */
  public SecureAggregationWorkflow(Federation federation, SecureAggregationOptions options, int parameterCount,
      Outcome outcome, java.util.function.Function<io.vertx.ext.web.RoutingContext, Federation.Client> callers) {
    if (federation == null || options == null || outcome == null || callers == null) {
      throw new IllegalArgumentException("federation, options, outcome and callers must not be null");
    }
    this.federation = federation;
    this.options = options;
    this.parameterCount = parameterCount;
    this.outcome = outcome;
    this.callers = callers;
  }

  /** Test seam: sees every stage message body the coordinator receives, with its stage. */
  public void onReceived(BiConsumer<String, byte[]> listener) {
    receivedListeners.add(listener);
  }

  /** Adds the stage routes; call once, from the verticle's start. */
  public void mount(Vertx vertx, Router router) {
    this.vertx = vertx;
    router.get("/v1/rounds/:round/secagg/:stage").handler(this::get);
    router.post("/v1/rounds/:round/secagg/:stage").handler(this::post);
  }

  /**
   * The registration's Ed25519 identity key ({@code identity_key}: base64 of 32 bytes, or null if the
   * registration has none); checked before the client is registered so that a bad key registers nobody.
   */
  public static byte[] parseIdentityKey(String identityKey) {
    if (identityKey == null) {
      throw new RejectedException(400, "this federation uses secure aggregation: registration needs 'identity_key', "
          + "the base64 of the client's 32-byte Ed25519 public key");
    }
    byte[] key;
    try {
      key = Base64.getDecoder().decode(identityKey);
    } catch (IllegalArgumentException e) {
      throw new RejectedException(400, "identity_key is not valid base64: " + e.getMessage());
    }
    if (key.length != Ed25519.KEY_BYTES) {
      throw new RejectedException(400, "identity_key must decode to 32 bytes. Provided length: " + key.length);
    }
    return key;
  }

  /** Binds {@code clientId}'s identity key (trust on first use: see docs/security.md). */
  public void enrol(String clientId, byte[] identityKey) {
    identities.put(clientId, identityKey.clone());
  }

  /** {@code secagg} or {@code secagg+}. */
  public String mode() {
    return options.mode();
  }

  /** The open round's parameters for the round JSON, or just the mode while no session runs. */
  public SecureAggregationTerms describe(int round) {
    if (session != null && session.round == round && !session.over) {
      return session.description;
    }
    return SecureAggregationTerms.modeOnly(options.mode());
  }

  /** Starts round {@code round}'s session (idempotent): the roster is every active, enrolled client. */
  public void roundOpened(int round) {
    if (session != null && session.round == round) {
      return;
    }
    endSession(session, "a new round opened");
    List<String> ids = new ArrayList<>();
    Map<String, Federation.Declined> declined = federation.declined();
    for (String id : identities.keySet()) {
      if (!declined.containsKey(id)) {
        ids.add(id);
      }
    }
    Session s;
    try {
      if (ids.size() < 3) {
        throw new IllegalArgumentException("secure aggregation needs at least 3 clients; " + ids.size() + " active");
      }
      s = new Session(round, ids);
    } catch (IllegalArgumentException e) {
      // Deferred: the caller is in the middle of opening the round.
      session = null;
      rememberAbort(round, e.getMessage());
      vertx.runOnContext(v -> outcome.aborted(round, e.getMessage(), true));
      return;
    }
    session = s;
    log.info("round {}: secure aggregation {} over {} clients", round, s.config, ids.size());
    arm(s, options.advertiseDeadlineMillis());
  }

  /** A client left the federation (declined): a stage may now be complete. */
  public void clientLeft() {
    if (session != null && !session.over) {
      maybeClose(session);
    }
  }

  /** The federation finished: pending requests are answered and timers stopped. */
  public void finished() {
    endSession(session, "the federation finished");
    session = null;
  }

  // ---- HTTP ----------------------------------------------------------------------------------

  private void post(RoutingContext ctx) {
    Federation.Client client = callers.apply(ctx);
    String stage = ctx.pathParam("stage");
    int stageIndex = stageIndex(stage);
    Session s = requireSession(ctx);
    requireSessionId(ctx, s);
    int me = requireMember(s, client);
    byte[] body = ctx.body() == null || ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
    receivedListeners.forEach(l -> l.accept(stage, body.clone()));
    SecAggMessage m;
    try {
      m = SecAggMessage.fromBytes(body);
    } catch (MalformedMessageException e) {
      throw new RejectedException(400, "malformed " + stage + " message: " + e.getMessage());
    }
    int sender = senderOf(m, stage);
    if (sender != me) {
      throw new RejectedException(403, String.format(
          "the message names client %d, but the token belongs to '%s', client %d of round %d", sender, client.id(), me,
          s.round));
    }
    try {
      // Typed calls on the decoded message: the stage check above already fixed its type.
      if (m instanceof KeyAdvertisement a) {
        s.server.receiveAdvertisement(a, certifiedCredential(ctx, client, s));
      } else if (m instanceof SurvivorSignature c) {
        s.server.receiveSurvivorSignature(c);
      } else if (m instanceof EncryptedShares e) {
        s.server.receiveShares(e);
      } else if (m instanceof MaskedInput y) {
        s.server.receiveMaskedInput(y); // folded into the running sum at once; the vector is not kept
      } else {
        s.server.receiveUnmaskingShares((UnmaskingShares) m);
      }
    } catch (MalformedMessageException e) {
      throw new RejectedException(400, "malformed " + stage + " message: " + e.getMessage());
    } catch (ProtocolViolationException e) {
      throw new RejectedException(409, stage + " refused: " + e.getMessage());
    }
    s.sent[stageIndex].set(me);
    s.bytesUp += body.length;
    ctx.response().setStatusCode(202).putHeader("Content-Type", "application/json")
        .end(WireJson.encode(new StageAccepted(true, s.round, stage)));
    maybeClose(s);
  }

  private void get(RoutingContext ctx) {
    Federation.Client client = callers.apply(ctx);
    String stage = ctx.pathParam("stage");
    stageIndex(stage);
    Session s = requireSession(ctx);
    if (!stage.equals(ADVERTISE_KEYS)) { // advertise-keys is where a silo learns the session
      requireSessionId(ctx, s);
    }
    int me = requireMember(s, client);
    if (stage.equals(ADVERTISE_KEYS)) {
      List<String> roster = new ArrayList<>();
      s.ids.forEach(id -> roster.add(Base64.getEncoder().encodeToString(identities.get(id))));
      ctx.response().setStatusCode(200).putHeader("Content-Type", "application/json").end(WireJson.encode(
          new SecAggSession(s.round, me, s.config.modulusBits(), s.config.dimension(), roster, s.description)));
      return;
    }
    if (!answer(s, ctx, stage, me)) {
      long timer = vertx.setTimer(LONG_POLL_MILLIS, id -> {
        s.waiters.removeIf(w -> w.ctx() == ctx);
        if (!ctx.response().ended() && !ctx.response().closed()) {
          ctx.response().setStatusCode(204).end();
        }
      });
      s.waiters.add(new Waiter(ctx, stage, me, timer));
    }
  }

  /**
   * Over mutual TLS, the caller's client certificate (DER), relayed with its advertisement so that
   * every silo can check the identity key against the federation CA itself. Refused here already if
   * the certificate certifies no identity key or another one than the roster's: that silo would
   * otherwise make every honest silo refuse the session. Without TLS (open registration): null.
   */
  private byte[] certifiedCredential(RoutingContext ctx, Federation.Client client, Session s) {
    if (!ctx.request().isSSL()) {
      return null;
    }
    java.security.cert.X509Certificate cert;
    try {
      List<java.security.cert.Certificate> chain = ctx.request().connection().peerCertificates();
      cert = chain == null || chain.isEmpty() ? null : (java.security.cert.X509Certificate) chain.get(0);
    } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
      cert = null;
    }
    if (cert == null) {
      return null; // a bearer-token caller over TLS: nothing certifies its key
    }
    byte[] certified = CertifiedIdentityKeys.identityKeyOf(cert);
    if (certified == null) {
      throw new RejectedException(403, "the client certificate of '" + client.id() + "' certifies no identity key "
          + "(enrolled before identity keys were certified): re-enrol the silo to take part in secure aggregation");
    }
    if (!java.util.Arrays.equals(certified, identities.get(client.id()))) {
      throw new RejectedException(403, "'" + client.id() + "' joined with another identity key than the one its "
          + "certificate certifies: re-join with the certified key");
    }
    try {
      return cert.getEncoded();
    } catch (java.security.cert.CertificateEncodingException e) {
      throw new RejectedException(400, "the client certificate cannot be encoded: " + e.getMessage());
    }
  }

  /** Answers a stage GET if its stage has been reached; false if the client must wait. */
  private boolean answer(Session s, RoutingContext ctx, String stage, int me) {
    Stage reached = s.server.stage();
    if (reached == Stage.ABORTED) {
      throw new RejectedException(409, "secure aggregation of round " + s.round + " aborted: " + abortedRounds.get(s.round));
    }
    Stage needed = switch (stage) {
      case SHARE_KEYS -> Stage.SHARE_KEYS;
      case MASKED_INPUT -> Stage.MASKED_INPUT;
      case CONSISTENCY -> Stage.CONSISTENCY;
      default -> Stage.UNMASK;
    };
    if (reached.ordinal() < needed.ordinal()) {
      return false;
    }
    byte[] bytes;
    try {
      bytes = switch (stage) {
        case SHARE_KEYS -> {
          // Each client's own directory (itself and its k neighbours; refused if it did not advertise).
          yield s.server.keysFor(me).toBytes();
        }
        case MASKED_INPUT -> s.server.sharesFor(me).toBytes();
        case CONSISTENCY -> {
          if (!s.survivors.survived(me)) {
            throw new RejectedException(409, "client " + me + " sent no masked input in time and has dropped out of round "
                + s.round);
          }
          yield s.unmaskRequest;
        }
        default -> {
          if (!s.server.confirmed(me)) {
            throw new RejectedException(409, "client " + me + " did not sign the survivor list in time and has dropped "
                + "out of round " + s.round);
          }
          yield s.survivorSignatures;
        }
      };
    } catch (ProtocolViolationException e) {
      throw new RejectedException(409, stage + ": " + e.getMessage());
    }
    federation.servedBytes(bytes.length);
    ctx.response().setStatusCode(200).putHeader("Content-Type", Wire.OCTET_STREAM).end(Buffer.buffer(bytes));
    return true;
  }

  private void answerWaiters(Session s) {
    Iterator<Waiter> it = s.waiters.iterator();
    while (it.hasNext()) {
      Waiter w = it.next();
      if (w.ctx().response().ended() || w.ctx().response().closed()) {
        vertx.cancelTimer(w.timer());
        it.remove();
        continue;
      }
      boolean done;
      try {
        done = answer(s, w.ctx(), w.stage(), w.client());
      } catch (RejectedException e) {
        w.ctx().response().setStatusCode(e.status()).putHeader("Content-Type", "application/json")
            .end(WireJson.encode(new ErrorBody(e.getMessage())));
        done = true;
      }
      if (done) {
        vertx.cancelTimer(w.timer());
        it.remove();
      }
    }
  }

  private Session requireSession(RoutingContext ctx) {
    int round;
    try {
      round = Integer.parseInt(ctx.pathParam("round"));
    } catch (NumberFormatException e) {
      throw new RejectedException(400, "round must be an integer. Provided value: " + ctx.pathParam("round"));
    }
    if (abortedRounds.containsKey(round)) {
      throw new RejectedException(409, "secure aggregation of round " + round + " aborted: " + abortedRounds.get(round));
    }
    Session s = session;
    if (s == null || s.round != round || s.over) {
      throw new RejectedException(409, "round " + round + " is not the open secure-aggregation round"
          + (s == null || s.over ? " (none is open)" : " (round " + s.round + " is)"));
    }
    return s;
  }

  /** A request naming another session of this round (e.g. before a coordinator restart) is told to start over. */
  private static void requireSessionId(RoutingContext ctx, Session s) {
    String claimed = ctx.request().getHeader(Wire.HEADER_SECAGG_SESSION);
    if (claimed != null && !claimed.equals(s.id)) {
      throw new RejectedException(410, "secure-aggregation session " + abbreviate(claimed) + " of round " + s.round
          + " is gone (the coordinator restarted the round's secure aggregation as session " + s.id
          + "): start again from " + ADVERTISE_KEYS + " with fresh keys");
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 64 ? s : s.substring(0, 64) + "…";
  }

  private static int requireMember(Session s, Federation.Client client) {
    Integer me = s.index.get(client.id());
    if (me == null) {
      throw new RejectedException(403, "'" + client.id() + "' is not in the secure-aggregation roster of round " + s.round);
    }
    return me;
  }

  private static int stageIndex(String stage) {
    return switch (stage) {
      case ADVERTISE_KEYS -> 0;
      case SHARE_KEYS -> 1;
      case MASKED_INPUT -> 2;
      case CONSISTENCY -> 3;
      case UNMASK -> 4;
      default -> throw new RejectedException(404, "unknown secure-aggregation stage '" + stage + "' (known: "
          + List.of(ADVERTISE_KEYS, SHARE_KEYS, MASKED_INPUT, CONSISTENCY, UNMASK) + ")");
    };
  }

  /** The sender of a stage message, after checking that the message belongs to that stage. */
  private static int senderOf(SecAggMessage m, String stage) {
    int sender;
    String expected;
    switch (stage) {
      case ADVERTISE_KEYS -> {
        expected = "KeyAdvertisement";
        sender = m instanceof KeyAdvertisement a ? a.clientId() : -1;
      }
      case SHARE_KEYS -> {
        expected = "EncryptedShares";
        sender = m instanceof EncryptedShares e ? e.senderId() : -1;
      }
      case MASKED_INPUT -> {
        expected = "MaskedInput";
        sender = m instanceof MaskedInput y ? y.clientId() : -1;
      }
      case CONSISTENCY -> {
        expected = "SurvivorSignature";
        sender = m instanceof SurvivorSignature c ? c.clientId() : -1;
      }
      default -> {
        expected = "UnmaskingShares";
        sender = m instanceof UnmaskingShares u ? u.clientId() : -1;
      }
    }
    if (sender < 0) {
      throw new RejectedException(400, "stage " + stage + " takes a " + expected + " message, not a "
          + m.getClass().getSimpleName());
    }
    return sender;
  }

  // ---- stages ------------------------------------------------------------------------------

  /** Closes the current stage early when everyone still expected has sent. */
  private void maybeClose(Session s) {
    Stage st = s.server.stage();
    if (st.ordinal() > Stage.UNMASK.ordinal()) {
      return;
    }
    int i = st.ordinal();
    BitSet expected = switch (st) {
      case ADVERTISE_KEYS -> allOf(s);
      case SHARE_KEYS -> (BitSet) s.sent[0].clone();
      case MASKED_INPUT -> (BitSet) s.sent[1].clone();
      case CONSISTENCY -> (BitSet) s.sent[2].clone();
      default -> (BitSet) s.sent[3].clone();
    };
    Map<String, Federation.Declined> declined = federation.declined();
    for (Map.Entry<String, Integer> e : s.index.entrySet()) {
      if (declined.containsKey(e.getKey())) {
        expected.clear(e.getValue());
      }
    }
    expected.andNot(s.sent[i]);
    if (expected.isEmpty()) {
      closeStage(s);
    }
  }

  private static BitSet allOf(Session s) {
    BitSet b = new BitSet();
    b.set(0, s.ids.size());
    return b;
  }

  private void arm(Session s, long millis) {
    if (s.timer >= 0) {
      vertx.cancelTimer(s.timer);
    }
    Stage at = s.server.stage();
    s.timer = vertx.setTimer(millis, id -> {
      s.timer = -1;
      if (session == s && !s.over && s.server.stage() == at) {
        log.warn("round {}: {} deadline passed with {} messages; the rest have dropped out", s.round, at,
            s.sent[at.ordinal()].cardinality());
        closeStage(s);
      }
    });
  }

  private void closeStage(Session s) {
    try {
      switch (s.server.stage()) {
        case ADVERTISE_KEYS -> s.server.closeAdvertising();
        case SHARE_KEYS -> s.server.closeSharing();
        case MASKED_INPUT -> {
          s.survivors = s.server.closeMasking();
          s.unmaskRequest = s.survivors.toBytes();
        }
        case CONSISTENCY -> s.survivorSignatures = s.server.closeConsistency().toBytes();
        case UNMASK -> {
          SecAggResult result = s.server.finish();
          s.server.warnings().forEach(w -> log.warn("round {}: secure aggregation: {}", s.round, w));
          complete(s, result);
          return;
        }
        default -> {
          return;
        }
      }
    } catch (SecAggAbortedException e) {
      abort(s, e.getMessage());
      return;
    }
    arm(s, options.stageDeadlineMillis());
    answerWaiters(s);
  }

  private void complete(Session s, SecAggResult result) {
    SecureSumEncoding.Decoded decoded;
    try {
      decoded = s.encoding.decode(result.sum(), result.survivorCount());
    } catch (IllegalArgumentException e) {
      abort(s, "the unmasked sum does not decode: " + e.getMessage());
      return;
    }
    log.info("round {}: secure sum of {} clients unmasked (total weight {}, mean error bound {})", s.round,
        decoded.summands(), decoded.totalWeight(),
        String.format("%.3g", s.encoding.meanErrorBound(decoded.summands(), decoded.totalWeight())));
    endSession(s, "the round completed");
    outcome.completed(s.round, decoded, s.bytesUp);
  }

  private void abort(Session s, String reason) {
    log.warn("round {}: secure aggregation aborted, model unchanged: {}", s.round, reason);
    rememberAbort(s.round, reason);
    endSession(s, reason);
    outcome.aborted(s.round, reason, false);
  }

  private void rememberAbort(int round, String reason) {
    abortedRounds.put(round, reason);
    if (abortedRounds.size() > ABORTS_REMEMBERED) {
      abortedRounds.remove(abortedRounds.keySet().iterator().next());
    }
  }

  /** Stops a session's timers and answers its pending GETs (with 409 and the reason). */
  private void endSession(Session s, String reason) {
    if (s == null || s.over) {
      return;
    }
    s.over = true;
    if (s.timer >= 0) {
      vertx.cancelTimer(s.timer);
      s.timer = -1;
    }
    for (Waiter w : s.waiters) {
      vertx.cancelTimer(w.timer());
      if (!w.ctx().response().ended() && !w.ctx().response().closed()) {
        w.ctx().response().setStatusCode(409).putHeader("Content-Type", "application/json")
            .end(WireJson.encode(new ErrorBody("secure aggregation of round " + s.round + " ended: " + reason)));
      }
    }
    s.waiters.clear();
  }
}
