package org.hedgerow.coordinator;

import org.hedgerow.coordinator.assembly.CoordinatorBuilder;
import org.hedgerow.coordinator.service.CoordinatorVerticle;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.hedgerow.aggregation.model.ModelSpec;
import org.hedgerow.aggregation.strategy.FedAvg;
import org.hedgerow.aggregation.strategy.FitConfig;
import org.hedgerow.aggregation.wire.ParameterCodec;
import org.hedgerow.aggregation.wire.Wire;
import org.hedgerow.coordinator.auth.CertificateAuthority;
import org.hedgerow.coordinator.auth.Pem;
import org.hedgerow.coordinator.auth.StateDirectory;
import org.hedgerow.coordinator.auth.TestCerts;
import org.hedgerow.coordinator.ratelimit.RateLimiter;
import org.hedgerow.coordinator.store.JdbcCoordinatorStore;
import org.hedgerow.coordinator.store.StoreLocation;

/**
 * A coordinator run as a service for the tests: a fresh state directory (CA, server certificate,
 * operator and auditor tokens), an SQLite store, FedAvg, HTTPS with mutual TLS on a free loopback
 * port, and the calls a silo, the operator and the auditor make against it.
 */
final class ServiceFixture implements AutoCloseable {
  /** A 9-parameter model: small enough that every body in the tests is tiny. */
  static final ModelSpec SPEC = new ModelSpec("service-test", List.of(2, 2, 1), "relu", "sigmoid", 0,
      "binary-cross-entropy", 1e-3);
  /** The body limit of these coordinators, far below the default so that oversized bodies are cheap to send. */
  static final long MAX_UPLOAD_BYTES = 64 * 1024;

  /** A silo after enrolment: its key, its certificate and an HTTPS client presenting them. */
  record Silo(String id, KeyPair keys, X509Certificate cert, SSLContext ssl, HttpClient http) {}

  final Path dir;
  final Vertx vertx;
  final JdbcCoordinatorStore store;
  final CoordinatorVerticle verticle;
  final URI base;
  final String operatorToken;
  final String auditorToken;
  final X509Certificate ca;
  /** The federation CA itself, to sign certificates no one enrolled. */
  final CertificateAuthority authority;
  /** Trusts the federation CA, presents no certificate. */
  final HttpClient anonymous;

  /**
   * Starts a coordinator expecting {@code clients} silos for {@code rounds} rounds.
   *
   * @param generousRateLimit lift the per-client upload rate limit far above what the test sends, so
   *     that a long series of refused uploads is not cut short by 429s
   */
  ServiceFixture(Path dir, int rounds, int clients, boolean generousRateLimit) throws Exception {
    this(dir, rounds, clients, generousRateLimit, CoordinatorOptions.PRIVACY_NONE, true);
  }

  /**
   * As above, declaring {@code privacy}; with {@code init} false the coordinator restarts on the
   * state directory and store an earlier fixture on {@code dir} left (closed first).
   */
  ServiceFixture(Path dir, int rounds, int clients, boolean generousRateLimit, String privacy, boolean init)
      throws Exception {
    this(dir, rounds, clients, generousRateLimit, privacy, init, null);
  }

