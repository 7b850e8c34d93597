package org.hedgerow.coordinator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.hedgerow.aggregation.wire.Wire;
import org.hedgerow.coordinator.auth.StateDirectory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 5's crash criterion: {@code kill -9} at random moments, 10 trials; every run completes all
 * its rounds, no update is lost or counted twice, the privacy spends equal an uninterrupted run's.
 *
 * <p>Each trial runs a coordinator child process as a service (TLS off, enrolled silos with bearer
 * tokens, SQLite store) and three {@link RetryingFakeSilo}s for four rounds, while this thread kills
 * the child 1–3 times at moments drawn uniformly over the uninterrupted run's duration (from a
 * {@link Random} seeded per trial) and restarts it on the same store and port. Run time counts from
 * the silos' start and, after each restart, again from the moment they reach the restarted child:
 * the outage itself (JVM start, the silos' backoff) is not run time. Per trial: all rounds completed, the final model bit-identical to the uninterrupted
 * reference run's, the recorded spends and every round's client and example counts equal to it. A
 * run that completes before its first kill moment (runs vary in speed) is checked the same way but
 * not counted as a trial: another seed is drawn, so that 10 trials each had at least one kill.
 *
 * <p>The trial seeds start from a random base printed with every trial; {@code
 * -Dhedgerow.crash.seed=S -Dhedgerow.crash.trials=1} repeats the kill points of the trial with seed S
 * (not the exact interleaving: it depends on the machine's timing).
 */
@Tag("slow")
class CoordinatorCrashResumeRandomTrialsTest {
  private static final int ROUNDS = 4;
  private static final int CLIENTS = 3;
  private static final long FEDERATION_SEED = 11;
  /** Spreads a round's uploads apart so that kills also land between them. */
  private static final long TRAIN_MILLIS = 30;
  private static final int TRIALS = Integer.getInteger("hedgerow.crash.trials", 10);
  private static final long TRIAL_TIMEOUT_SECONDS = 120;

  @TempDir
  static Path dir;
  private static Path stateDir;
  private static String operatorToken;
  private static Outcome reference;
  private static final HttpClient http = HttpClient.newHttpClient();

  /** Where a kill landed: a coarse phase for the summary and the silos' detailed state. */
  record Kill(long atMillis, String phase, String detail) {
    @Override
    public String toString() {
      return "@" + atMillis + " ms " + phase + " [" + detail + "]";
    }
  }

  /** Decides when to interrupt the coordinator. */
  private interface Trigger {
    boolean due(long millisSinceActive, List<RetryingFakeSilo> silos);
  }

  private record Outcome(byte[] model, List<Map<String, Object>> spends, List<List<Object>> rounds, JsonObject status,
      long runMillis, List<Kill> kills, int starts, int duplicates, int retries, List<Integer> acknowledged,
      List<Integer> exitCodes) {}

  @BeforeAll
  static void uninterruptedReference() throws Exception {
    stateDir = dir.resolve("state");
    StateDirectory.init(stateDir, List.of());
    operatorToken = StateDirectory.readToken(stateDir.resolve(StateDirectory.OPERATOR_TOKEN));
    // Two uninterrupted runs: they must agree (the run is deterministic), and the second, run with
    // this JVM warmed up like the trials' runs, gives the run time over which kills are drawn.
    Outcome first = run("reference-1", List.of(), false);
    reference = run("reference-2", List.of(), false);
    assertEquals(ROUNDS, reference.status().getInteger("completed_rounds"), reference.status().encodePrettily());
    assertEquals(ROUNDS * CLIENTS, reference.spends().size(), reference.spends().toString());
    assertArrayEquals(first.model(), reference.model(), "two uninterrupted runs end with the same model");
    assertEquals(first.spends(), reference.spends(), "two uninterrupted runs record the same spends");
    assertEquals(first.rounds(), reference.rounds(), "two uninterrupted runs count the same updates");
    System.out.printf("crash trials: uninterrupted runs took %d ms and %d ms%n", first.runMillis(),
        reference.runMillis());
  }

  @Test
  void killedAtRandomMoments_tenTrials_everyRunMatchesTheUninterruptedOne() throws Exception {
    long base = Long.getLong("hedgerow.crash.seed", new SecureRandom().nextLong());
    Map<String, Integer> phases = new TreeMap<>();
    int landed = 0;
    int duplicates = 0;
    int skipped = 0;
    long t0 = System.nanoTime();
    for (int t = 0, attempt = 0; t < TRIALS; attempt++) {
      if (attempt >= 3 * TRIALS) {
        fail("only " + t + " of " + attempt + " trials had a kill land before the run completed (seeds from " + base
            + "); the kill moments are drawn over " + reference.runMillis() + " ms");
      }
      long seed = base + attempt;
      Random rnd = new Random(seed);
      int n = 1 + rnd.nextInt(3);
      // n moments uniform over the run's progress: sorted points in the uninterrupted run's duration,
      // each waited for as the run's time since the previous restart (outages do not count).
      List<Long> points = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        points.add((long) (rnd.nextDouble() * reference.runMillis()));
      }
      points.sort(null);
      List<Trigger> triggers = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        long delay = points.get(i) - (i == 0 ? 0 : points.get(i - 1));
        triggers.add((since, silos) -> since >= delay);
      }
      Outcome o = run("kill-" + attempt, triggers, false);
      String context = "trial " + (t + 1) + " of " + TRIALS + ", seed " + seed + " (repeat with -Dhedgerow.crash.seed="
          + seed + " -Dhedgerow.crash.trials=1), kill points " + points + " ms of run time, kills " + o.kills();
      assertMatchesReference(o, context);
      if (o.kills().stream().allMatch(k -> k.phase().startsWith("missed"))) {
        // The run was quicker than the reference: no kill landed, so this was no trial; draw again.
        skipped++;
        System.out.printf("crash attempt seed %d: the run completed in %d ms before its first kill moment; not counted%n",
            seed, o.runMillis());
        continue;
      }
      t++;
      for (Kill k : o.kills()) {
        phases.merge(k.phase(), 1, Integer::sum);
        landed += k.phase().startsWith("missed") ? 0 : 1;
      }
      duplicates += o.duplicates();
      System.out.printf("crash trial %d seed %d: %d ms, %d starts, %d duplicate answers, %d retries, kills %s%n",
          t, seed, o.runMillis(), o.starts(), o.duplicates(), o.retries(), o.kills());
    }
    System.out.printf("crash trials: %d trials (%d more drawn in which no kill landed), %d kills landed, by phase %s, "
        + "%d uploads answered as duplicates, %.1f s%n", TRIALS, skipped, landed, phases, duplicates,
        (System.nanoTime() - t0) / 1e9);
  }

  @Test
  void sigtermWhileTheClosingUploadIsInFlight_restart_losesNothing() throws Exception {
    // From round 2 on, the moment the round's last upload is in flight while the other silos, their
    // updates acknowledged, wait in long polls: shutdown must answer the polls, let the upload finish
    // (its answer waits for the round's close) and leave a store the restart resumes from.
    Trigger midRound = (since, silos) -> silos.stream().anyMatch(s -> s.round() >= 2
        && s.phase() == RetryingFakeSilo.Phase.UPLOADING && silos.stream().filter(o -> o != s)
        .allMatch(o -> o.acknowledgedRound() == s.round()));
    Outcome o = run("sigterm", List.of(midRound), true);
    String context = "SIGTERM at " + o.kills();
    assertFalse(o.kills().get(0).phase().startsWith("missed"), context);
    assertEquals(List.of(143), o.exitCodes(), "exit status after SIGTERM (128 + 15): " + context);
    assertMatchesReference(o, context);
    System.out.printf("sigterm trial: %d ms, %d starts, %d duplicate answers, %d retries, at %s%n", o.runMillis(),
        o.starts(), o.duplicates(), o.retries(), o.kills());
  }

  private static void assertMatchesReference(Outcome o, String context) {
    JsonObject status = o.status();
    assertEquals(ROUNDS, status.getInteger("completed_rounds"), "completed rounds; " + context);
    assertEquals("finished", status.getJsonObject("round").getString("state"), "state; " + context);
    assertEquals(ROUNDS, status.getJsonObject("round").getInteger("model_version"), "model version; " + context);
    assertEquals(0, status.getInteger("aborted_rounds"), "aborted rounds; " + context);
    assertEquals(List.of(ROUNDS, ROUNDS, ROUNDS), o.acknowledged(), "last round each silo saw acknowledged; " + context);
    assertEquals(reference.rounds(), o.rounds(), "clients and examples counted per round; " + context);
    assertEquals(reference.spends(), o.spends(), "privacy spends; " + context);
    assertArrayEquals(reference.model(), o.model(), "final model bit-identical to the uninterrupted run's; " + context);
  }

  /** One federation run, interrupted at each trigger in turn (SIGKILL, or SIGTERM if {@code sigterm}). */
  private static Outcome run(String name, List<Trigger> triggers, boolean sigterm) throws Exception {
    Path db = dir.resolve(name + ".db");
    Path log = dir.resolve(name + ".log");
    ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
    try (CrashTestProcess p = new CrashTestProcess(db, stateDir, log, ROUNDS, CLIENTS, FEDERATION_SEED)) {
      p.start();
      AtomicLong lastAnswer = new AtomicLong();
      List<RetryingFakeSilo> silos = new ArrayList<>();
      for (int i = 0; i < CLIENTS; i++) {
        String silo = "silo-" + (char) ('a' + i);
        silos.add(new RetryingFakeSilo(silo, i, enrol(p.base(), silo), p.base(), TRAIN_MILLIS * (i + 1), lastAnswer));
      }
      long t0 = System.nanoTime();
      List<Future<Void>> running = new ArrayList<>();
      silos.forEach(s -> running.add(pool.submit(s)));
      List<Kill> kills = new ArrayList<>();
      List<Integer> exitCodes = new ArrayList<>();
      long activeSince = t0;
      long deadline = t0 + TimeUnit.SECONDS.toNanos(TRIAL_TIMEOUT_SECONDS);
      for (Trigger trigger : triggers) {
        while (!allDone(running) && !trigger.due((System.nanoTime() - activeSince) / 1_000_000, silos)) {
          checkDeadline(deadline, silos, name);
          Thread.sleep(1);
        }
        long at = (System.nanoTime() - t0) / 1_000_000;
        if (allDone(running)) {
          kills.add(new Kill(at, "missed: the run had completed", ""));
          continue;
        }
        Kill k = where(at, silos, p);
        if (sigterm) {
          exitCodes.add(p.terminate(30));
          // A clean close checkpoints SQLite's write-ahead log into the database and removes it.
          Path journal = Path.of(db + "-journal");
          assertFalse(Files.exists(journal) && Files.size(journal) > 0,
              "SIGTERM closed the store: no hot journal left, at " + k);
        } else {
          p.kill();
        }
        kills.add(k);
        long restarted = System.nanoTime();
        p.start();
        // The next delay counts from when the silos reach the new process (they may be backing off).
        while (!allDone(running) && lastAnswer.get() - restarted < 0) {
          checkDeadline(deadline, silos, name);
          Thread.sleep(2);
        }
        activeSince = System.nanoTime();
      }
      for (Future<Void> f : running) {
        try {
          f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
          throw new AssertionError(name + ": a silo failed (kills " + kills + "): " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
          fail(name + ": the run did not complete within " + TRIAL_TIMEOUT_SECONDS + " s (kills " + kills + "); silos "
              + describe(silos) + "; coordinator log " + log);
        }
      }
      long runMillis = (System.nanoTime() - t0) / 1_000_000;
      JsonObject status = new JsonObject(get(p.base(), Wire.STATUS, operatorToken).body());
      byte[] model = http.send(HttpRequest.newBuilder(p.base().resolve(Wire.MODEL_PARAMETERS))
          .header("Authorization", "Bearer " + operatorToken).GET().build(), HttpResponse.BodyHandlers.ofByteArray()).body();
      int duplicates = silos.stream().mapToInt(RetryingFakeSilo::duplicates).sum();
      int retries = silos.stream().mapToInt(RetryingFakeSilo::retries).sum();
      return new Outcome(model, spends(status), rounds(status), status, runMillis, kills, p.starts(), duplicates, retries,
          silos.stream().map(RetryingFakeSilo::acknowledgedRound).toList(), exitCodes);
    } finally {
      pool.shutdownNow();
    }
  }

  /** The operator issues a one-time token, the silo redeems it (TLS off: for a bearer token). */
  private static String enrol(URI base, String silo) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve(Wire.ADMIN_ENROLMENT_TOKENS))
        .header("Authorization", "Bearer " + operatorToken).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("client_id", silo).encode())).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(201, r.statusCode(), r.body());
    String token = new JsonObject(r.body()).getString("token");
    r = http.send(HttpRequest.newBuilder(base.resolve(Wire.ENROL)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("token", token).encode())).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(201, r.statusCode(), r.body());
    return new JsonObject(r.body()).getString("token");
  }

  private static HttpResponse<String> get(URI base, String path, String bearer) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve(path)).header("Authorization", "Bearer " + bearer)
        .GET().build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), path + ": " + r.body());
    return r;
  }

  /** The recorded spends, ordered by round and silo (their order within a round is arrival order). */
  private static List<Map<String, Object>> spends(JsonObject status) {
    List<Map<String, Object>> out = new ArrayList<>();
    status.getJsonObject("privacy").getJsonArray("spends").forEach(o -> out.add(new LinkedHashMap<>(((JsonObject) o).getMap())));
    out.sort(Comparator.<Map<String, Object>, Integer>comparing(m -> (Integer) m.get("round"))
        .thenComparing(m -> (String) m.get("silo")));
    return out;
  }

  /** Per closed round: its number, the updates and the examples it counted. */
  private static List<List<Object>> rounds(JsonObject status) {
    List<List<Object>> out = new ArrayList<>();
    JsonArray history = status.getJsonArray("history");
    history.forEach(o -> {
      JsonObject r = (JsonObject) o;
      out.add(List.of(r.getInteger("round"), r.getInteger("clients"), r.getLong("examples")));
    });
    return out;
  }

  private static boolean allDone(List<Future<Void>> running) {
    return running.stream().allMatch(Future::isDone);
  }

  private static void checkDeadline(long deadline, List<RetryingFakeSilo> silos, String name) {
    if (System.nanoTime() - deadline > 0) {
      fail(name + ": the run did not complete within " + TRIAL_TIMEOUT_SECONDS + " s; silos " + describe(silos));
    }
  }

  /** Classifies the moment of a kill from the silos' side. */
  private static Kill where(long atMillis, List<RetryingFakeSilo> silos, CrashTestProcess p) {
    long joining = silos.stream().filter(s -> s.phase() == RetryingFakeSilo.Phase.JOINING).count();
    int round = silos.stream().mapToInt(RetryingFakeSilo::round).max().orElse(0);
    long acked = silos.stream().filter(s -> round > 0 && s.acknowledgedRound() == round).count();
    long uploading = silos.stream().filter(s -> s.phase() == RetryingFakeSilo.Phase.UPLOADING).count();
    String phase;
    if (joining > 0) {
      phase = "joining";
    } else if (round == 0) {
      phase = "joined, before round 1";
    } else if (uploading > 0) {
      phase = "upload in flight";
    } else if (acked == CLIENTS) {
      phase = round == ROUNDS ? "after the last round" : "between rounds";
    } else {
      phase = "round open, no upload in flight";
    }
    return new Kill(atMillis, phase, "round " + round + ", " + acked + "/" + CLIENTS + " acknowledged, " + uploading
        + " uploading, coordinator closed " + p.closedRounds() + "; " + describe(silos));
  }

  private static String describe(List<RetryingFakeSilo> silos) {
    StringBuilder b = new StringBuilder();
    for (RetryingFakeSilo s : silos) {
      b.append(b.length() == 0 ? "" : ", ").append(s.name()).append(' ').append(s.phase().name().toLowerCase())
          .append(" r").append(s.round());
    }
    return b.toString();
  }
}
