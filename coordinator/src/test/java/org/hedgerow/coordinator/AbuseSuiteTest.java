package org.hedgerow.coordinator;

import static org.hedgerow.coordinator.ServiceFixture.SPEC;
import static org.hedgerow.coordinator.ServiceFixture.assertRefused;
import static org.hedgerow.coordinator.ServiceFixture.filled;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.net.ssl.SSLSocket;
import org.hedgerow.aggregation.wire.ParameterCodec;
import org.hedgerow.aggregation.wire.Wire;
import org.hedgerow.coordinator.ServiceFixture.Silo;
import org.hedgerow.coordinator.auth.AdminRoutes;
import org.hedgerow.coordinator.auth.CertificateAuthority;
import org.hedgerow.coordinator.auth.EnrolmentToken;
import org.hedgerow.coordinator.auth.Pem;
import org.hedgerow.coordinator.auth.TestCerts;
import org.hedgerow.coordinator.auth.Tokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile input against a coordinator run as a service (HTTPS, mutual TLS) with an open round:
 * every request must be refused with a 4xx whose JSON {@code {"error": …}} names the problem, and
 * leave the federation exactly as it was (status, model, enrolled clients). After the suite the
 * coordinator must still answer and its metrics must show no 5xx.
 *
 * <p>Three silos take part, so round 1 stays open throughout: {@code a} sends the hostile uploads
 * (none is ever accepted), {@code b} never uploads, {@code r} makes the one accepted upload the
 * replay case needs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AbuseSuiteTest {
  @TempDir static Path dir;
  private ServiceFixture f;
  private Silo a;
  private Silo r;
  /** The state before each test; every refused request is compared with it. */
  private String before;

  @BeforeAll
  void start() throws Exception {
    f = new ServiceFixture(dir, 2, 3, true);
    a = f.enrol("silo-a");
    Silo b = f.enrol("silo-b");
    r = f.enrol("silo-r");
    f.join(a);
    f.join(b);
    f.join(r);
    assertEquals("training", f.status().getJsonObject("round").getString("state"));
  }

  @AfterAll
  void stop() throws Exception {
    try {
      // No crash: the coordinator still answers, and it never answered a 5xx.
      assertEquals(200, f.get(f.anonymous, Wire.HEALTH, null).statusCode());
      HttpResponse<String> metrics = f.get(f.anonymous, "/metrics", f.operatorToken);
      assertEquals(200, metrics.statusCode());
      assertFalse(metrics.body().contains("status=\"5xx\""), () -> metrics.body().lines()
          .filter(l -> l.contains("5xx")).toList().toString());
    } finally {
      f.close();
    }
  }

  @BeforeEach
  void baseline() throws Exception {
    before = f.snapshot();
  }

  /** Asserts the refusal and that nothing changed. */
  private void refused(HttpResponse<String> resp, int status, String keyword) throws Exception {
    assertRefused(resp, status, keyword);
    assertEquals(before, f.snapshot(), "a refused request changed the federation: " + resp.body());
  }

  private HttpResponse<String> upload(Map<String, String> headers, byte[] body) throws Exception {
    return f.upload(a, 1, headers, body);
  }

  private static Map<String, String> with(Map<String, String> h, String name, String value) {
    Map<String, String> copy = new LinkedHashMap<>(h);
    if (value == null) {
      copy.remove(name);
    } else {
      copy.put(name, value);
    }
    return copy;
  }

  private static byte[] ok() {
    return ParameterCodec.encode(filled(0.5f));
  }

  @Test
  void malformedJson_joinDeclineEnrolAdmin_refused400NamingJson() throws Exception {
    String[] bodies = {"{not json", "{\"reason\": ", "[1, 2]", "\"just a string\"", "nul", "{}}"};
    for (String body : bodies) {
      refused(f.post(a.http(), Wire.CLIENTS, null, body), 400, "JSON");
      refused(f.post(a.http(), Wire.decline(1), null, body), 400, "JSON");
      refused(f.post(f.anonymous, Wire.ENROL, null, body), 400, "JSON");
      refused(f.post(f.anonymous, Wire.ADMIN_ENROLMENT_TOKENS, f.operatorToken, body), 400, "JSON");
    }
    // Nesting far beyond any real request: the parser's depth limit, not a stack overflow.
    String deep = "[".repeat(5000) + "]".repeat(5000);
    refused(f.post(f.anonymous, Wire.ENROL, null, deep), 400, "JSON");
    refused(f.post(a.http(), Wire.decline(1), null, deep), 400, "JSON");
    refused(f.post(a.http(), Wire.decline(1), null, ""), 400, "JSON object body");
    refused(f.post(f.anonymous, Wire.ENROL, null, ""), 400, "JSON object body");
  }

  @Test
  void wrongJsonTypes_declineEnrolAdmin_refused400NamingTheField() throws Exception {
    refused(f.post(a.http(), Wire.decline(1), null, "{\"reason\": 5}"), 400, "'reason' must be a string");
    refused(f.post(a.http(), Wire.decline(1), null, "{\"reason\": \"cap\", \"epsilon\": \"lots\"}"), 400, "'epsilon'");
    refused(f.post(a.http(), Wire.decline(1), null, "{\"reason\": [\"cap\"]}"), 400, "'reason'");
    refused(f.post(a.http(), Wire.decline(1), null, "{\"reason\": \"\"}"), 400, "reason");
    refused(f.post(a.http(), Wire.decline(1), null, "{\"reason\": \"" + "x".repeat(1001) + "\"}"), 400, "reason");
    refused(f.post(f.anonymous, Wire.ENROL, null, "{\"token\": 5, \"csr\": \"x\"}"), 400, "'token' must be a string");
    refused(f.post(f.anonymous, Wire.ENROL, null, "{\"token\": \"t\", \"csr\": {}}"), 400, "'csr' must be a string");
    refused(f.post(f.anonymous, Wire.ENROL, null, "{\"csr\": \"x\"}"), 400, "missing 'token'");
    refused(f.post(f.anonymous, Wire.ENROL, null, "{\"token\": \"t\"}"), 400, "'csr'");
    refused(f.post(f.anonymous, Wire.ADMIN_ENROLMENT_TOKENS, f.operatorToken, "{\"client_id\": 7}"), 400,
        "'client_id' must be a string");
    refused(f.post(f.anonymous, Wire.ADMIN_ENROLMENT_TOKENS, f.operatorToken, "{\"client_id\": null}"), 400,
        "missing 'client_id'");
    refused(f.post(f.anonymous, Wire.ADMIN_ENROLMENT_TOKENS, f.operatorToken,
        "{\"client_id\": \"ok\", \"ttl_seconds\": \"soon\"}"), 400, "ttl_seconds");
    refused(f.post(f.anonymous, Wire.ADMIN_ENROLMENT_TOKENS, f.operatorToken,
        "{\"client_id\": \"ok\", \"ttl_seconds\": 1.5}"), 400, "ttl_seconds");
    refused(f.post(f.anonymous, Wire.ADMIN_ENROLMENT_TOKENS, f.operatorToken,
        "{\"client_id\": \"ok\", \"ttl_seconds\": 1e300}"), 400, "ttl_seconds");
    refused(f.post(f.anonymous, Wire.ADMIN_ENROLMENT_TOKENS, f.operatorToken,
        "{\"client_id\": \"ok\", \"ttl_seconds\": -60}"), 400, "ttl_seconds");
  }

  @Test
  void truncatedBody_contentLengthLargerThanSent_nothingChangesAndServerStillAnswers() throws Exception {
    byte[] part = "0123456789".getBytes(StandardCharsets.US_ASCII);
    String upload = "PUT " + Wire.update(1) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + Wire.HEADER_MODEL_VERSION + ": 0\r\n" + Wire.HEADER_SPEC_HASH + ": " + SPEC.hash() + "\r\n"
        + Wire.HEADER_EXAMPLES + ": 1\r\nContent-Type: application/octet-stream\r\nContent-Length: "
        + 4 * SPEC.parameterCount() + "\r\n\r\n";
    String enrol = "POST " + Wire.ENROL + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        + "Content-Length: 1000\r\n\r\n";
    for (String head : new String[] {upload, enrol}) {
      try (SSLSocket s = (SSLSocket) a.ssl().getSocketFactory().createSocket("127.0.0.1", f.verticle.port())) {
        s.startHandshake();
        OutputStream out = s.getOutputStream();
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        out.write(part);
        out.flush();
      } // closed mid-body
    }
    // The server is still there for the same silo and the others.
    Thread.sleep(200);
    assertEquals(200, f.get(a.http(), Wire.ROUND, null).statusCode());
    assertEquals(before, f.snapshot());
    // The abandoned upload no longer counts as in flight: the next one is read (and refused for its content).
    refused(upload(with(ServiceFixture.updateHeaders(0), Wire.HEADER_SPEC_HASH, "deadbeef"), ok()), 400, "spec hash");
    // A caller that hangs up is not a server failure: nothing is counted as an internal error.
    String metrics = f.get(f.anonymous, "/metrics", f.operatorToken).body();
    assertFalse(metrics.contains("hedgerow_updates_rejected_total{reason=\"other\"}"), metrics);
  }

  /** Sends {@code request} as is over mutual TLS as silo a and returns the raw response. */
  private String raw(String request) throws Exception {
    try (SSLSocket s = (SSLSocket) a.ssl().getSocketFactory().createSocket("127.0.0.1", f.verticle.port())) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      s.getOutputStream().flush();
      return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }

  @Test
  void malformedHttp_badContentLengthOrSmuggling_refused400AsJsonAndConnectionClosed() throws Exception {
    String head = "PUT " + Wire.update(1) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + Wire.HEADER_MODEL_VERSION + ": 0\r\n"
        + Wire.HEADER_SPEC_HASH + ": " + SPEC.hash() + "\r\n" + Wire.HEADER_EXAMPLES + ": 1\r\n";
    String[] requests = {
        head + "Content-Length: abc\r\n\r\n",
        head + "Content-Length: -5\r\n\r\n",
        head + "Content-Length: 4\r\nContent-Length: 8\r\n\r\n12345678",
        "GARBAGE\r\n\r\n"};
    for (String req : requests) {
      String resp = raw(req);
      assertTrue(resp.matches("(?s)HTTP/1\\.[01] 400 .*"), resp); // 1.0 when not even the version parsed
      String body = resp.substring(resp.indexOf("\r\n\r\n") + 4);
      assertTrue(new JsonObject(body).getString("error").startsWith("malformed HTTP request"), resp);
    }
    assertEquals(before, f.snapshot());
  }

  @Test
  void oversizedBodies_uploadEnrolAdmin_refused413NamingTheLimit() throws Exception {
    byte[] big = new byte[(int) ServiceFixture.MAX_UPLOAD_BYTES + 1];
    // An update's Content-Length must be the model's update size: 4 × 9 parameters.
    refused(upload(ServiceFixture.updateHeaders(0), big), 413, "the update size is 36 bytes");
    // Without a Content-Length (chunked): 411 naming the size, before anything is read.
    HttpResponse<String> chunked = a.http().send(HttpRequest.newBuilder(f.base.resolve(Wire.update(1)))
        .timeout(Duration.ofSeconds(10)).headers(flatten(ServiceFixture.updateHeaders(0)))
        .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))).build(),
        HttpResponse.BodyHandlers.ofString());
    refused(chunked, 411, "Content-Length: 36 bytes");
    String hugeJson = "{\"token\": \"" + "a".repeat(AdminRoutes.MAX_BODY_BYTES) + "\"}";
    refused(f.post(f.anonymous, Wire.ENROL, null, hugeJson), 413, "limit");
    refused(f.post(f.anonymous, Wire.ADMIN_ENROLMENT_TOKENS, f.operatorToken, hugeJson), 413, "limit");
    refused(f.post(a.http(), Wire.decline(1), null, "{\"reason\": \"" + "a".repeat((int) ServiceFixture.MAX_UPLOAD_BYTES)
        + "\"}"), 413, "limit");
  }

  private static String[] flatten(Map<String, String> h) {
    return h.entrySet().stream().flatMap(e -> java.util.stream.Stream.of(e.getKey(), e.getValue()))
        .toArray(String[]::new);
  }

  @Test
  void badUpdateBodies_wrongDimensionNanInfinity_refused400NamingIt() throws Exception {
    Map<String, String> h = ServiceFixture.updateHeaders(0);
    int n = SPEC.parameterCount();
    refused(upload(h, new byte[0]), 400, "expected " + n + " float32 values");
    refused(upload(h, new byte[7]), 400, "expected " + n + " float32 values");
    refused(upload(h, new byte[4 * (n - 1)]), 400, "expected " + n + " float32 values");
    refused(upload(h, new byte[4 * (n + 1)]), 413, "expected " + n + " float32 values");
    for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
      float[] v = filled(0.5f);
      v[n - 1] = bad;
      refused(upload(h, ParameterCodec.encode(v)), 400, "entry " + (n - 1) + " is " + bad);
    }
  }

  @Test
  void badUpdateHeaders_hashVersionExamplesGarbageMissing_refusedNamingTheHeader() throws Exception {
    Map<String, String> h = ServiceFixture.updateHeaders(0);
    refused(upload(with(h, Wire.HEADER_SPEC_HASH, "deadbeef"), ok()), 400, "spec hash deadbeef");
    refused(upload(with(h, Wire.HEADER_MODEL_VERSION, "5"), ok()), 409, "model version 5");
    refused(upload(with(h, Wire.HEADER_MODEL_VERSION, "-1"), ok()), 409, "model version -1");
    refused(upload(with(h, Wire.HEADER_EXAMPLES, "0"), ok()), 400, "example count");
    refused(upload(with(h, Wire.HEADER_EXAMPLES, "-5"), ok()), 400, "example count");
    refused(upload(with(h, Wire.HEADER_EXAMPLES, "99999999999999999999"), ok()), 400, Wire.HEADER_EXAMPLES);
    refused(upload(with(h, Wire.HEADER_EXAMPLES, Long.toString(Long.MAX_VALUE)), ok()), 400, Wire.HEADER_EXAMPLES);
    for (String garbage : new String[] {"abc", "1e3", "0x10", "", " ", "1.5", "+-1"}) {
      refused(upload(with(h, Wire.HEADER_EXAMPLES, garbage), ok()), 400, Wire.HEADER_EXAMPLES);
      refused(upload(with(h, Wire.HEADER_MODEL_VERSION, garbage), ok()), 400, Wire.HEADER_MODEL_VERSION);
    }
    refused(upload(with(h, Wire.HEADER_TRAIN_SECONDS, "fast"), ok()), 400, Wire.HEADER_TRAIN_SECONDS);
    refused(upload(with(h, Wire.HEADER_TRAIN_LOSS, "low"), ok()), 400, Wire.HEADER_TRAIN_LOSS);
    for (String header : new String[] {Wire.HEADER_MODEL_VERSION, Wire.HEADER_SPEC_HASH, Wire.HEADER_EXAMPLES}) {
      refused(upload(with(h, header, null), ok()), 400, "missing header " + header);
    }
    refused(upload(with(h, Wire.HEADER_UPLOAD_ID, "../../etc/passwd"), ok()), 400, Wire.HEADER_UPLOAD_ID);
    refused(upload(with(h, Wire.HEADER_UPLOAD_ID, "u".repeat(129)), ok()), 400, Wire.HEADER_UPLOAD_ID);
  }

  @Test
  void badSpendCounterHeader_notANumberOrNotRecorded_refusedNamingIt() throws Exception {
    Map<String, String> h = ServiceFixture.updateHeaders(0);
    refused(upload(with(h, Wire.HEADER_DP_SPEND_COUNTER, "first"), ok()), 400, Wire.HEADER_DP_SPEND_COUNTER);
    refused(upload(with(h, Wire.HEADER_DP_SPEND_COUNTER, "0"), ok()), 403, "no recorded spend of 'silo-a' has counter 0");
    refused(upload(with(h, Wire.HEADER_DP_SPEND_COUNTER, "-1"), ok()), 403, "no recorded spend");
  }

  @Test
  void hostileSpendBodies_refusedNamingTheProblem() throws Exception {
    refused(f.postSpends(a, "not json"), 400, "not JSON");
    refused(f.postSpends(a, "{\"spends\": 3}"), 400, "expected {\"spends\"");
    refused(f.postSpends(a, "{\"spends\": [{\"counter\": 0}]}"), 400, "spends[0]");
    refused(f.postSpends(a, "{\"spends\": []}"), 400, "at least one");
    refused(f.postSpends(a, "{\"spends\": [\"" + "x".repeat(70_000) + "\"]}"), 413, "limit");
    // silo-a joined without an identity key: nothing it signs can be checked.
    SiloSpends own = new SiloSpends("silo-a");
    refused(f.postSpends(a, SiloSpends.batch(own.release())), 409, "registered no identity key");
  }

  @Test
  void replayedUpload_sameIdAcceptedOnceDifferentBody409() throws Exception {
    SiloSpends rSpends = new SiloSpends("silo-r");
    assertEquals(201, f.join(r, rSpends).statusCode(), "a re-join binding an identity key (no spends yet)");
    assertEquals(200, f.postSpends(r, SiloSpends.batch(rSpends.round(1))).statusCode());
    Map<String, String> h = with(ServiceFixture.updateHeaders(0, 0), Wire.HEADER_UPLOAD_ID, "r-round-1");
    HttpResponse<String> first = f.upload(r, 1, h, ok());
    assertEquals(202, first.statusCode(), first.body());
    assertEquals(1, new JsonObject(first.body()).getInteger("updates"));
    before = f.snapshot();
    assertEquals(1, new JsonObject(before).getJsonObject("status").getJsonObject("privacy").getJsonArray("spends").size());
    // The same upload again (a retry or a replay): answered as before, counted once.
    HttpResponse<String> again = f.upload(r, 1, h, ok());
    assertEquals(202, again.statusCode(), again.body());
    assertTrue(new JsonObject(again.body()).getBoolean("duplicate"), again.body());
    assertEquals(1, new JsonObject(again.body()).getInteger("updates"));
    assertEquals(before, f.snapshot());
    // The same upload id with other bytes (body, or a header the update depends on): refused, naming the id.
    refused(f.upload(r, 1, h, ParameterCodec.encode(filled(9f))), 409, "upload id 'r-round-1'");
    refused(f.upload(r, 1, with(h, Wire.HEADER_EXAMPLES, "7"), ok()), 409, "upload id 'r-round-1'");
    // Another update for the same round: refused.
    refused(f.upload(r, 1, with(h, Wire.HEADER_UPLOAD_ID, "r-round-1-bis"), ParameterCodec.encode(filled(9f))), 409,
        "already accepted");
    refused(f.upload(r, 1, with(h, Wire.HEADER_UPLOAD_ID, null), ParameterCodec.encode(filled(9f))), 409,
        "already accepted");
    refused(f.post(r.http(), Wire.decline(1), null, "{\"reason\": \"cap\"}"), 409, "already accepted");
    HttpResponse<String> metrics = f.get(f.anonymous, "/metrics", f.auditorToken);
    assertTrue(metrics.body().lines().anyMatch("hedgerow_updates_accepted_total 1"::equals), metrics.body());
  }

  @Test
  void wrongRounds_staleFutureOrNotANumber_refusedNamingTheRound() throws Exception {
    Map<String, String> h = ServiceFixture.updateHeaders(0);
    refused(f.upload(a, 0, h, ok()), 409, "round 0 but round 1 is open");
    refused(f.upload(a, -3, h, ok()), 409, "round -3 but round 1 is open");
    refused(f.upload(a, 2, h, ok()), 409, "round 2 but round 1 is open");
    refused(f.upload(a, Integer.MAX_VALUE, h, ok()), 409, "but round 1 is open");
    refused(f.send(a.http(), "PUT", "/v1/rounds/abc/update", null, h, ok()), 400, "round must be an integer");
    refused(f.send(a.http(), "PUT", "/v1/rounds/99999999999/update", null, h, ok()), 400, "round must be an integer");
    refused(f.send(a.http(), "PUT", "/v1/rounds/1.0/update", null, h, ok()), 400, "round must be an integer");
    refused(f.post(a.http(), "/v1/rounds/abc/decline", null, "{\"reason\": \"cap\"}"), 400, "round must be an integer");
    refused(f.post(a.http(), Wire.decline(2), null, "{\"reason\": \"cap\"}"), 409, "round 2 but round 1 is open");
    refused(f.get(a.http(), Wire.ROUND + "?after=soon", null), 400, "after must be an integer");
  }

  @Test
  void unknownRoutesAndMethods_refused404Or405AsJson() throws Exception {
    refused(f.get(a.http(), "/v1/nothing-here", null), 404, "/v1/nothing-here");
    refused(f.get(f.anonymous, "/v2/status", f.operatorToken), 404, "/v2/status");
    refused(f.get(f.anonymous, "/../../etc/passwd", null), 404, "not found");
    refused(f.send(f.anonymous, "DELETE", Wire.STATUS, f.operatorToken, Map.of(), null), 405, "DELETE");
    refused(f.send(a.http(), "GET", Wire.update(1), null, Map.of(), null), 405, "GET");
    refused(f.send(a.http(), "PATCH", Wire.CLIENTS, null, Map.of(), "{}".getBytes()), 405, "PATCH");
  }

  @Test
  void enrolmentTokens_reusedForgedExpiredOrBogusCsr_refusedAndNothingEnrolled() throws Exception {
    KeyPair kp = CertificateAuthority.newKeyPair();
    refused(f.redeem(Tokens.generate(), kp), 401, "enrolment token is unknown, already used or expired");
    refused(f.redeem("", kp), 400, "token");
    refused(f.redeem("x".repeat(10_000), kp), 401, "enrolment token is unknown");
    String expired = Tokens.generate();
    Instant now = Instant.now();
    f.store.saveEnrolmentToken(new EnrolmentToken(Tokens.hash(expired), "silo-late", now.minusSeconds(7200),
        now.minusSeconds(1)));
    refused(f.redeem(expired, kp), 401, "expired");
    String token = f.issueToken("silo-new");
    String csrPem = Pem.csr(TestCerts.csr(kp, "silo-new"));
    String[] bogus = {"nonsense", "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n",
        "-----BEGIN CERTIFICATE REQUEST-----\n!!!!\n-----END CERTIFICATE REQUEST-----\n",
        Pem.certificate(f.ca), csrPem.substring(0, csrPem.length() / 2), csrPem.replace('A', 'B')};
    for (String csr : bogus) {
      HttpResponse<String> resp = f.post(f.anonymous, Wire.ENROL, null,
          new JsonObject().put("token", token).put("csr", csr).encode());
      refused(resp, 400, "csr");
    }
    // The token survived the bad CSRs; it works once, then never again.
    HttpResponse<String> ok = f.redeem(token, kp);
    assertEquals(201, ok.statusCode(), ok.body());
    before = f.snapshot();
    refused(f.redeem(token, CertificateAuthority.newKeyPair()), 401, "already used");
  }

  @Test
  void clientIds_illegalCharacters_refused400NamingTheId() throws Exception {
    String[] ids = {"../etc", "a b", "silo/1", "ünïcode", "-leading-dash", "x".repeat(65), "a\u0000b", "a;DROP TABLE"};
    for (String id : ids) {
      refused(f.post(f.anonymous, Wire.ADMIN_ENROLMENT_TOKENS, f.operatorToken,
          new JsonObject().put("client_id", id).encode()), 400, "client_id must match");
    }
    refused(f.post(f.anonymous, Wire.ADMIN_ENROLMENT_TOKENS, f.operatorToken, "{\"client_id\": \"\"}"), 400,
        "client_id must match");
    refused(f.post(f.anonymous, "/v1/admin/clients/a%20b/revoke", f.operatorToken, ""), 400, "client_id must match");
    // Dot segments are removed before routing: this is /v1/admin/revoke, which does not exist.
    refused(f.post(f.anonymous, "/v1/admin/clients/%2E%2E/revoke", f.operatorToken, ""), 404, "not found");
    refused(f.post(f.anonymous, "/v1/admin/clients/nobody/revoke", f.operatorToken, ""), 404, "no enrolled client");
  }

  @Test
  void longHeaderValues_refusedNamingTheHeaderOrSize() throws Exception {
    Map<String, String> h = ServiceFixture.updateHeaders(0);
    String long6k = "9".repeat(6000);
    refused(upload(with(h, Wire.HEADER_EXAMPLES, long6k), ok()), 400, Wire.HEADER_EXAMPLES);
    refused(upload(with(h, Wire.HEADER_SPEC_HASH, "f".repeat(6000)), ok()), 400, "spec hash");
    refused(f.get(f.anonymous, Wire.STATUS, "t".repeat(6000)), 401, "unknown bearer token");
    // Beyond the server's header size limit: refused before any route runs, still as JSON. (Sent
    // without a body: an upload whose headers are refused may have its connection closed with the
    // body unread, which a client can see as a reset instead of the 431 — timing-dependent.)
    refused(f.send(f.anonymous, "GET", Wire.STATUS, f.auditorToken, Map.of("X-Padding", "p".repeat(20_000)), null),
        431, "header");
    refused(f.get(f.anonymous, Wire.STATUS + "?x=" + "q".repeat(10_000), f.auditorToken), 414, "request line");
  }
}
