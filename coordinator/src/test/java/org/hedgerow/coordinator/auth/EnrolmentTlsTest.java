package org.hedgerow.coordinator.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.hedgerow.aggregation.wire.Wire;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Enrolment, authentication and roles over real HTTPS with mutual TLS on a loopback port. */
class EnrolmentTlsTest {
  @TempDir Path tmp;
  private Vertx vertx;
  private StateDirectory state;
  private InMemoryCredentialStore store;
  private AuthTestServer server;
  private URI base;
  private HttpClient anonymous;
  private String operatorToken;
  private String auditorToken;

  /** A silo after enrolment: its key, its certificate and an HTTPS client presenting them. */
  private record Silo(String id, KeyPair keys, X509Certificate cert, HttpClient http) {}

  @BeforeEach
  void start() throws Exception {
    StateDirectory.init(tmp, List.of());
    state = StateDirectory.load(tmp);
    operatorToken = StateDirectory.readToken(tmp.resolve(StateDirectory.OPERATOR_TOKEN));
    auditorToken = StateDirectory.readToken(tmp.resolve(StateDirectory.AUDITOR_TOKEN));
    store = new InMemoryCredentialStore();
    ClientRegistry registry = ClientRegistry.load(store);
    vertx = Vertx.vertx();
    server = new AuthTestServer(vertx, TlsServerOptions.https(state), Authenticator.forTls(state, registry),
        new EnrolmentService(store, registry, state.ca()));
    base = URI.create("https://127.0.0.1:" + server.port());
    anonymous = http(TestCerts.context(state.ca().certificate(), null, null));
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private static HttpClient http(SSLContext ctx) {
    return HttpClient.newBuilder().sslContext(ctx).version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
  }

  private HttpResponse<String> post(HttpClient c, String path, String bearer, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    return c.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(HttpClient c, String path, String bearer) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10)).GET();
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    return c.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String error(HttpResponse<String> r) {
    return new JsonObject(r.body()).getString("error");
  }

  private String issueToken(String clientId) throws Exception {
    HttpResponse<String> r = post(anonymous, Wire.ADMIN_ENROLMENT_TOKENS, operatorToken,
        new JsonObject().put("client_id", clientId).encode());
    assertEquals(201, r.statusCode(), r.body());
    JsonObject o = new JsonObject(r.body());
    assertEquals(clientId, o.getString("client_id"));
    assertTrue(Instant.parse(o.getString("expires_at")).isAfter(Instant.now().plus(Duration.ofHours(23))));
    return o.getString("token");
  }

  private HttpResponse<String> redeem(String token, KeyPair kp) throws Exception {
    String csr = Pem.csr(TestCerts.csr(kp, "whatever"));
    return post(anonymous, Wire.ENROL, null, new JsonObject().put("token", token).put("csr", csr).encode());
  }

  private Silo enrol(String clientId) throws Exception {
    KeyPair kp = CertificateAuthority.newKeyPair();
    HttpResponse<String> r = redeem(issueToken(clientId), kp);
    assertEquals(201, r.statusCode(), r.body());
    JsonObject o = new JsonObject(r.body());
    assertEquals(clientId, o.getString("client_id"));
    X509Certificate cert = Pem.readCertificate(o.getString("certificate"));
    assertEquals(state.ca().certificate(), Pem.readCertificate(o.getString("ca")));
    return new Silo(clientId, kp, cert, http(TestCerts.context(state.ca().certificate(), kp.getPrivate(), cert)));
  }

  @Test
  void enrol_validToken_certificateAuthenticatesAsThatClient() throws Exception {
    Silo s = enrol("silo-1");
    s.cert().verify(state.ca().certificate().getPublicKey());
    assertEquals("silo-1", CertificateAuthority.commonName(s.cert()));
    HttpResponse<String> r = get(s.http(), AuthTestServer.WHOAMI, null);
    assertEquals(200, r.statusCode(), r.body());
    assertEquals(new JsonObject().put("role", "CLIENT").put("name", "silo-1"), new JsonObject(r.body()));
  }

  @Test
  void health_noCredentials_isServed() throws Exception {
    assertEquals(200, get(anonymous, "/health", null).statusCode());
  }