  /** As above, with {@code limits} (null: the defaults, with the enrolment rate lifted when the rate limit is generous). */
  ServiceFixture(Path dir, int rounds, int clients, boolean generousRateLimit, String privacy, boolean init,
      ServiceLimits limits) throws Exception {
    this.dir = dir;
    if (init) {
      StateDirectory.init(dir, List.of());
    }
    operatorToken = StateDirectory.readToken(dir.resolve(StateDirectory.OPERATOR_TOKEN));
    auditorToken = StateDirectory.readToken(dir.resolve(StateDirectory.AUDITOR_TOKEN));
    store = JdbcCoordinatorStore.open(StoreLocation.sqlite(dir.resolve("coordinator.db")));
    AccessControl access = AccessControl.load(dir, store, true);
    if (generousRateLimit) {
      access = new AccessControl(access.state(), access.registry(), access.authenticator(), access.enrolment(),
          access.ledgerKey(), RateLimiter.of("uploads", 10_000, 10_000, 1000), access.tls());
    }
    authority = access.state().ca();
    ca = authority.certificate();
    CoordinatorOptions options = new CoordinatorOptions(CoordinatorOptions.DEFAULT_HOST, 0, SPEC, rounds, clients,
        clients, CoordinatorOptions.DEFAULT_ROUND_DEADLINE_MILLIS, 7, MAX_UPLOAD_BYTES, 0, privacy);
    // Built here, off any event loop: building reads the store.
    CoordinatorBuilder builder = Coordinators.builder(options, new FitConfig(1, 8, 1)).store(store).access(access);
    if (limits != null) {
      builder.limits(limits);
    } else if (generousRateLimit) {
      builder.limits(ServiceLimits.DEFAULTS.withEnrolRate(10_000, 10_000));
    }
    verticle = builder.build();
    vertx = Vertx.vertx();
    vertx.deployVerticle(verticle).await(10, TimeUnit.SECONDS);
    base = URI.create("https://127.0.0.1:" + verticle.port());
    anonymous = http(TestCerts.context(ca, null, null));
  }

