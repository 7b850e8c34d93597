package org.hedgerow.coordinator.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.hedgerow.aggregation.model.ModelSpec;
import org.hedgerow.aggregation.strategy.FedAvg;
import org.hedgerow.aggregation.strategy.FitConfig;
import org.hedgerow.aggregation.wire.ParameterCodec;
import org.hedgerow.coordinator.CoordinatorOptions;
import org.hedgerow.coordinator.Federation;
import org.hedgerow.coordinator.http.RejectedException;
import org.hedgerow.coordinator.auth.EnrolledClient;
import org.hedgerow.coordinator.auth.EnrolmentToken;
import org.hedgerow.privacy.budget.PrivacyBudget;
import org.hedgerow.privacy.budget.SignedSpend;
import org.hedgerow.privacy.budget.Spend;
import org.hedgerow.privacy.crypto.Ed25519;
import org.hedgerow.privacy.crypto.Ed25519KeyPair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JDBC store against SQLite, and PostgreSQL when {@code HEDGEROW_TEST_POSTGRES_URL} is set
 * (required under {@code CI=true}): migrations, identity, atomic round close, resume, duplicates
 * and credentials. Each test runs once per database.
 */
class JdbcCoordinatorStoreTest {
  private static final ModelSpec SPEC = new ModelSpec("test", List.of(2, 2, 1), "relu", "sigmoid", 0,
      "binary-cross-entropy", 1e-3);
  private static final CoordinatorOptions OPTIONS = CoordinatorOptions.of(SPEC, 3, 2, 7);

  @TempDir
  Path dir;

  private static FedAvg strategy() {
    return new FedAvg(new FitConfig(1, 8, 1));
  }

  private static byte[] delta(float v) {
    float[] d = new float[SPEC.parameterCount()];
    java.util.Arrays.fill(d, v);
    return ParameterCodec.encode(d);
  }

  private static final Ed25519KeyPair KEY_A = Ed25519.generateKeyPair(new java.security.SecureRandom());
  private static final Ed25519KeyPair KEY_B = Ed25519.generateKeyPair(new java.security.SecureRandom());

  /** A federation bound to a fresh store, with both clients joined and round 1 open, and their budgets. */
  private record Running(JdbcCoordinatorStore store, Federation federation, String tokenA, String tokenB,
      Map<String, PrivacyBudget> budgets) {
    /** Charges one round of {@code holder}'s budget, signs it and records it through the federation and store. */
    void spend(String holder, int round) {
      Spend s = round == 0 ? budgets.get(holder).chargeGaussianRelease(Federation.RELEASE_MECHANISM, 4.0)
          : budgets.get(holder).spend(round, Federation.ROUND_MECHANISM, 1.1, 0.05, 20, 1.0);
      SignedSpend signed = SignedSpend.sign(s, holder.equals("a") ? KEY_A : KEY_B);
      Federation.PendingSpends p = federation.prepareSpends(federation.participant(holder).orElseThrow(),
          List.of(signed));
      store.recordSpends(p.toStore()).join();
      federation.spendsRecorded(p);
    }
  }

  private static Running start(StoreLocation at) {
    JdbcCoordinatorStore store = JdbcCoordinatorStore.open(at);
    Federation f = new Federation(OPTIONS, strategy());
    f.readBodiesWith(store.updateBodies());
    assertNull(store.open(f.identity(), f.model(), f.strategy().state()));
    Federation.PendingJoin a = f.prepareRegister("a", KEY_A.publicKey(), 1);
    Federation.PendingJoin b = f.prepareRegister("b", KEY_B.publicKey(), 2);
    store.join(a.participant(), a.credential()).join();
    f.joined(a);
    store.join(b.participant(), b.credential()).join();
    f.joined(b);
    Transition t = f.dueTransition(3).orElseThrow();
    store.transition(t).join();
    f.apply(t);
    return new Running(store, f, a.client().token(), b.client().token(),
        Map.of("a", new PrivacyBudget("a", 8, 1e-5), "b", new PrivacyBudget("b", 8, 1e-5)));
  }