  @Test
  void enrol_sameTokenTwice_secondRefused401AndNothingChanges() throws Exception {
    String token = issueToken("silo-1");
    HttpResponse<String> first = redeem(token, CertificateAuthority.newKeyPair());
    assertEquals(201, first.statusCode(), first.body());
    String fp = Fingerprints.sha256(Pem.readCertificate(new JsonObject(first.body()).getString("certificate")));
    HttpResponse<String> again = redeem(token, CertificateAuthority.newKeyPair());
    assertEquals(401, again.statusCode(), again.body());
    assertTrue(error(again).contains("unknown, already used or expired"), again.body());
    assertEquals(1, store.clients().size());
    assertEquals(fp, store.client("silo-1").orElseThrow().certificateFingerprint());
  }

  @Test
  void enrol_expiredToken_refused401() throws Exception {
    String token = Tokens.generate();
    Instant now = Instant.now();
    store.saveEnrolmentToken(new EnrolmentToken(Tokens.hash(token), "late", now.minusSeconds(7200), now.minusSeconds(1)));
    HttpResponse<String> r = redeem(token, CertificateAuthority.newKeyPair());
    assertEquals(401, r.statusCode(), r.body());
    assertTrue(store.clients().isEmpty());
  }

  @Test
  void enrol_unknownToken_refused401() throws Exception {
    HttpResponse<String> r = redeem(Tokens.generate(), CertificateAuthority.newKeyPair());
    assertEquals(401, r.statusCode(), r.body());
    assertTrue(store.clients().isEmpty());
  }

  @Test
  void enrol_csrWithBadSignature_refused400AndTokenStaysUsable() throws Exception {
    String token = issueToken("silo-1");
    byte[] der = TestCerts.csr(CertificateAuthority.newKeyPair(), "x").getEncoded();
    der[der.length - 5] ^= 0x01;
    String badCsr = Pem.csr(new org.bouncycastle.pkcs.PKCS10CertificationRequest(der));
    HttpResponse<String> r = post(anonymous, Wire.ENROL, null,
        new JsonObject().put("token", token).put("csr", badCsr).encode());
    assertEquals(400, r.statusCode(), r.body());
    assertTrue(error(r).contains("signature does not verify"), r.body());
    assertEquals(1, store.unusedTokens());
    assertEquals(201, redeem(token, CertificateAuthority.newKeyPair()).statusCode());
  }

  @Test
  void enrol_malformedBodies_refused400Or413NamingTheProblem() throws Exception {
    HttpResponse<String> r = post(anonymous, Wire.ENROL, null, "{\"token\": ");
    assertEquals(400, r.statusCode(), r.body());
    assertTrue(error(r).contains("not valid JSON"), r.body());
    r = post(anonymous, Wire.ENROL, null, "[1, 2]");
    assertEquals(400, r.statusCode(), r.body());
    String token = issueToken("silo-m");
    r = post(anonymous, Wire.ENROL, null, new JsonObject().put("token", token).encode());
    assertEquals(400, r.statusCode(), r.body());
    assertTrue(error(r).contains("'csr'"), r.body());
    r = post(anonymous, Wire.ENROL, null, new JsonObject().put("token", 5).put("csr", "x").encode());
    assertEquals(400, r.statusCode(), r.body());
    assertEquals("enrolment request: 'token' must be a string", error(r));
    r = post(anonymous, Wire.ENROL, null, new JsonObject().put("token", token).put("csr", "x")
        .put("identity_key", "not base64!").encode());
    assertEquals(400, r.statusCode(), r.body());
    assertTrue(error(r).startsWith("identity_key is not valid base64"), r.body());
    r = post(anonymous, Wire.ENROL, null, new JsonObject().put("token", token).put("csr", "nonsense").encode());
    assertEquals(400, r.statusCode(), r.body());
    assertTrue(error(r).contains("csr"), r.body());
    assertEquals(1, store.unusedTokens(), "a refused request spends no token");
    r = post(anonymous, Wire.ENROL, null, new JsonObject().put("token", "abc").put("csr", "nonsense").encode());
    assertEquals(401, r.statusCode(), r.body());
    assertTrue(error(r).contains("enrolment token is unknown"), r.body());
    r = post(anonymous, Wire.ENROL, null, "{\"token\": \"" + "a".repeat(AdminRoutes.MAX_BODY_BYTES) + "\"}");
    assertEquals(413, r.statusCode(), r.body());
  }

