package org.hedgerow.coordinator;

import static org.hedgerow.coordinator.ServiceFixture.SPEC;
import static org.hedgerow.coordinator.ServiceFixture.assertRefused;
import static org.hedgerow.coordinator.ServiceFixture.filled;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.hedgerow.aggregation.wire.ParameterCodec;
import org.hedgerow.aggregation.wire.Wire;
import org.hedgerow.coordinator.ServiceFixture.Silo;
import org.hedgerow.coordinator.auth.CertificateAuthority;
import org.hedgerow.coordinator.auth.TestCerts;
import org.hedgerow.aggregation.wire.LedgerJson;
import org.hedgerow.coordinator.ledger.LedgerKey;
import org.hedgerow.privacy.crypto.Hex;
import org.hedgerow.privacy.ledger.LedgerEntry;
import org.hedgerow.privacy.ledger.LedgerVerifier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The coordinator run as a service over real HTTPS with mutual TLS: two silos enrol and train two
 * rounds; the auditor reads status, ledger and metrics; callers with the wrong role, no or a foreign
 * certificate, or a revoked one are refused with 401/403 and change nothing.
 */
class ServiceModeTlsTest {
  @TempDir Path dir;
  private ServiceFixture f;
  private Silo a;
  private Silo b;
  private final Map<String, SiloSpends> spends = Map.of("silo-a", new SiloSpends("silo-a"), "silo-b",
      new SiloSpends("silo-b"));

  @BeforeEach
  void start() throws Exception {
    f = new ServiceFixture(dir, 2, 2, false);
    a = f.enrol("silo-a");
    b = f.enrol("silo-b");
    assertEquals(201, f.join(a, spends.get("silo-a")).statusCode());
    assertEquals(201, f.join(b, spends.get("silo-b")).statusCode());
  }

  @AfterEach
  void stop() throws Exception {
    f.close();
  }

  /** Posts the silo's signed spend for {@code round}, then uploads naming it. */
  private HttpResponse<String> uploadWithSpend(Silo s, int round, int version, String examples, float[] delta)
      throws Exception {
    org.hedgerow.privacy.budget.SignedSpend spend = spends.get(s.id()).round(round);
    HttpResponse<String> posted = f.postSpends(s, SiloSpends.batch(spend));
    assertEquals(200, posted.statusCode(), posted.body());
    Map<String, String> h = ServiceFixture.updateHeaders(version, spend.spend().counter());
    h.put(Wire.HEADER_EXAMPLES, examples);
    return f.upload(s, round, h, ParameterCodec.encode(delta));
  }

  @Test
  void service_twoSilosTwoRoundsOverMutualTls_fedAvgStatusLedgerAndMetricsAgree() throws Exception {
    float[] m0 = f.model();
    HttpResponse<String> r = uploadWithSpend(a, 1, 0, "3", filled(1f));
    assertEquals(202, r.statusCode(), r.body());
    r = uploadWithSpend(b, 1, 0, "1", filled(4f));
    assertEquals(202, r.statusCode(), r.body());
    float[] m1 = f.model();
    for (int i = 0; i < m1.length; i++) {
      assertEquals(m0[i] + (3 * 1f + 1 * 4f) / 4, m1[i], 1e-6, "FedAvg of round 1, parameter " + i);
    }
    JsonObject round = new JsonObject(f.get(a.http(), Wire.ROUND, null).body());
    assertEquals(2, round.getInteger("round"));
    assertEquals(1, round.getInteger("model_version"));
    assertTrue(round.getBoolean("selected"), round.encode());
    assertEquals(202, uploadWithSpend(a, 2, 1, "1", filled(2f)).statusCode());
    assertEquals(202, uploadWithSpend(b, 2, 1, "1", filled(-2f)).statusCode());
    float[] m2 = f.model();
    for (int i = 0; i < m2.length; i++) {
      assertEquals(m1[i], m2[i], 1e-6, "FedAvg of round 2 (deltas cancel), parameter " + i);
    }

    JsonObject status = f.status();
    assertEquals(2, status.getInteger("completed_rounds"), status.encode());
    assertEquals(2, status.getInteger("target_rounds"));
    assertEquals("finished", status.getJsonObject("round").getString("state"));
    assertEquals(4, status.getJsonObject("privacy").getJsonArray("spends").size());

    HttpResponse<String> ledger = f.get(f.anonymous, Wire.LEDGER, f.auditorToken);
    assertEquals(200, ledger.statusCode(), ledger.body());
    byte[] keyFromHeader = Hex.decode(ledger.headers().firstValue("X-Hedgerow-Ledger-Key").orElseThrow());
    byte[] keyFromFile = LedgerKey.readHex(dir.resolve(LedgerKey.PUBLIC_FILE), keyFromHeader.length);
    assertEquals(Hex.encode(keyFromFile), Hex.encode(keyFromHeader));
    List<LedgerEntry> entries = LedgerJson.fromJsonLines(ledger.body());
    assertEquals(4, entries.size());
    LedgerVerifier.Report report = LedgerVerifier.verify(entries, keyFromFile, Map.of("silo-a",
        spends.get("silo-a").key.publicKey(), "silo-b", spends.get("silo-b").key.publicKey()));
    assertTrue(report.intact(), report.findings().toString());
    assertEquals(ledger.headers().firstValue("X-Hedgerow-Ledger-Head").orElseThrow(), report.head());
    assertEquals(2, report.holders().get("silo-a").links());
    assertTrue(report.holders().get("silo-a").signed());
    assertEquals(spends.get("silo-a").budget.epsilon(), report.holders().get("silo-a").reportedEpsilon());

    HttpResponse<String> metrics = f.get(f.anonymous, "/metrics", f.auditorToken);
    assertEquals(200, metrics.statusCode(), metrics.body());
    assertTrue(metrics.body().lines().anyMatch("hedgerow_rounds_completed_total 2"::equals), metrics.body());
    assertTrue(metrics.body().lines().anyMatch("hedgerow_updates_accepted_total 4"::equals), metrics.body());
  }