  private static boolean upload(Running r, String token, float v, String uploadId) {
    Federation f = r.federation();
    Federation.Client c = f.tokens().authenticate("Bearer " + token);
    Federation.Admission adm = f.admit(c, f.round(), f.modelVersion(), SPEC.hash(), 2, delta(v), 1.0, 0.5,
        uploadId, 10);
    if (adm.alreadyAccepted()) {
      return false;
    }
    assertTrue(r.store().saveUpdate(adm.pending().stored()).join());
    return f.accepted(adm.pending());
  }

  private static void close(Running r) {
    RoundClose c = r.federation().prepareClose(20);
    r.store().closeRound(c).join();
    r.federation().closed(c);
  }

  @Test
  void migrations_reopened_appliedOnceAndIdempotent() throws Exception {
    for (StoreLocation at : TestStores.fresh(dir)) {
      try (JdbcCoordinatorStore s = JdbcCoordinatorStore.open(at)) {
        assertEquals(JdbcCoordinatorStore.knownMigrations(), s.appliedMigrations(), at.toString());
      }
      try (JdbcCoordinatorStore s = JdbcCoordinatorStore.open(at)) {
        assertEquals(Map.of(1, "V1__initial.sql", 2, "V2__signed_silo_spends.sql", 3, "V3__upload_hash.sql",
            4, "V4__update_body_files.sql", 5, "V5__distributed_spend_parameters.sql", 6, "V6__body_checksum.sql"),
            s.appliedMigrations(), at.toString());
        assertEquals(6, s.count("schema_migrations"), at.toString());
      }
    }
  }

  @Test
  void open_differentFederation_refusedNamingTheDifference() throws Exception {
    for (StoreLocation at : TestStores.fresh(dir)) {
      Federation f = new Federation(OPTIONS, strategy());
      try (JdbcCoordinatorStore s = JdbcCoordinatorStore.open(at)) {
        assertNull(s.open(f.identity(), f.model(), new byte[0]));
      }
      Federation other = new Federation(CoordinatorOptions.of(SPEC, 5, 2, 8), strategy());
      try (JdbcCoordinatorStore s = JdbcCoordinatorStore.open(at)) {
        StoreException e = assertThrows(StoreException.class, () -> s.open(other.identity(), other.model(), new byte[0]));
        assertTrue(e.getMessage().contains("different federation"), e.getMessage());
        assertTrue(e.getMessage().contains("target rounds: store has 3, this run 5"), e.getMessage());
        assertTrue(e.getMessage().contains("seed: store has 7, this run 8"), e.getMessage());
        assertNotNull(s.open(f.identity(), f.model(), new byte[0]), "the original federation still opens");
      }
    }
  }

  @Test
  void closeRound_failingMidway_changesNothing() throws Exception {
    for (StoreLocation at : TestStores.fresh(dir)) {
      Running r = start(at);
      try (JdbcCoordinatorStore s = r.store()) {
        upload(r, r.tokenA(), 1f, "u-a");
        upload(r, r.tokenB(), 2f, "u-b");
        RoundClose good = r.federation().prepareClose(20);
        // The same coordinator spend twice violates the ledger's key after the model and round rows were written.
        StoredSpend own = StoredSpend.coordinator(0,
            new PrivacyBudget("coordinator", 8, 1e-5).spend(1, "central-gaussian", 2, 1, 1, 1.0));
        RoundClose bad = new RoundClose(good.round(), good.record(), good.modelVersion(), good.parameters(),
            good.strategyState(), List.of(own, own), null, good.next());
        assertThrows(Exception.class, () -> s.closeRound(bad).join());
        assertEquals(1, s.count("model_versions"), at.toString());
        assertEquals(0, s.count("spends"), at.toString());
        assertEquals(2, s.storedUpdateBodies(), at.toString());
        Federation resumed = Federation.resume(OPTIONS, strategy(), s.open(r.federation().identity(), null, null));
        assertEquals(1, resumed.round(), at.toString());
        assertEquals(0, resumed.modelVersion(), at.toString());
        assertEquals(2, resumed.updatesThisRound(), at.toString());
        s.closeRound(good).join();
        assertEquals(2, s.count("model_versions"), at.toString());
        assertEquals(0, s.storedUpdateBodies(), "closing drops the round's bodies");
      }
    }
  }

