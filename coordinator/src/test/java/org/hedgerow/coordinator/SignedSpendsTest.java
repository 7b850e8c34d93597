package org.hedgerow.coordinator;

import static org.hedgerow.coordinator.ServiceFixture.assertRefused;
import static org.hedgerow.coordinator.ServiceFixture.filled;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.hedgerow.aggregation.wire.LedgerJson;
import org.hedgerow.aggregation.wire.ParameterCodec;
import org.hedgerow.aggregation.wire.SpendJson;
import org.hedgerow.aggregation.wire.Wire;
import org.hedgerow.coordinator.ServiceFixture.Silo;
import org.hedgerow.coordinator.ledger.LedgerKey;
import org.hedgerow.privacy.budget.SignedSpend;
import org.hedgerow.privacy.budget.Spend;
import org.hedgerow.privacy.crypto.Ed25519;
import org.hedgerow.privacy.ledger.LedgerEntry;
import org.hedgerow.privacy.ledger.LedgerVerifier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /v1/spends} against a coordinator run as a service (mutual TLS) that declares local
 * DP: signed spends are recorded only when they are the caller's, signed with the identity key it
 * joined with, in counter order and with the accountant's ε; every refusal changes nothing; an
 * update needs a recorded spend of its round; the recorded spends and the ledger head survive a
 * restart on the same store.
 */
class SignedSpendsTest {
  @TempDir Path dir;
  private ServiceFixture f;
  private Silo a;
  private Silo b;
  private SiloSpends sa;
  private SiloSpends sb;

  @BeforeEach
  void start() throws Exception {
    f = new ServiceFixture(dir, 2, 2, true, CoordinatorOptions.PRIVACY_LOCAL, true);
    a = f.enrol("silo-a");
    b = f.enrol("silo-b");
    sa = new SiloSpends("silo-a");
    sb = new SiloSpends("silo-b");
    assertEquals(201, f.join(a, sa).statusCode());
    assertEquals(201, f.join(b, sb).statusCode());
  }

  @AfterEach
  void stop() throws Exception {
    f.close();
  }

  private static JsonObject answer(HttpResponse<String> r) {
    assertEquals(200, r.statusCode(), r.body());
    return new JsonObject(r.body());
  }

  /** Asserts the refusal and that the federation (status with spends, model, clients) did not change. */
  private void refusedUnchanged(String before, HttpResponse<String> r, int status, String keyword) throws Exception {
    assertRefused(r, status, keyword);
    assertEquals(before, f.snapshot(), "a refused request changed the federation: " + r.body());
  }

  @Test
  void postSpends_releaseThenRound_recordedInOrderAndIdempotentRepostAccepted() throws Exception {
    SignedSpend release = sa.release();
    SignedSpend round1 = sa.round(1);
    JsonObject first = answer(f.postSpends(a, SiloSpends.batch(release, round1)));
    assertEquals(2, first.getInteger("recorded"));
    assertEquals(2, first.getLong("next_counter"));
    String before = f.snapshot();
    JsonObject again = answer(f.postSpends(a, SiloSpends.batch(release, round1)));
    assertEquals(0, again.getInteger("recorded"), "a repost of recorded spends records nothing");
    assertEquals(2, again.getLong("next_counter"));
    assertEquals(before, f.snapshot());
    assertEquals(2, f.status().getJsonObject("privacy").getJsonArray("spends").size());
    assertEquals(List.of(release.spend(), round1.spend()), f.verticle.spends());
  }

