package org.hedgerow.edge.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.LocalDateTime;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.hedgerow.edge.dp.DpConfig;
import org.hedgerow.edge.dp.SiloPrivacy;
import org.hedgerow.edge.dp.SiloRelease;
import org.hedgerow.privacy.budget.Spend;
import org.hedgerow.privacy.budget.SpendAccounting;
import org.hedgerow.privacy.noise.GaussianNoise;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SiloStateTest {
  private static final int CATALOGUE = 6;
  private static final int ROUNDS = 4;

  @TempDir Path tmp;
  private final AtomicInteger releasesComputed = new AtomicInteger();

  private Path dir() {
    return tmp.resolve("state");
  }

  /** A release over no customers: noise only, which is all these tests need. */
  private final Supplier<SiloRelease> newRelease = () -> {
    releasesComputed.incrementAndGet();
    return SiloRelease.compute(List.of(), CATALOGUE, LocalDateTime.of(2011, 12, 10, 0, 0), 4, 10, new GaussianNoise());
  };

  private static DpConfig config(double cap) {
    return new DpConfig(1, 1.0, 0.5, 5, 0.003, cap, 1e-5, 4, 10);
  }

  private SiloPrivacy resume(SiloState st, double cap, int remaining) {
    return st.resume("germany", config(cap), true, remaining, CATALOGUE, newRelease);
  }

  private static boolean posix(Path p) {
    return p.getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  @Test
  void open_newDirectory_createdOwnerOnlyWithOwnerOnlyIdentityKey() throws Exception {
    try (SiloState st = SiloState.open(dir())) {
      assertTrue(Files.isRegularFile(dir().resolve(SiloState.IDENTITY_FILE)));
      if (posix(tmp)) {
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir())));
        assertEquals("rw-------", PosixFilePermissions.toString(
            Files.getPosixFilePermissions(dir().resolve(SiloState.IDENTITY_FILE))));
      }
      assertEquals(65, Files.size(dir().resolve(SiloState.IDENTITY_FILE)), "64 hex digits and a newline");
    }
  }

  @Test
  void open_again_sameIdentityKey() {
    byte[] first;
    try (SiloState st = SiloState.open(dir())) {
      first = st.identity().publicKey();
    }
    try (SiloState st = SiloState.open(dir())) {
      assertArrayEquals(first, st.identity().publicKey());
    }
  }

  @Test
  void open_worldReadableDirectory_refusedNamingPathAndFix() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(posix(tmp));
    Files.createDirectories(dir(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    Files.setPosixFilePermissions(dir(), PosixFilePermissions.fromString("rwxr-xr-x"));
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> SiloState.open(dir()));
    assertTrue(e.getMessage().contains(dir().toString()) && e.getMessage().contains("chmod 700"), e.getMessage());
    assertFalse(Files.exists(dir().resolve(SiloState.IDENTITY_FILE)), "nothing created in a refused directory");
  }

  @Test
  void open_groupReadableIdentityKey_refusedNamingKeyAndFix() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(posix(tmp));
    SiloState.open(dir()).close();
    Path key = dir().resolve(SiloState.IDENTITY_FILE);
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r-----"));
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> SiloState.open(dir()));
    assertTrue(e.getMessage().contains(key.toString()) && e.getMessage().contains("chmod 600"), e.getMessage());
  }

  @Test
  void open_directoryInUse_refusedAsLockedUntilClosed() {
    try (SiloState first = SiloState.open(dir())) {
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> SiloState.open(dir()));
      assertTrue(e.getMessage().contains("in use by another hedgerow process"), e.getMessage());
      assertTrue(e.getMessage().contains(SiloState.LOCK_FILE), e.getMessage());
    }
    SiloState.open(dir()).close(); // released on close
  }

  @Test
  void open_identityKeyMissingBesideNonEmptyLog_refused() {
    try (SiloState st = SiloState.open(dir())) {
      resume(st, 8, ROUNDS);
    }
    dir().resolve(SiloState.IDENTITY_FILE).toFile().delete();
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> SiloState.open(dir()));
    assertTrue(e.getMessage().contains("is missing"), e.getMessage());
  }

  @Test
  void resume_freshState_savesReleaseThenChargesItAndCalibratesForAllRounds() {
    try (SiloState st = SiloState.open(dir())) {
      SiloPrivacy dp = resume(st, 8, ROUNDS);
      assertEquals(1, releasesComputed.get());
      assertTrue(st.savedRelease().isPresent());
      assertArrayEquals(dp.release().toBytes(), st.savedRelease().get().toBytes());
      List<Spend> log = st.log().entries().stream().map(s -> s.spend()).toList();
      assertEquals(List.of(SiloRelease.STATS_MECHANISM, SiloRelease.COUNT_MECHANISM),
          log.stream().map(Spend::mechanism).toList());
      // Same σ as a fresh calibration of the whole run (what the client did before state existed).
      DpConfig whole = DpConfig.calibrated(1.0, 0.5, 5, 0.003, 8, 1e-5, ROUNDS, 4, 10);
      assertEquals(whole.noiseMultiplier(), dp.config().noiseMultiplier());
    }
  }

  @Test
  void resume_afterRestart_epsilonContinuesNeverLowerAndReleaseReused() {
    double before;
    byte[] release;
    try (SiloState st = SiloState.open(dir())) {
      SiloPrivacy dp = resume(st, 8, ROUNDS);
      dp.chargeRound(1);
      before = dp.budget().epsilon();
      release = dp.release().toBytes();
    }
    try (SiloState st = SiloState.open(dir())) {
      SiloPrivacy dp = resume(st, 8, ROUNDS); // killed in round 1: round 1 comes again, 4 rounds remain
      assertEquals(1, releasesComputed.get(), "no new release");
      assertArrayEquals(release, dp.release().toBytes(), "the saved release is reused");
      assertEquals(before, dp.budget().epsilon(), "restored exactly");
      assertEquals(3, st.log().entries().size(), "nothing charged again at restart");
      double last = before;
      for (int r = 1; r <= ROUNDS; r++) {
        assertTrue(dp.refusal(r).isEmpty(), "recalibrated: every remaining round fits");
        double eps = dp.chargeRound(r).spend().epsilon();
        assertTrue(eps >= last, "epsilon never decreases");
        last = eps;
      }
      assertTrue(last <= 8, "under the cap: " + last);
      List<Spend> all = st.log().entries().stream().map(s -> s.spend()).toList();
      assertEquals(SpendAccounting.epsilon(all, 1e-5), last);
      assertEquals(2, all.stream().filter(Spend::isRelease).count(), "the release is charged once");
    }
  }

  @Test
  void resume_capChanged_refusedNamingTheOldCap() {
    try (SiloState st = SiloState.open(dir())) {
      resume(st, 4, ROUNDS).chargeRound(1);
    }
    try (SiloState st = SiloState.open(dir())) {
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> resume(st, 8, ROUNDS));
      assertTrue(e.getMessage().contains("cannot change by restarting") && e.getMessage().contains("--epsilon-cap 4.0"),
          e.getMessage());
    }
  }

  @Test
  void resume_otherSilo_refusedNamingTheOwner() {
    try (SiloState st = SiloState.open(dir())) {
      resume(st, 8, ROUNDS);
    }
    try (SiloState st = SiloState.open(dir())) {
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> st.resume("france", config(8), true, ROUNDS, CATALOGUE, newRelease));
      assertTrue(e.getMessage().contains("'germany'"), e.getMessage());
    }
  }

  @Test
  void resume_releaseSavedButNotCharged_chargesTheSavedOneBeforeUse() {
    SiloRelease saved = newRelease.get();
    try (SiloState st = SiloState.open(dir())) {
      st.saveRelease(saved); // then the process died before appending the charges
    }
    try (SiloState st = SiloState.open(dir())) {
      SiloPrivacy dp = resume(st, 8, ROUNDS);
      assertEquals(1, releasesComputed.get(), "not computed again");
      assertArrayEquals(saved.toBytes(), dp.release().toBytes());
      assertEquals(2, st.log().entries().size());
      assertTrue(dp.budget().epsilon() > 0);
    }
  }

  @Test
  void resume_releaseChargedButFileLostBeforeAnyRound_newReleaseChargedToo() throws Exception {
    double releaseOnly;
    try (SiloState st = SiloState.open(dir())) {
      releaseOnly = resume(st, 8, ROUNDS).budget().epsilon();
    }
    Files.delete(dir().resolve(SiloState.RELEASE_FILE));
    try (SiloState st = SiloState.open(dir())) {
      SiloPrivacy dp = resume(st, 8, ROUNDS);
      assertEquals(2, releasesComputed.get());
      assertEquals(4, dp.budget().releases().size(), "both releases count");
      assertTrue(dp.budget().epsilon() > releaseOnly);
      assertArrayEquals(dp.release().toBytes(), st.savedRelease().orElseThrow().toBytes());
    }
  }

  @Test
  void resume_releaseFileLostAfterRounds_refused() throws Exception {
    try (SiloState st = SiloState.open(dir())) {
      resume(st, 8, ROUNDS).chargeRound(1);
    }
    Files.delete(dir().resolve(SiloState.RELEASE_FILE));
    try (SiloState st = SiloState.open(dir())) {
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> resume(st, 8, ROUNDS));
      assertTrue(e.getMessage().contains(SiloState.RELEASE_FILE) && e.getMessage().contains("missing"),
          e.getMessage());
      assertEquals(1, releasesComputed.get());
    }
  }

  @Test
  void resume_fixedSigmaBudgetSpent_nextRoundDeclined() {
    DpConfig fixed = new DpConfig(1.0, 1.0, 0.5, 5, 0.003, 4, 1e-5, 4, 10);
    int charged = 0;
    try (SiloState st = SiloState.open(dir())) {
      SiloPrivacy dp = st.resume("germany", fixed, false, ROUNDS, CATALOGUE, newRelease);
      while (dp.refusal(charged + 1).isEmpty()) {
        dp.chargeRound(++charged);
      }
    }
    try (SiloState st = SiloState.open(dir())) {
      SiloPrivacy dp = st.resume("germany", fixed, false, ROUNDS, CATALOGUE, newRelease);
      assertEquals(charged, dp.budget().rounds());
      assertTrue(dp.refusal(charged + 1).orElseThrow().contains("declines round"));
      assertTrue(dp.budget().epsilon() <= 4);
    }
  }

  @Test
  void resume_otherCatalogueThanSavedRelease_refused() {
    try (SiloState st = SiloState.open(dir())) {
      resume(st, 8, ROUNDS);
    }
    try (SiloState st = SiloState.open(dir())) {
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> st.resume("germany", config(8), true, ROUNDS, CATALOGUE + 1, newRelease));
      assertTrue(e.getMessage().contains("catalogue"), e.getMessage());
    }
  }

  @Test
  void read_runningSilosDirectory_readsWithoutTheLock() {
    try (SiloState st = SiloState.open(dir())) {
      resume(st, 8, ROUNDS).chargeRound(1);
      SiloState.View v = SiloState.read(dir());
      assertEquals(3, v.entries().size());
      assertArrayEquals(st.identity().publicKey(), v.publicKey());
      assertNotEquals(0, v.entries().get(2).spend().epsilon());
    }
  }
}