  @Test
  void uploadHash_reopenedStore_sameIdSameHashDuplicateOtherHash409() throws Exception {
    for (StoreLocation at : TestStores.fresh(dir)) {
      Running r = start(at);
      Federation f = r.federation();
      try (JdbcCoordinatorStore s = r.store()) {
        Federation.Client a = f.tokens().authenticate("Bearer " + r.tokenA());
        Federation.Admission adm = f.admit(a, 1, 0, SPEC.hash(), 2, delta(1f), 0, 0, "u-1", "hash-1", 10);
        assertTrue(s.saveUpdate(adm.pending().stored()).join());
        f.accepted(adm.pending());
        Federation g = Federation.resume(OPTIONS, strategy(), s.open(f.identity(), null, null));
        Federation.Client ga = g.tokens().authenticate("Bearer " + r.tokenA());
        assertTrue(g.admit(ga, 1, 0, SPEC.hash(), 2, delta(1f), 0, 0, "u-1", "hash-1", 20).alreadyAccepted(),
            at.toString());
        RejectedException e = assertThrows(RejectedException.class,
            () -> g.admit(ga, 1, 0, SPEC.hash(), 2, delta(2f), 0, 0, "u-1", "hash-2", 20));
        assertEquals(409, e.status(), at.toString());
        assertTrue(e.getMessage().contains("upload id 'u-1'"), e.getMessage());
        // Rows without a hash (stored before schema version 3) are recognised by their id alone.
        assertTrue(g.admit(ga, 1, 0, SPEC.hash(), 2, delta(1f), 0, 0, "u-1", null, 20).alreadyAccepted());
      }
    }
  }

  @Test
  void resume_midRound_rebuildsIdenticalState() throws Exception {
    for (StoreLocation at : TestStores.fresh(dir)) {
      Running r = start(at);
      Federation f = r.federation();
      try (JdbcCoordinatorStore s = r.store()) {
        r.spend("a", 0);
        r.spend("a", 1);
        upload(r, r.tokenA(), 1f, "r1-a");
        r.spend("b", 1);
        assertTrue(upload(r, r.tokenB(), 3f, "r1-b"));
        close(r);
        r.spend("a", 2);
        upload(r, r.tokenA(), -1f, "r2-a");
        StoredDecline d = f.prepareDecline(f.participant("b").orElseThrow(), 2, "over its cap", 7.9, 8, 30);
        s.decline(d).join();
        f.declined(d);
        Federation g = Federation.resume(OPTIONS, strategy(), s.open(f.identity(), null, null));
        assertEquals(f.phase(), g.phase(), at.toString());
        assertEquals(f.round(), g.round());
        assertEquals(f.modelVersion(), g.modelVersion());
        assertArrayEquals(f.model(), g.model());
        assertEquals(4, g.spends().size(), at.toString());
        assertEquals(f.spends(), g.spends());
        assertEquals(f.ledger(), g.ledger());
        assertEquals(f.siloLog("a"), g.siloLog("a"));
        assertEquals(3, g.siloLog("a").size());
        assertEquals(f.history(), g.history());
        assertEquals(f.declined(), g.declined());
        assertEquals(f.updatesThisRound(), g.updatesThisRound());
        assertEquals(f.participants(), g.participants());
        assertTrue(g.roundComplete(), "a's update is in and b declined: round 2 may close");
        // The same tokens work, a retried upload is recognised, a new one refused.
        Federation.Client a = g.tokens().authenticate("Bearer " + r.tokenA());
        assertTrue(g.admit(a, 2, 1, SPEC.hash(), 2, delta(-1f), 0, 0, "r2-a", 40).alreadyAccepted());
        assertTrue(g.admit(a, 1, 0, SPEC.hash(), 2, delta(1f), 0, 0, "r1-a", 40).alreadyAccepted());
        RejectedException e = assertThrows(RejectedException.class,
            () -> g.admit(a, 2, 1, SPEC.hash(), 2, delta(-1f), 0, 0, "another", 40));
        assertTrue(e.getMessage().contains("already accepted"), e.getMessage());
        e = assertThrows(RejectedException.class,
            () -> g.admit(a, 1, 0, SPEC.hash(), 2, delta(1f), 0, 0, "another", 40));
        assertEquals(409, e.status());
        // Both close round 2 to the same model.
        RoundClose cf = f.prepareClose(50);
        RoundClose cg = g.prepareClose(50);
        assertArrayEquals(cf.parameters(), cg.parameters());
        assertEquals(cf.coordinatorSpends(), cg.coordinatorSpends());
        // The restored logs continue: the next counter of a is 3, an equivocating counter is refused.
        Federation.Client ga = g.participant("a").orElseThrow();
        SignedSpend again = SignedSpend.sign(r.budgets().get("a").log().get(2), KEY_A);
        assertEquals(3, g.prepareSpends(ga, List.of(again)).nextCounter(), "an idempotent repost after the restart");
        Spend forged = new PrivacyBudget("a", 8, 1e-5).spend(1, Federation.ROUND_MECHANISM, 1.1, 0.05, 20, 1.0);
        e = assertThrows(RejectedException.class, () -> g.prepareSpends(ga, List.of(SignedSpend.sign(forged, KEY_A))));
        assertTrue(e.getMessage().contains("equivocation: counter 0"), e.getMessage());
      }
    }
  }