  @Test
  void postSpends_unsignedOrAltered_refused400AndNothingChanges() throws Exception {
    String before = f.snapshot();
    SignedSpend release = sa.release();
    JsonObject unsigned = new JsonObject(SpendJson.toJson(release.spend()).toString()).put("public_key",
        org.hedgerow.privacy.crypto.Hex.encode(sa.key.publicKey()));
    refusedUnchanged(before, f.postSpends(a, new JsonObject().put("spends", new io.vertx.core.json.JsonArray()
        .add(unsigned)).encode()), 400, "missing field 'signature'");
    SignedSpend zeroSignature = new SignedSpend(release.spend(), sa.key.publicKey(), new byte[Ed25519.SIGNATURE_BYTES]);
    refusedUnchanged(before, f.postSpends(a, SiloSpends.batch(zeroSignature)), 400, "signature does not verify");
    Spend s = release.spend();
    Spend louder = new Spend(s.round(), s.holder(), s.mechanism(), s.noiseMultiplier() / 2, s.sampleRate(), s.steps(),
        s.epsilon(), s.delta(), s.cap(), s.clipNorm(), s.counter());
    SignedSpend altered = new SignedSpend(louder, release.publicKey(), release.signature());
    refusedUnchanged(before, f.postSpends(a, SiloSpends.batch(altered)), 400, "altered or not signed by the silo");
  }

  @Test
  void postSpends_foreignKeyOrAnotherSilosSpend_refused403AndNothingChanges() throws Exception {
    String before = f.snapshot();
    SiloSpends impostor = new SiloSpends("silo-a"); // same name, another key
    refusedUnchanged(before, f.postSpends(a, SiloSpends.batch(impostor.release())), 403,
        "is not the identity key 'silo-a' registered");
    refusedUnchanged(before, f.postSpends(a, SiloSpends.batch(sb.release())), 403,
        "belongs to 'silo-b', but the caller is 'silo-a'");
  }

  @Test
  void postSpends_gapOrEquivocation_refused409NamingTheCounter() throws Exception {
    SignedSpend release = sa.release();
    answer(f.postSpends(a, SiloSpends.batch(release)));
    sa.round(1); // charged at the silo, never posted
    SignedSpend round2 = sa.round(1); // counter 2
    String before = f.snapshot();
    refusedUnchanged(before, f.postSpends(a, SiloSpends.batch(round2)), 409,
        "leaves a gap: the next counter of 'silo-a' must be 1");
    SiloSpends other = new SiloSpends("silo-a", sa.key); // same key, a second budget: another counter 0
    other.budget.chargeGaussianRelease(Federation.RELEASE_MECHANISM, 2.0);
    refusedUnchanged(before, f.postSpends(a, SiloSpends.batch(other.log().get(0))), 409,
        "equivocation: counter 0 of 'silo-a' is already recorded with different content");
  }

  @Test
  void postSpends_epsilonNotTheAccountants_refused400NamingBothNumbers() throws Exception {
    Spend honest = sa.budget.chargeGaussianRelease(Federation.RELEASE_MECHANISM, 4.0);
    double reported = honest.epsilon() * 0.99;
    String before = f.snapshot();
    refusedUnchanged(before, f.postSpends(a, SiloSpends.batch(sa.sign(SiloSpends.withEpsilon(honest, reported)))), 400,
        "reports epsilon " + reported + " but the accountant gives " + honest.epsilon());
    Spend overCap = new Spend(1, "silo-a", Federation.ROUND_MECHANISM, 0.3, 1.0, 50, 0, 1e-5, 8, 1.0, 0);
    overCap = SiloSpends.withEpsilon(overCap,
        org.hedgerow.privacy.budget.SpendAccounting.epsilon(List.of(overCap), 1e-5));
    refusedUnchanged(before, f.postSpends(a, SiloSpends.batch(sa.sign(overCap))), 400, "exceeds the cap 8.0");
  }