  @Test
  void issueToken_invalidClientIdOrTtl_refused400NamingIt() throws Exception {
    HttpResponse<String> r = post(anonymous, Wire.ADMIN_ENROLMENT_TOKENS, operatorToken,
        new JsonObject().put("client_id", "../etc").encode());
    assertEquals(400, r.statusCode(), r.body());
    assertTrue(error(r).contains("'../etc'"), r.body());
    r = post(anonymous, Wire.ADMIN_ENROLMENT_TOKENS, operatorToken,
        new JsonObject().put("client_id", "ok").put("ttl_seconds", 10).encode());
    assertEquals(400, r.statusCode(), r.body());
    assertTrue(error(r).contains("ttl_seconds"), r.body());
    r = post(anonymous, Wire.ADMIN_ENROLMENT_TOKENS, operatorToken,
        new JsonObject().put("client_id", "ok").put("ttl_seconds", "soon").encode());
    assertEquals(400, r.statusCode(), r.body());
    assertEquals("enrolment token request: 'ttl_seconds' must be a whole number", error(r));
    r = post(anonymous, Wire.ADMIN_ENROLMENT_TOKENS, operatorToken,
        new JsonObject().put("client_id", "ok").put("ttl_seconds", 90.5).encode());
    assertEquals(400, r.statusCode(), r.body());
    assertEquals("enrolment token request: 'ttl_seconds' must be a whole number", error(r));
    assertEquals(0, store.unusedTokens());
  }

  @Test
  void clientRoute_noCertificateNoBearer_refused401() throws Exception {
    HttpResponse<String> r = get(anonymous, AuthTestServer.WHOAMI, null);
    assertEquals(401, r.statusCode(), r.body());
    assertEquals("no client certificate or bearer token", error(r));
  }

  @Test
  void clientRoute_unknownBearer_refused401() throws Exception {
    HttpResponse<String> r = get(anonymous, AuthTestServer.WHOAMI, Tokens.generate());
    assertEquals(401, r.statusCode(), r.body());
    assertEquals("unknown bearer token", error(r));
    HttpRequest basic = HttpRequest.newBuilder(base.resolve(AuthTestServer.WHOAMI))
        .header("Authorization", "Basic b3A6cHc=").GET().build();
    r = anonymous.send(basic, HttpResponse.BodyHandlers.ofString());
    assertEquals(401, r.statusCode(), r.body());
    assertTrue(error(r).contains("Bearer"), r.body());
  }

  @Test
  void clientRoute_certificateFromAnotherCa_handshakeFails() throws Exception {
    CertificateAuthority other = CertificateAuthority.create("rogue CA", Duration.ofDays(1));
    KeyPair kp = CertificateAuthority.newKeyPair();
    X509Certificate cert = other.signClient(TestCerts.csr(kp, "x"), "silo-1", Duration.ofDays(1));
    HttpClient rogue = http(TestCerts.context(state.ca().certificate(), kp.getPrivate(), cert));
    try {
      HttpResponse<String> r = get(rogue, AuthTestServer.WHOAMI, null);
      fail("a certificate from another CA got through the handshake: " + r.statusCode() + " " + r.body());
    } catch (IOException e) {
      // the server's trust manager rejected the certificate during the handshake
    }
  }

  @Test
  void clientRoute_certificateOfOurCaButNeverEnrolled_refused401() throws Exception {
    KeyPair kp = CertificateAuthority.newKeyPair();
    X509Certificate cert = state.ca().signClient(TestCerts.csr(kp, "x"), "ghost", Duration.ofDays(1));
    HttpResponse<String> r = get(http(TestCerts.context(state.ca().certificate(), kp.getPrivate(), cert)),
        AuthTestServer.WHOAMI, null);
    assertEquals(401, r.statusCode(), r.body());
    assertTrue(error(r).startsWith("unknown client certificate"), r.body());
  }