  @Test
  void recordSpends_duplicateCounter_failsAndStoresNothing() throws Exception {
    for (StoreLocation at : TestStores.fresh(dir)) {
      Running r = start(at);
      try (JdbcCoordinatorStore s = r.store()) {
        r.spend("a", 0);
        SignedSpend first = r.federation().siloLog("a").get(0);
        SignedSpend next = SignedSpend.sign(r.budgets().get("a").spend(1, Federation.ROUND_MECHANISM, 1.1, 0.05, 20,
            1.0), KEY_A);
        // One new spend and one already stored: the whole batch fails, the new one is not kept.
        assertThrows(Exception.class, () -> s.recordSpends(List.of(StoredSpend.silo(7, next),
            StoredSpend.silo(8, first))).join());
        assertEquals(1, s.count("silo_spends"), at.toString());
        assertEquals(List.of(StoredSpend.silo(0, first)), s.ledger(), at.toString());
      }
    }
  }

  @Test
  void join_sameClientNewIdentityKey_storedKeyReplaced() throws Exception {
    for (StoreLocation at : TestStores.fresh(dir)) {
      Running r = start(at);
      try (JdbcCoordinatorStore s = r.store()) {
        s.join(new StoredParticipant("a", "a", 99, KEY_B.publicKey()), null).join();
        s.join(new StoredParticipant("a", "a", 100, null), null).join(); // a join without a key keeps it
        StoredState st = s.open(r.federation().identity(), null, null);
        StoredParticipant a = st.participants().stream().filter(p -> p.clientId().equals("a")).findFirst()
            .orElseThrow();
        assertArrayEquals(KEY_B.publicKey(), a.identityKey(), at.toString());
        assertEquals(1, a.joinedAtMillis(), "the join time stays the first one");
      }
    }
  }

  @Test
  void saveUpdate_duplicateOrClosedRound_notStored() throws Exception {
    for (StoreLocation at : TestStores.fresh(dir)) {
      Running r = start(at);
      try (JdbcCoordinatorStore s = r.store()) {
        StoredUpdate u = new StoredUpdate(1, "a", "x", 0, 0, 1, delta(1f), 0, Double.NaN, 1);
        assertTrue(s.saveUpdate(u).join(), at.toString());
        assertFalse(s.saveUpdate(u).join(), "second update of a client in a round");
        assertFalse(s.saveUpdate(new StoredUpdate(9, "a", "y", 0, 0, 1, delta(1f), 0, 0, 1)).join(),
            "a round that never opened");
        assertEquals(1, s.count("updates"));
      }
    }
  }