  @Test
  void upload_declaredLocalDpWithoutRoundSpend_refused403AndNothingChanges() throws Exception {
    assertEquals("local", new JsonObject(f.get(a.http(), Wire.ROUND, null).body()).getString("privacy"));
    assertEquals("local", new JsonObject(f.get(a.http(), Wire.MODEL, null).body()).getString("privacy"));
    byte[] body = ParameterCodec.encode(filled(1f));
    answer(f.postSpends(a, SiloSpends.batch(sa.release())));
    String before = f.snapshot();
    refusedUnchanged(before, f.upload(a, 1, ServiceFixture.updateHeaders(0), body), 403,
        "this federation declares local DP: an update needs a signed spend for round 1 (POST /v1/spends first");
    refusedUnchanged(before, f.upload(a, 1, ServiceFixture.updateHeaders(0, 0), body), 403,
        "is a pre-training release, not a training round 1");
    refusedUnchanged(before, f.upload(a, 1, ServiceFixture.updateHeaders(0, 1), body), 403,
        "no recorded spend of 'silo-a' has counter 1");
    answer(f.postSpends(a, SiloSpends.batch(sa.round(1))));
    assertEquals(202, f.upload(a, 1, ServiceFixture.updateHeaders(0, 1), body).statusCode());
  }

  @Test
  void join_newIdentityKeyAfterSpends_refused409SameKeyAccepted() throws Exception {
    answer(f.postSpends(a, SiloSpends.batch(sa.release())));
    String before = f.snapshot();
    refusedUnchanged(before, f.join(a, new SiloSpends("silo-a")), 409,
        "budget log and identity key must be kept across restarts");
    assertEquals(201, f.join(a, sa).statusCode(), "a re-join with the same key is fine");
    assertEquals(201, f.join(b, new SiloSpends("silo-b")).statusCode(), "no spends yet: the new key is bound");
    assertRefused(f.postSpends(b, SiloSpends.batch(sb.release())), 403, "is not the identity key 'silo-b' registered");
  }

  @Test
  void restart_sameStore_keepsSpendsAndLedgerHead() throws Exception {
    answer(f.postSpends(a, SiloSpends.batch(sa.release(), sa.round(1))));
    assertEquals(202, f.upload(a, 1, ServiceFixture.updateHeaders(0, 1), ParameterCodec.encode(filled(1f)))
        .statusCode());
    answer(f.postSpends(b, SiloSpends.batch(sb.round(1))));
    assertEquals(202, f.upload(b, 1, ServiceFixture.updateHeaders(0, 0), ParameterCodec.encode(filled(3f)))
        .statusCode()); // closes round 1
    answer(f.postSpends(a, SiloSpends.batch(sa.round(2))));
    HttpResponse<String> ledger = f.ledger();
    assertEquals(200, ledger.statusCode(), ledger.body());
    String head = ledger.headers().firstValue("X-Hedgerow-Ledger-Head").orElseThrow();
    f.close();

    f = new ServiceFixture(dir, 2, 2, true, CoordinatorOptions.PRIVACY_LOCAL, false);
    HttpResponse<String> after = f.ledger();
    assertEquals(head, after.headers().firstValue("X-Hedgerow-Ledger-Head").orElseThrow(), "same ledger head");
    assertEquals(ledger.body(), after.body());
    List<LedgerEntry> entries = LedgerJson.fromJsonLines(after.body());
    assertEquals(4, entries.size());
    LedgerVerifier.Report report = LedgerVerifier.verify(entries,
        LedgerKey.readHex(dir.resolve(LedgerKey.PUBLIC_FILE), Ed25519.KEY_BYTES),
        Map.of("silo-a", sa.key.publicKey(), "silo-b", sb.key.publicKey()), Map.of("silo-a", sa.log()));
    assertTrue(report.intact(), report.findings().toString());
    // The restored log continues where it was: a repost is idempotent, the next counter is 3.
    assertEquals(3, answer(f.postSpends(a, SiloSpends.batch(sa.log().toArray(SignedSpend[]::new))))
        .getLong("next_counter"));
    assertEquals(202, f.upload(a, 2, ServiceFixture.updateHeaders(1, 2), ParameterCodec.encode(filled(1f)))
        .statusCode());
    assertRefused(f.join(a, new SiloSpends("silo-a")), 409, "must be kept across restarts");
  }
}