  @Test
  void clientRoute_revokedClient_refused401OnTheSameConnection() throws Exception {
    Silo s = enrol("silo-1");
    assertEquals(200, get(s.http(), AuthTestServer.WHOAMI, null).statusCode());
    HttpResponse<String> rv = post(anonymous, Wire.revokeClient("silo-1"), operatorToken, "");
    assertEquals(200, rv.statusCode(), rv.body());
    assertTrue(new JsonObject(rv.body()).getBoolean("changed"));
    HttpResponse<String> r = get(s.http(), AuthTestServer.WHOAMI, null);
    assertEquals(401, r.statusCode(), r.body());
    assertEquals("client 'silo-1' is revoked", error(r));
    rv = post(anonymous, Wire.revokeClient("silo-1"), operatorToken, "");
    assertEquals(200, rv.statusCode(), rv.body());
    assertFalse(new JsonObject(rv.body()).getBoolean("changed"));
    assertEquals(404, post(anonymous, Wire.revokeClient("nobody"), operatorToken, "").statusCode());
  }

  @Test
  void enrol_againWithNewToken_newCertificateWorksAndOldOneIsRefused() throws Exception {
    Silo old = enrol("silo-1");
    Silo renewed = enrol("silo-1");
    assertEquals(200, get(renewed.http(), AuthTestServer.WHOAMI, null).statusCode());
    HttpResponse<String> r = get(old.http(), AuthTestServer.WHOAMI, null);
    assertEquals(401, r.statusCode(), r.body());
    assertTrue(error(r).startsWith("unknown client certificate"), r.body());
  }

  @Test
  void adminRoute_clientCertificate_refused403NamingRoles() throws Exception {
    Silo s = enrol("silo-1");
    HttpResponse<String> r = get(s.http(), Wire.ADMIN_CLIENTS, null);
    assertEquals(403, r.statusCode(), r.body());
    assertEquals("this needs the operator or auditor role; the caller is client 'silo-1'", error(r));
    r = post(s.http(), Wire.ADMIN_ENROLMENT_TOKENS, null, new JsonObject().put("client_id", "sneaky").encode());
    assertEquals(403, r.statusCode(), r.body());
    assertEquals(0, store.unusedTokens());
  }

  @Test
  void adminRoute_auditorOnOperatorRoute_refused403ButMayList() throws Exception {
    enrol("silo-1");
    HttpResponse<String> r = post(anonymous, Wire.ADMIN_ENROLMENT_TOKENS, auditorToken,
        new JsonObject().put("client_id", "x").encode());
    assertEquals(403, r.statusCode(), r.body());
    assertEquals("this needs the operator role; the caller is the auditor", error(r));
    r = post(anonymous, Wire.revokeClient("silo-1"), auditorToken, "");
    assertEquals(403, r.statusCode(), r.body());
    assertFalse(store.client("silo-1").orElseThrow().revoked());
    r = get(anonymous, Wire.ADMIN_CLIENTS, auditorToken);
    assertEquals(200, r.statusCode(), r.body());
  }

  @Test
  void adminRoute_operatorToken_listsClientsWithoutSecrets() throws Exception {
    Silo s = enrol("silo-1");
    HttpResponse<String> r = get(anonymous, AuthTestServer.WHOAMI, operatorToken);
    assertEquals(new JsonObject().put("role", "OPERATOR").put("name", "operator"), new JsonObject(r.body()));
    r = get(anonymous, Wire.ADMIN_CLIENTS, operatorToken);
    assertEquals(200, r.statusCode(), r.body());
    JsonObject c = new JsonObject(r.body()).getJsonArray("clients").getJsonObject(0);
    assertEquals("silo-1", c.getString("client_id"));
    assertEquals(Fingerprints.sha256(s.cert()), c.getString("certificate_sha256"));
    assertNotNull(c.getString("enrolled_at"));
    assertTrue(c.containsKey("revoked_at") && c.getValue("revoked_at") == null);
    assertFalse(r.body().contains("token"), r.body());
  }

  @Test
  void registry_reloadedFromStore_knowsEnrolledAndRevokedClients() throws Exception {
    Silo a = enrol("a");
    enrol("b");
    assertEquals(200, post(anonymous, Wire.revokeClient("b"), operatorToken, "").statusCode());
    ClientRegistry fresh = ClientRegistry.load(store);
    assertEquals("a", fresh.byFingerprint(Fingerprints.sha256(a.cert())).orElseThrow().clientId());
    assertTrue(fresh.byId("b").orElseThrow().revoked());
  }
}