  @Test
  void wrongRole_clientOperatorAuditorOnEachOthersRoutes_refused403AndNothingChanges() throws Exception {
    String before = f.snapshot();
    assertRefused(f.get(a.http(), Wire.STATUS, null), 403, "operator or auditor role");
    assertRefused(f.get(a.http(), Wire.LEDGER, null), 403, "operator or auditor role");
    assertRefused(f.get(a.http(), "/metrics", null), 403, "operator or auditor role");
    assertRefused(f.post(a.http(), Wire.ADMIN_ENROLMENT_TOKENS, null,
        new JsonObject().put("client_id", "sneaky").encode()), 403, "operator role; the caller is client 'silo-a'");
    assertRefused(f.post(a.http(), Wire.revokeClient("silo-b"), null, ""), 403, "operator role");
    assertRefused(f.get(a.http(), Wire.ADMIN_CLIENTS, null), 403, "operator or auditor role");
    assertRefused(f.post(f.anonymous, Wire.ADMIN_ENROLMENT_TOKENS, f.auditorToken,
        new JsonObject().put("client_id", "sneaky").encode()), 403, "operator role; the caller is the auditor");
    assertRefused(f.post(f.anonymous, Wire.revokeClient("silo-a"), f.auditorToken, ""), 403, "the auditor");
    Map<String, String> ok = ServiceFixture.updateHeaders(0);
    byte[] body = ParameterCodec.encode(filled(1f));
    assertRefused(f.send(f.anonymous, "PUT", Wire.update(1), f.operatorToken, ok, body), 403,
        "client role; the caller is the operator");
    assertRefused(f.send(f.anonymous, "PUT", Wire.update(1), f.auditorToken, ok, body), 403, "client role");
    assertRefused(f.post(f.anonymous, Wire.CLIENTS, f.operatorToken, "{}"), 403, "client role");
    assertRefused(f.post(f.anonymous, Wire.decline(1), f.auditorToken, "{\"reason\": \"x\"}"), 403, "client role");
    assertEquals(before, f.snapshot());
  }

  @Test
  void unenrolled_noCertificateOrUnknownBearer_refused401OnClientRoutesAndNothingChanges() throws Exception {
    String before = f.snapshot();
    byte[] body = ParameterCodec.encode(filled(1f));
    for (String bearer : new String[] {null, "not-a-token", f.issueToken("silo-c")}) {
      String expected = bearer == null ? "no client certificate or bearer token" : "unknown bearer token";
      assertRefused(f.send(f.anonymous, "PUT", Wire.update(1), bearer, ServiceFixture.updateHeaders(0), body), 401,
          expected);
      assertRefused(f.post(f.anonymous, Wire.CLIENTS, bearer, "{}"), 401, expected);
      assertRefused(f.post(f.anonymous, Wire.decline(1), bearer, "{\"reason\": \"x\"}"), 401, expected);
      assertRefused(f.get(f.anonymous, Wire.ROUND, bearer), 401, expected);
      assertRefused(f.get(f.anonymous, Wire.MODEL_PARAMETERS, bearer), 401, expected);
      assertRefused(f.get(f.anonymous, Wire.STATUS, bearer), 401, expected);
      assertRefused(f.get(f.anonymous, Wire.LEDGER, bearer), 401, expected);
    }
    HttpResponse<String> metrics = f.get(f.anonymous, "/metrics", null);
    assertEquals(401, metrics.statusCode(), metrics.body());
    assertEquals(200, f.get(f.anonymous, Wire.HEALTH, null).statusCode());
    // The issued but unredeemed token for silo-c lists nobody new.
    String after = f.snapshot();
    assertEquals(before, after);
  }