  @Override
  public void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
    store.close();
  }

  static HttpClient http(SSLContext ctx) {
    return HttpClient.newBuilder().sslContext(ctx).version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
  }

  /** Any request; {@code bearer} and {@code body} may be null. */
  HttpResponse<String> send(HttpClient c, String method, String path, String bearer, Map<String, String> headers,
      byte[] body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    headers.forEach(b::header);
    return c.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> post(HttpClient c, String path, String bearer, String json) throws Exception {
    return send(c, "POST", path, bearer, Map.of("Content-Type", "application/json"), json.getBytes());
  }

  HttpResponse<String> get(HttpClient c, String path, String bearer) throws Exception {
    return send(c, "GET", path, bearer, Map.of(), null);
  }

  /** The headers of a well-formed update for {@code version}, to be spoilt one at a time. */
  static Map<String, String> updateHeaders(int version) {
    Map<String, String> h = new LinkedHashMap<>();
    h.put(Wire.HEADER_MODEL_VERSION, Integer.toString(version));
    h.put(Wire.HEADER_SPEC_HASH, SPEC.hash());
    h.put(Wire.HEADER_EXAMPLES, "1");
    h.put("Content-Type", Wire.OCTET_STREAM);
    return h;
  }

  /** The headers of an update for {@code version} paid for by the recorded spend {@code counter}. */
  static Map<String, String> updateHeaders(int version, long counter) {
    Map<String, String> h = updateHeaders(version);
    h.put(Wire.HEADER_DP_SPEND_COUNTER, Long.toString(counter));
    return h;
  }

  /** {@code POST /v1/spends} by {@code s}. */
  HttpResponse<String> postSpends(Silo s, String body) throws Exception {
    return post(s.http(), Wire.SPENDS, null, body);
  }

  /** An enrolled silo takes part with an identity key: {@code POST /v1/clients {"identity_key"}}. */
  HttpResponse<String> join(Silo s, SiloSpends identity) throws Exception {
    return post(s.http(), Wire.CLIENTS, null, new JsonObject().put("identity_key", identity.identityKey()).encode());
  }

  /** The ledger as the auditor gets it. */
  HttpResponse<String> ledger() throws Exception {
    return get(anonymous, Wire.LEDGER, auditorToken);
  }

  HttpResponse<String> upload(Silo s, int round, Map<String, String> headers, byte[] body) throws Exception {
    return send(s.http(), "PUT", Wire.update(round), null, headers, body);
  }

  /** The operator issues an enrolment token for {@code clientId}. */
  String issueToken(String clientId) throws Exception {
    HttpResponse<String> r = post(anonymous, Wire.ADMIN_ENROLMENT_TOKENS, operatorToken,
        new JsonObject().put("client_id", clientId).encode());
    assertEquals(201, r.statusCode(), r.body());
    return new JsonObject(r.body()).getString("token");
  }

  /** Redeems {@code token} with a CSR for {@code kp}. */
  HttpResponse<String> redeem(String token, KeyPair kp) throws Exception {
    String csr = Pem.csr(TestCerts.csr(kp, "whatever"));
    return post(anonymous, Wire.ENROL, null, new JsonObject().put("token", token).put("csr", csr).encode());
  }

  /** The whole enrolment of one silo: token from the operator, CSR, certificate. */
  Silo enrol(String clientId) throws Exception {
    KeyPair kp = CertificateAuthority.newKeyPair();
    HttpResponse<String> r = redeem(issueToken(clientId), kp);
    assertEquals(201, r.statusCode(), r.body());
    JsonObject o = new JsonObject(r.body());
    assertEquals(clientId, o.getString("client_id"));
    X509Certificate cert = Pem.readCertificate(o.getString("certificate"));
    assertEquals(ca, Pem.readCertificate(o.getString("ca")));
    SSLContext ssl = TestCerts.context(ca, kp.getPrivate(), cert);
    return new Silo(clientId, kp, cert, ssl, http(ssl));
  }

  /** An enrolled silo takes part: {@code POST /v1/clients} with body {@code {}}. */
  void join(Silo s) throws Exception {
    HttpResponse<String> r = post(s.http(), Wire.CLIENTS, null, "{}");
    assertEquals(201, r.statusCode(), r.body());
    assertEquals(s.id(), new JsonObject(r.body()).getString("client_id"));
  }

  JsonObject status() throws Exception {
    HttpResponse<String> r = get(anonymous, Wire.STATUS, auditorToken);
    assertEquals(200, r.statusCode(), r.body());
    return new JsonObject(r.body());
  }

  float[] model() throws Exception {
    return ParameterCodec.decode(modelBytes(), SPEC.parameterCount());
  }

  private byte[] modelBytes() throws Exception {
    HttpResponse<byte[]> r = anonymous.send(HttpRequest.newBuilder(base.resolve(Wire.MODEL_PARAMETERS))
        .header("Authorization", "Bearer " + auditorToken).timeout(Duration.ofSeconds(10)).GET().build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, r.statusCode());
    return r.body();
  }

  /**
   * Everything a refused request must leave alone: the status (round, model version, clients,
   * history, privacy spends and declines; timing fields removed as they are not state), the model's
   * bytes and the enrolled clients. Compare two with assertEquals.
   */
  String snapshot() throws Exception {
    JsonObject status = status();
    status.remove("aggregation_seconds");
    for (Object o : status.getJsonArray("history")) {
      JsonObject round = (JsonObject) o;
      round.remove("seconds");
      round.remove("aggregation_seconds");
      round.remove("client_train_seconds");
    }
    HttpResponse<String> clients = get(anonymous, Wire.ADMIN_CLIENTS, operatorToken);
    assertEquals(200, clients.statusCode(), clients.body());
    return new JsonObject().put("status", status).put("model", Base64.getEncoder().encodeToString(modelBytes()))
        .put("clients", new JsonObject(clients.body()).getJsonArray("clients")).encodePrettily();
  }

  /**
   * Asserts that {@code r} is a refusal with {@code status}, a JSON body {@code {"error": …}} whose
   * message contains {@code keyword} (ignoring case).
   *
   * @return the message
   */
  static String assertRefused(HttpResponse<String> r, int status, String keyword) {
    assertEquals(status, r.statusCode(), () -> "expected " + status + " naming '" + keyword + "', got "
        + r.statusCode() + ": " + r.body());
    String error;
    try {
      error = new JsonObject(r.body()).getString("error");
    } catch (DecodeException | ClassCastException e) {
      fail("refusal " + r.statusCode() + " without a JSON {\"error\": ...} body: " + r.body());
      return null;
    }
    assertNotNull(error, "refusal without an 'error' message: " + r.body());
    assertTrue(error.toLowerCase().contains(keyword.toLowerCase()),
        () -> "the message does not name the problem ('" + keyword + "'): " + error);
    return error;
  }

  /** An all-{@code value} update vector. */
  static float[] filled(float value) {
    float[] v = new float[SPEC.parameterCount()];
    java.util.Arrays.fill(v, value);
    return v;
  }

  /** The enrolled clients as the operator lists them. */
  JsonArray clients() throws Exception {
    return new JsonObject(get(anonymous, Wire.ADMIN_CLIENTS, operatorToken).body()).getJsonArray("clients");
  }
}