  @Test
  void saveUpdate_manyConcurrent_allStoredInGroupCommits() throws Exception {
    for (StoreLocation at : TestStores.fresh(dir)) {
      Running r = start(at);
      try (JdbcCoordinatorStore s = r.store()) {
        List<CompletableFuture<Boolean>> all = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
          all.add(s.saveUpdate(new StoredUpdate(1, "c" + i, "u" + i, i, 0, 1, delta(i), 0, 0, 1)));
        }
        for (CompletableFuture<Boolean> f : all) {
          assertTrue(f.join(), at.toString());
        }
        assertEquals(200, s.storedUpdateBodies(), at.toString());
      }
    }
  }

  @Test
  void credentials_tokenRedeemedOnceExpiredRefusedRevocation() throws Exception {
    for (StoreLocation at : TestStores.fresh(dir)) {
      try (JdbcCoordinatorStore s = JdbcCoordinatorStore.open(at)) {
        Instant now = Instant.ofEpochMilli(1_000_000);
        s.saveEnrolmentToken(new EnrolmentToken("h1", "silo-1", now, now.plusSeconds(60)));
        s.saveEnrolmentToken(new EnrolmentToken("h2", "silo-2", now, now.plusSeconds(60)));
        assertThrows(IllegalStateException.class, () -> s.redeemEnrolmentToken("h1", now, id -> {
          throw new IllegalStateException("signing failed");
        }));
        Optional<EnrolledClient> c = s.redeemEnrolmentToken("h1", now,
            id -> new EnrolledClient(id, "fp1", null, now, null));
        assertEquals("silo-1", c.orElseThrow().clientId(), "a failed enrol leaves the token usable");
        assertTrue(s.redeemEnrolmentToken("h1", now, id -> new EnrolledClient(id, "fp9", null, now, null)).isEmpty(),
            "used once");
        assertTrue(s.redeemEnrolmentToken("h2", now.plusSeconds(61),
            id -> new EnrolledClient(id, "fp2", null, now, null)).isEmpty(), "expired");
        assertTrue(s.redeemEnrolmentToken("nope", now, id -> new EnrolledClient(id, "x", null, now, null)).isEmpty());
        assertEquals("silo-1", s.clientByCertificateFingerprint("fp1").orElseThrow().clientId());
        assertTrue(s.revoke("silo-1", now.plusSeconds(5)));
        assertFalse(s.revoke("silo-1", now.plusSeconds(6)), "already revoked");
        assertTrue(s.client("silo-1").orElseThrow().revoked());
        assertEquals(1, s.clients().size());
        assertTrue(s.clientByBearerTokenHash("h1").isEmpty());
      }
    }
  }

  @Test
  void location_parse_formsAndClearErrors() {
    StoreLocation pg = StoreLocation.parse("postgresql://u:s3cret@db.example:5433/hedge");
    assertEquals("jdbc:postgresql://db.example:5433/hedge", pg.jdbcUrl());
    assertEquals("u", pg.user());
    assertEquals("s3cret", pg.password());
    assertFalse(pg.toString().contains("s3cret"));
    assertEquals(StoreLocation.Kind.POSTGRESQL, StoreLocation.parse("jdbc:postgresql://h/db?user=u").kind());
    StoreLocation sq = StoreLocation.parse("sqlite:/tmp/x.db?synchronous=normal");
    assertEquals("NORMAL", sq.sqliteSynchronous());
    assertEquals("FULL", StoreLocation.parse("sqlite:x.db").sqliteSynchronous());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> StoreLocation.parse("mysql://u:pw@h/db"));
    assertTrue(e.getMessage().contains("sqlite:PATH") && e.getMessage().contains("u:***@h"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> StoreLocation.parse("sqlite:"));
    assertThrows(IllegalArgumentException.class, () -> StoreLocation.parse("sqlite:x.db?synchronous=off"));
    assertThrows(IllegalArgumentException.class, () -> StoreLocation.parse("postgresql://host-only"));
  }

  @Test
  void postgres_underCi_isConfigured() {
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      assertNotNull(TestStores.postgres(), TestStores.POSTGRES_ENV + " must be set under CI=true");
    }
  }
}
