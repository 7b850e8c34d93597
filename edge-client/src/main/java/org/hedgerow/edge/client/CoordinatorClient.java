package org.hedgerow.edge.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.hedgerow.aggregation.wire.DeclineRequest;
import org.hedgerow.aggregation.wire.ErrorBody;
import org.hedgerow.aggregation.wire.JoinAnswer;
import org.hedgerow.aggregation.wire.JoinRequest;
import org.hedgerow.aggregation.wire.ModelInfo;
import org.hedgerow.aggregation.wire.ParameterCodec;
import org.hedgerow.aggregation.wire.RoundConfig;
import org.hedgerow.aggregation.wire.SpendsAnswer;
import org.hedgerow.aggregation.wire.StatusReport;
import org.hedgerow.aggregation.wire.Wire;
import org.hedgerow.aggregation.wire.WireJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The edge's side of the coordinator's HTTP API. Connection failures and 5xx answers are retried
 * with exponential backoff (capped at {@link #MAX_BACKOFF_MILLIS}) for up to a time budget (by
 * default {@link #DEFAULT_RETRY_BUDGET}, long enough for the coordinator to restart and resume
 * from its store); 4xx answers are the coordinator refusing something and are raised at once with
 * its message. An upload carries one random upload id reused across its retries, so a retry of an
 * upload the coordinator already stored is not counted twice.
 *
 * <p>Three ways to identify the caller: open registration ({@link #register}: the coordinator hands
 * back a bearer token, for in-process runs on loopback); a client certificate ({@link
 * #CoordinatorClient(URI, int, javax.net.ssl.SSLContext)} with {@link ClientCredentials#sslContext()},
 * then {@link #join}: the TLS handshake identifies the silo and no bearer header is ever sent); or a
 * fixed operator/auditor token ({@link #operator}) for read-only calls.
 */
public final class CoordinatorClient {
  private static final Logger log = LoggerFactory.getLogger(CoordinatorClient.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** How long a call keeps retrying by default: a coordinator restart with a large store fits in it. */
  public static final Duration DEFAULT_RETRY_BUDGET = Duration.ofMinutes(2);
  static final long MAX_BACKOFF_MILLIS = 4_000;

  private final URI base;
  private final HttpClient http;
  private final int maxAttempts;
  private final Duration retryBudget;
  private final java.security.SecureRandom random = new java.security.SecureRandom();
  private String token;
  /** Sent on every request: an operator or auditor token (see {@link #operator}); null for silos. */
  private final String bearer;
  /** Built over an SSLContext: a silo that holds a client certificate joins with {@link #join}. */
  private final boolean certificate;
  /** Set once {@link #join} succeeded: the certificate identifies this client from then on. */
  private volatile String joinedAs;

  /** A refusal from the coordinator: its HTTP status and message. */
  public static final class RefusedException extends RuntimeException {
    private final int status;

    RefusedException(int status, String message) {
      super("coordinator refused (" + status + "): " + message);
      this.status = status;
    }

    public int status() {
      return status;
    }
  }

  /**
   * The round state as the coordinator reports it.
   *
   * @param selected false if this client is not asked for an update in this round (client sampling):
   *     it sits the round out
   * @param privacy what the federation declares: {@code none}, or {@code local} (an update needs a
   *     signed spend of its round, posted with {@link #postSpends} first)
   * @param secureAggregationTerms what the round's secure aggregation announces (null: updates in the clear)
   */
  public record RoundState(String state, int round, int targetRounds, int modelVersion, int localEpochs,
      int batchSize, long seed, boolean secureAggregation, boolean selected, String privacy,
      org.hedgerow.aggregation.wire.SecureAggregationTerms secureAggregationTerms) {
    /** True if the federation declares local DP: every update must name a posted spend of its round. */
    public boolean declaresLocalDp() {
      return "local".equals(privacy);
    }

    public boolean finished() {
      return state.equals("finished");
    }

    public boolean training() {
      return state.equals("training");
    }
  }

  /** Global parameters and the version they belong to. */
  public record GlobalModel(int version, String specHash, float[] parameters) {}

  /**
   * @param maxAttempts attempts per call at least, even once {@code retryBudget} is spent
   * @param retryBudget how long a call keeps retrying connection failures and 5xx answers
   */
  public CoordinatorClient(URI base, int maxAttempts, Duration retryBudget) {
    this(base, maxAttempts, retryBudget, null, null);
  }

  private CoordinatorClient(URI base, int maxAttempts, Duration retryBudget, javax.net.ssl.SSLContext tls,
      String bearer) {
    this.base = base;
    this.maxAttempts = maxAttempts;
    this.retryBudget = retryBudget;
    HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
        .version(HttpClient.Version.HTTP_1_1);
    if (tls != null) {
      b.sslContext(tls);
    }
    this.http = b.build();
    this.bearer = bearer;
    this.certificate = tls != null && bearer == null;
  }

  public CoordinatorClient(URI base, int maxAttempts) {
    this(base, maxAttempts, DEFAULT_RETRY_BUDGET);
  }

  public CoordinatorClient(URI base) {
    this(base, 8, DEFAULT_RETRY_BUDGET);
  }

  /** Over HTTPS with {@code tls}: mutual TLS when it holds a client key (see {@link ClientCredentials#sslContext()}). */
  public CoordinatorClient(URI base, int maxAttempts, javax.net.ssl.SSLContext tls) {
    this(base, maxAttempts, DEFAULT_RETRY_BUDGET, tls, null);
  }

  /**
   * An enrolled silo over mutual TLS with {@code credentials}: its certificate, and for secure
   * aggregation its certified identity key and the federation CA every roster entry is checked against.
   */
  public CoordinatorClient(URI base, int maxAttempts, ClientCredentials credentials) {
    this(base, maxAttempts, DEFAULT_RETRY_BUDGET, credentials.sslContext(), null);
    this.credentials = credentials;
  }

  private ClientCredentials credentials;

  /** The enrolled silo's credentials, or null (bearer token, open registration, or a bare TLS context). */
  public ClientCredentials credentials() {
    return credentials;
  }

  /**
   * An operator's or auditor's read-only view: {@code token} is sent as a bearer token on every
   * request. {@code tls} (trusting the federation CA, see {@link ClientCredentials#trusting}) is
   * required for an https:// {@code base} and may be null for http://.
   */
  public static CoordinatorClient operator(URI base, javax.net.ssl.SSLContext tls, String token) {
    if (token == null || token.isBlank()) {
      throw new IllegalArgumentException("the operator token is empty");
    }
    if ("https".equalsIgnoreCase(base.getScheme()) && tls == null) {
      throw new IllegalArgumentException("an https:// coordinator needs a TLS context trusting its CA: " + base);
    }
    return new CoordinatorClient(base, 8, DEFAULT_RETRY_BUDGET, tls, token.strip());
  }

  /**
   * True when this client was built over an SSLContext as a silo: it takes part with {@link #join}
   * (its certificate identifies it) rather than {@link #register}.
   */
  public boolean authenticatesByCertificate() {
    return certificate;
  }

  /**
   * Joins the federation as the enrolled silo its client certificate names ({@code POST /v1/clients}
   * with {@code {}}, or the Ed25519 {@code identityKey} for secure aggregation; null: none). Safe to
   * retry: the coordinator answers a repeated join of the same silo with the same id.
   *
   * @return the client id the coordinator knows this silo by (its certificate's CN)
   * @throws IllegalStateException if this client was not built over an SSLContext (use {@link #register})
   */
  public String join(byte[] identityKey) {
    if (!certificate) {
      throw new IllegalStateException("join needs a client certificate: build this client with "
          + "ClientCredentials.sslContext(), or use register() with open registration");
    }
    JoinAnswer r = answer(send(HttpRequest.newBuilder(base.resolve(Wire.CLIENTS))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(WireJson.encode(JoinRequest.of(null, identityKey)))), 201),
        JoinAnswer.class);
    if (r.clientId() == null) {
      throw new IllegalStateException("the coordinator answered the join without a client_id: " + r);
    }
    joinedAs = r.clientId();
    return joinedAs;
  }

  /** Registers this silo and keeps the bearer token for later calls. */
  public String register(String silo) {
    return register(silo, null);
  }

  /** Registers with this client's Ed25519 identity public key (null: none), needed for secure aggregation. */
  public String register(String silo, byte[] identityKey) {
    if (certificate) {
      throw new IllegalStateException("this client holds a client certificate: use join(), not register()");
    }
    JoinAnswer r = answer(send(HttpRequest.newBuilder(base.resolve(Wire.CLIENTS))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(WireJson.encode(JoinRequest.of(silo, identityKey)))), 201),
        JoinAnswer.class);
    if (r.clientId() == null || r.token() == null) {
      throw new IllegalStateException("the coordinator answered the registration without client_id and token");
    }
    token = r.token();
    return r.clientId();
  }

  /** The round state; with {@code afterRound} ≥ 0 the coordinator holds the answer until a later round opens. */
  public RoundState round(int afterRound) {
    String q = afterRound >= 0 ? "?after=" + afterRound : "";
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(Wire.ROUND + q)).timeout(Duration.ofSeconds(60)).GET();
    if (token != null) {
      b.header("Authorization", "Bearer " + token); // so the answer says whether this client is selected
    }
    withBearer(b);
    org.hedgerow.aggregation.wire.RoundState r = answer(send(b, 200), org.hedgerow.aggregation.wire.RoundState.class);
    if (r.state() == null) {
      throw new IllegalStateException("the coordinator's round state has no state");
    }
    RoundConfig cfg = r.config() != null ? r.config() : new RoundConfig(1, 256, 0, null);
    boolean secure = cfg.secureAggregation() != null;
    return new RoundState(r.state(), r.round(), r.targetRounds(), r.modelVersion(), cfg.localEpochs(),
        cfg.batchSize(), cfg.seed(), secure, r.selected() == null || r.selected(),
        r.privacy() == null ? "none" : r.privacy(),
        cfg.secureAggregation());
  }

  /** Downloads the global parameters. */
  public GlobalModel model(int expectedCount) {
    HttpResponse<byte[]> r = send(withBearer(HttpRequest.newBuilder(base.resolve(Wire.MODEL_PARAMETERS)).GET()), 200);
    int version = Integer.parseInt(r.headers().firstValue(Wire.HEADER_MODEL_VERSION).orElseThrow(
        () -> new IllegalStateException("coordinator sent parameters without " + Wire.HEADER_MODEL_VERSION)));
    String hash = r.headers().firstValue(Wire.HEADER_SPEC_HASH).orElse("");
    return new GlobalModel(version, hash, ParameterCodec.decode(r.body(), expectedCount));
  }

  /** Uploads a delta for {@code round}, trained from model {@code version}, without a privacy spend. */
  public void upload(int round, int version, String specHash, long examples, float[] delta, double trainSeconds,
      double trainLoss) {
    upload(round, version, specHash, examples, delta, trainSeconds, trainLoss, null);
  }

  /**
   * As above, naming the signed spend that pays for this update: {@code spendCounter} is its counter,
   * already recorded with {@link #postSpends} ({@code X-Hedgerow-Dp-Spend-Counter}; null: none). A
   * federation that declares local DP refuses an update without one.
   */
  public void upload(int round, int version, String specHash, long examples, float[] delta, double trainSeconds,
      double trainLoss, Long spendCounter) {
    requireParticipant("uploading");
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(Wire.update(round)));
    if (spendCounter != null) {
      b.header(Wire.HEADER_DP_SPEND_COUNTER, Long.toString(spendCounter));
    }
    byte[] id = new byte[16];
    random.nextBytes(id);
    send(clientAuth(b)
        .header(Wire.HEADER_UPLOAD_ID, java.util.HexFormat.of().formatHex(id)) // one per update, kept across retries
        .header("Content-Type", Wire.OCTET_STREAM)
        .header(Wire.HEADER_MODEL_VERSION, Integer.toString(version))
        .header(Wire.HEADER_SPEC_HASH, specHash)
        .header(Wire.HEADER_EXAMPLES, Long.toString(examples))
        .header(Wire.HEADER_TRAIN_SECONDS, Double.toString(trainSeconds))
        .header(Wire.HEADER_TRAIN_LOSS, Double.toString(trainLoss))
        .PUT(HttpRequest.BodyPublishers.ofByteArray(ParameterCodec.encode(delta))), 202);
  }

  /**
   * Records signed spends of this silo's budget log at the coordinator ({@code POST /v1/spends}),
   * in counter order. Safe to retry and to repeat: spends the coordinator already holds with the
   * same bytes are skipped, so the whole log (or any suffix starting at a recorded counter) may be
   * sent again.
   *
   * @return the counter the coordinator expects next from this silo (its log's length there)
   * @throws RefusedException if the coordinator refuses them (the message says which and why)
   */
  public long postSpends(java.util.List<org.hedgerow.privacy.budget.SignedSpend> spends) {
    requireParticipant("posting spends");
    HttpResponse<byte[]> r = send(clientAuth(HttpRequest.newBuilder(base.resolve(Wire.SPENDS)))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(org.hedgerow.aggregation.wire.SpendJson.batch(spends))), 200);
    if (!json(r).has("next_counter")) {
      throw new IllegalStateException("the coordinator answered the spends without next_counter: "
          + new String(r.body(), java.nio.charset.StandardCharsets.UTF_8));
    }
    return answer(r, SpendsAnswer.class).nextCounter();
  }

  /** Tells the coordinator this silo will not take part in {@code round} or any later one, and why. */
  public void decline(int round, String reason, double epsilon, double cap) {
    requireParticipant("declining");
    // NaN: not a privacy refusal (e.g. a secure-aggregation policy); JSON has no NaN, so it is left out
    String body = WireJson.encode(DeclineRequest.of(reason, epsilon, cap));
    send(clientAuth(HttpRequest.newBuilder(base.resolve(Wire.decline(round))))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)), 200);
  }

  /**
   * {@code GET /v1/rounds/{round}/secagg/{stage}}: what this client needs for {@code stage}, or null
   * when the coordinator answered 204 (not ready yet: ask again).
   */
  public byte[] secAggGet(int round, String stage) {
    return secAggGet(round, stage, null);
  }

  /** As above within secure-aggregation session {@code session} (null: none named); 410: the session is gone. */
  public byte[] secAggGet(int round, String stage, String session) {
    requireParticipant("secure aggregation");
    try {
      return send(withSession(clientAuth(HttpRequest.newBuilder(base.resolve(Wire.secAgg(round, stage)))
          .timeout(Duration.ofSeconds(60))), session).GET(), 200).body();
    } catch (RefusedException e) {
      if (e.status() == 204) {
        return null;
      }
      throw e;
    }
  }

  /** {@code POST /v1/rounds/{round}/secagg/{stage}} with a stage message's bytes. */
  public void secAggPost(int round, String stage, byte[] message) {
    secAggPost(round, stage, message, null);
  }

  /** As above within secure-aggregation session {@code session} (null: none named); 410: the session is gone. */
  public void secAggPost(int round, String stage, byte[] message, String session) {
    requireParticipant("secure aggregation");
    send(withSession(clientAuth(HttpRequest.newBuilder(base.resolve(Wire.secAgg(round, stage)))), session)
        .header("Content-Type", Wire.OCTET_STREAM)
        .POST(HttpRequest.BodyPublishers.ofByteArray(message)), 202);
  }

  /** Open registration: a bearer token from {@link #register}; certificate mode: a successful {@link #join}. */
  private void requireParticipant(String what) {
    if (token == null && joinedAs == null) {
      throw new IllegalStateException((certificate ? "join" : "register") + " before " + what);
    }
  }

  /** A participant's own calls: its registration token, or nothing when its certificate identifies it. */
  private HttpRequest.Builder clientAuth(HttpRequest.Builder b) {
    return token != null ? b.header("Authorization", "Bearer " + token) : b;
  }

  private static HttpRequest.Builder withSession(HttpRequest.Builder b, String session) {
    return session != null ? b.header(Wire.HEADER_SECAGG_SESSION, session) : b;
  }

  /** The operator/auditor token, on every request of a client built with {@link #operator}. */
  private HttpRequest.Builder withBearer(HttpRequest.Builder b) {
    return bearer != null ? b.header("Authorization", "Bearer " + bearer) : b;
  }

  /** GET of a JSON document, untyped (for paths without a record of their own). */
  public JsonNode getJson(String path) {
    return json(send(withBearer(HttpRequest.newBuilder(base.resolve(path)).GET()), 200));
  }

  /** {@code GET /v1/status} (operator or auditor in service mode). */
  public StatusReport status() {
    return answer(send(withBearer(HttpRequest.newBuilder(base.resolve(Wire.STATUS)).GET()), 200), StatusReport.class);
  }

  /** {@code GET /v1/model}: the served version and the spec every client must train. */
  public ModelInfo modelInfo() {
    return answer(send(withBearer(HttpRequest.newBuilder(base.resolve(Wire.MODEL)).GET()), 200), ModelInfo.class);
  }

  /** {@code GET /v1/round} as the wire has it (no long poll). */
  public org.hedgerow.aggregation.wire.RoundState roundState() {
    return answer(send(withBearer(HttpRequest.newBuilder(base.resolve(Wire.ROUND)).GET()), 200),
        org.hedgerow.aggregation.wire.RoundState.class);
  }

  private HttpResponse<byte[]> send(HttpRequest.Builder request, int expectedStatus) {
    HttpRequest req = request.build();
    long backoff = 100;
    long deadline = System.nanoTime() + retryBudget.toNanos();
    for (int attempt = 1; ; attempt++) {
      boolean lastAttempt = attempt >= maxAttempts && System.nanoTime() + backoff * 1_000_000 > deadline;
      try {
        HttpResponse<byte[]> r = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() == expectedStatus) {
          return r;
        }
        if (r.statusCode() < 500) {
          throw new RefusedException(r.statusCode(), errorMessage(r.body()));
        }
        if (lastAttempt) {
          throw new IllegalStateException(req.method() + " " + req.uri() + " failed with " + r.statusCode() + " after "
              + attempt + " attempts: " + errorMessage(r.body()));
        }
        log.warn("{} {} answered {} (attempt {}); retrying in {} ms", req.method(), req.uri().getPath(), r.statusCode(),
            attempt, backoff);
      } catch (IOException e) {
        if (lastAttempt) {
          throw new IllegalStateException("cannot reach the coordinator at " + base + " after " + attempt
              + " attempts over " + retryBudget.toSeconds() + " s (" + e + ")", e);
        }
        log.warn("{} {}: {} (attempt {}); retrying in {} ms", req.method(), req.uri().getPath(), e.toString(), attempt,
            backoff);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
      try {
        Thread.sleep(backoff);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
      backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
    }
  }

  private static String errorMessage(byte[] body) {
    try {
      String error = WireJson.decode(body, ErrorBody.class).error();
      return error != null ? error : new String(body, java.nio.charset.StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return new String(body, java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  /** The body of {@code r} as the message {@code type}, or an error naming what the coordinator sent wrong. */
  private static <T> T answer(HttpResponse<byte[]> r, Class<T> type) {
    try {
      return WireJson.decode(r.body(), type);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("coordinator sent an invalid " + type.getSimpleName() + ": " + e.getMessage(), e);
    }
  }

  private static JsonNode json(HttpResponse<byte[]> r) {
    try {
      return JSON.readTree(r.body());
    } catch (IOException e) {
      throw new IllegalStateException("coordinator sent invalid JSON: " + e.getMessage(), e);
    }
  }
}