  @Test
  void unenrolledCertificates_foreignCaOurCaNeverEnrolledOrNotJoined_refusedAndNothingChanges() throws Exception {
    String before = f.snapshot();
    byte[] body = ParameterCodec.encode(filled(100f));
    // A certificate from another CA, for the id of an enrolled silo: a forger impersonating it.
    CertificateAuthority rogue = CertificateAuthority.create("rogue CA", Duration.ofDays(1));
    KeyPair kp = CertificateAuthority.newKeyPair();
    X509Certificate forged = rogue.signClient(TestCerts.csr(kp, "x"), "silo-a", Duration.ofDays(1));
    Silo forger = new Silo("silo-a", kp, forged, null,
        ServiceFixture.http(TestCerts.context(f.ca, kp.getPrivate(), forged)));
    try {
      assertRefused(f.upload(forger, 1, ServiceFixture.updateHeaders(0), body), 401, "unknown client certificate");
    } catch (IOException e) {
      // the server's trust manager refused the certificate during the handshake
    }
    // Signed by our CA (a leaked CA key, or a certificate replaced by a later enrolment) but not on record.
    X509Certificate ghostCert = f.authority.signClient(TestCerts.csr(kp, "x"), "silo-a", Duration.ofDays(1));
    Silo ghost = new Silo("silo-a", kp, ghostCert, null,
        ServiceFixture.http(TestCerts.context(f.ca, kp.getPrivate(), ghostCert)));
    assertRefused(f.upload(ghost, 1, ServiceFixture.updateHeaders(0), body), 401, "unknown client certificate");
    assertRefused(f.post(ghost.http(), Wire.CLIENTS, null, "{}"), 401, "unknown client certificate");
    assertEquals(before, f.snapshot());
    // Enrolled after the federation filled up: known, but not a participant.
    Silo late = f.enrol("silo-late");
    String withLate = f.snapshot();
    assertRefused(f.upload(late, 1, ServiceFixture.updateHeaders(0), body), 403, "has not joined");
    assertRefused(f.post(late.http(), Wire.decline(1), null, "{\"reason\": \"x\"}"), 403, "has not joined");
    assertRefused(f.post(late.http(), Wire.CLIENTS, null, "{}"), 409, "takes no new participants");
    assertEquals(withLate, f.snapshot());
  }

  @Test
  void revoked_uploadAfterRevocation_refused401AndNothingChanges() throws Exception {
    HttpResponse<String> first = uploadWithSpend(b, 1, 0, "1", filled(1f));
    assertEquals(202, first.statusCode(), first.body());
    HttpResponse<String> rv = f.post(f.anonymous, Wire.revokeClient("silo-a"), f.operatorToken, "");
    assertEquals(200, rv.statusCode(), rv.body());
    assertTrue(new JsonObject(rv.body()).getBoolean("changed"));
    String before = f.snapshot();
    assertRefused(f.postSpends(a, SiloSpends.batch(spends.get("silo-a").round(1))), 401, "client 'silo-a' is revoked");
    assertRefused(f.upload(a, 1, ServiceFixture.updateHeaders(0, 0), ParameterCodec.encode(filled(50f))), 401,
        "client 'silo-a' is revoked");
    assertRefused(f.post(a.http(), Wire.CLIENTS, null, "{}"), 401, "revoked");
    assertRefused(f.post(a.http(), Wire.decline(1), null, "{\"reason\": \"x\"}"), 401, "revoked");
    assertRefused(f.get(a.http(), Wire.ROUND, null), 401, "revoked");
    // A fresh connection with the same certificate fares no better.
    HttpClient again = ServiceFixture.http(a.ssl());
    assertRefused(f.upload(new Silo(a.id(), a.keys(), a.cert(), a.ssl(), again), 1, ServiceFixture.updateHeaders(0),
        ParameterCodec.encode(filled(50f))), 401, "revoked");
    assertEquals(before, f.snapshot());
    JsonObject listed = f.clients().stream().map(JsonObject.class::cast)
        .filter(c -> c.getString("client_id").equals("silo-a")).findFirst().orElseThrow();
    assertTrue(listed.getString("revoked_at") != null, listed.encode());
    assertEquals(0, f.status().getJsonObject("round").getInteger("model_version"));
    assertEquals(1, f.status().getJsonObject("privacy").getJsonArray("spends").size());
  }

  @Test
  void upload_floodFromOneSilo_refused429NamingTheLimitOthersUnaffected() throws Exception {
    String before = f.snapshot();
    Map<String, String> stale = ServiceFixture.updateHeaders(7); // every one refused anyway: wrong model version
    byte[] body = ParameterCodec.encode(filled(1f));
    HttpResponse<String> last = null;
    int limited = 0;
    for (int i = 0; i < 2 * AccessControl.UPLOAD_BURST + 10 && limited == 0; i++) {
      last = f.upload(a, 1, stale, body);
      if (last.statusCode() == 429) {
        limited++;
      } else {
        assertRefused(last, 409, "model version 7");
      }
    }
    assertRefused(last, 429, "rate limit 'uploads' exceeded");
    assertTrue(last.headers().firstValue("Retry-After").isPresent());
    // The limit is per silo: b's upload goes through.
    assertEquals(202, f.upload(b, 1, ServiceFixture.updateHeaders(0), body).statusCode());
    assertEquals(before, f.snapshot());
  }
}
