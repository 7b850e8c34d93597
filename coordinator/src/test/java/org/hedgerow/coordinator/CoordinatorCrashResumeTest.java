package org.hedgerow.coordinator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.hedgerow.aggregation.wire.ParameterCodec;
import org.hedgerow.aggregation.wire.Wire;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a coordinator subprocess with {@code kill -9} ({@link Process#destroyForcibly}) at several
 * points of its rounds, restarts it on the same SQLite file and drives it on with scripted fake
 * clients over real HTTP. The final model must be bit-identical to an uninterrupted run's and the
 * privacy ledger equal to it: nothing lost, nothing counted twice. Slow: six JVM starts (about 30 s here).
 */
@Tag("slow")
class CoordinatorCrashResumeTest {
  private static final int ROUNDS = 3;
  private static final String[] SILOS = {"fake-a", "fake-b", "fake-c"};
  private static final long SEED = 11;

  @TempDir
  Path dir;
  private Process process;
  private URI base;
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void kill() throws Exception {
    if (process != null) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  private void startCoordinator(Path db) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>(List.of(java));
    cmd.addAll(CrashTestProcess.FAST_START);
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), CrashTestCoordinatorMain.class.getName(),
        db.toString(), Integer.toString(ROUNDS), Integer.toString(SILOS.length), Long.toString(SEED)));
    process = new ProcessBuilder(cmd)
        .redirectError(ProcessBuilder.Redirect.appendTo(dir.resolve("coordinator.log").toFile()))
        .start();
    BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = out.readLine()) != null && !line.startsWith("PORT ")) {
      // skip anything else the child prints
    }
    if (line == null) {
      throw new IllegalStateException("coordinator subprocess exited without a port; see " + dir.resolve("coordinator.log"));
    }
    base = URI.create("http://127.0.0.1:" + line.substring(5).trim());
  }

  private void crash() throws InterruptedException {
    process.destroyForcibly(); // SIGKILL: no shutdown hook, no flush
    assertTrue(process.waitFor(10, TimeUnit.SECONDS));
  }

  /** A scripted client: deterministic deltas from the model it downloads, and a DP spend per update. */
  private final class FakeSilo {
    final String name;
    final int index;
    final SiloSpends spends;
    String token;

    FakeSilo(String name, int index) {
      this.name = name;
      this.index = index;
      this.spends = new SiloSpends(name);
    }

    void register() throws Exception {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve(Wire.CLIENTS))
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("silo", name)
              .put("identity_key", spends.identityKey()).encode())).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(201, r.statusCode(), r.body());
      token = new JsonObject(r.body()).getString("token");
    }

    /** The upload this silo sends in {@code round}, built from the current global model. */
    HttpRequest upload(int round) throws Exception {
      HttpResponse<byte[]> m = http.send(HttpRequest.newBuilder(base.resolve(Wire.MODEL_PARAMETERS)).GET().build(),
          HttpResponse.BodyHandlers.ofByteArray());
      assertEquals(200, m.statusCode());
      int version = Integer.parseInt(m.headers().firstValue(Wire.HEADER_MODEL_VERSION).orElseThrow());
      assertEquals(round - 1, version, name + " round " + round);
      float[] model = ParameterCodec.decode(m.body(), CrashTestCoordinatorMain.SPEC.parameterCount());
      float[] delta = new float[model.length];
      for (int i = 0; i < delta.length; i++) {
        delta[i] = 0.01f * (index + 1) * (float) Math.sin(i + round) - 0.1f * model[i];
      }
      if (spends.budget.rounds() < round) {
        spends.budget.spend(round, Federation.ROUND_MECHANISM, 1.25, 0.05, 20, 1.0); // charged once per round
      }
      HttpResponse<String> posted = http.send(HttpRequest.newBuilder(base.resolve(Wire.SPENDS))
          .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(org.hedgerow.aggregation.wire.SpendJson.batch(spends.log())))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, posted.statusCode(), posted.body());
      return HttpRequest.newBuilder(base.resolve(Wire.update(round)))
          .header("Authorization", "Bearer " + token)
          .header(Wire.HEADER_UPLOAD_ID, name + "-r" + round)
          .header(Wire.HEADER_MODEL_VERSION, Integer.toString(version))
          .header(Wire.HEADER_SPEC_HASH, CrashTestCoordinatorMain.SPEC.hash())
          .header(Wire.HEADER_EXAMPLES, Integer.toString(10 * (index + 1)))
          .header(Wire.HEADER_DP_SPEND_COUNTER, Long.toString(round - 1))
          .PUT(HttpRequest.BodyPublishers.ofByteArray(ParameterCodec.encode(delta)))
          .build();
    }
  }

  private HttpResponse<String> send(HttpRequest r) throws Exception {
    return http.send(r, HttpResponse.BodyHandlers.ofString());
  }

  /** Re-targets a request built for the previous process at the restarted one (new port). */
  private HttpRequest retarget(HttpRequest r) {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(r.uri().getPath()));
    r.headers().map().forEach((k, vs) -> vs.forEach(v -> b.header(k, v)));
    return b.method(r.method(), r.bodyPublisher().orElseThrow()).build();
  }

  /** Where to kill the coordinator in the scripted run. */
  private enum Kill { NONE, AFTER_REGISTRATION, MID_UPLOADS, AFTER_CLOSING_UPLOAD, DURING_UPLOAD }

  private record Outcome(byte[] model, JsonArray spends, JsonObject status) {}

  private Outcome run(String name, List<Kill> kills) throws Exception {
    Path db = dir.resolve(name + ".db");
    startCoordinator(db);
    List<FakeSilo> silos = new ArrayList<>();
    for (int i = 0; i < SILOS.length; i++) {
      silos.add(new FakeSilo(SILOS[i], i));
      silos.get(i).register();
    }
    if (kills.contains(Kill.AFTER_REGISTRATION)) {
      crash();
      startCoordinator(db);
    }
    for (int round = 1; round <= ROUNDS; round++) {
      for (FakeSilo s : silos) {
        HttpRequest up = s.upload(round);
        boolean mid = round == 2 && s.index == 1 && kills.contains(Kill.MID_UPLOADS);
        boolean closing = round == 2 && s.index == SILOS.length - 1 && kills.contains(Kill.AFTER_CLOSING_UPLOAD);
        boolean during = round == 3 && s.index == 1 && kills.contains(Kill.DURING_UPLOAD);
        if (mid) {
          crash();
          startCoordinator(db);
          up = s.upload(round);
        }
        if (during) {
          // The upload is in flight when the process dies: stored or not, the retry settles it.
          CompletableFuture<HttpResponse<String>> f = http.sendAsync(up, HttpResponse.BodyHandlers.ofString());
          Thread.sleep(3);
          crash();
          f.handle((r, e) -> null).get(10, TimeUnit.SECONDS);
          startCoordinator(db);
          HttpResponse<String> r = send(retarget(up));
          assertEquals(202, r.statusCode(), r.body());
          continue;
        }
        HttpResponse<String> r = send(up);
        assertEquals(202, r.statusCode(), s.name + " round " + round + ": " + r.body());
        if (closing) {
          crash();
          startCoordinator(db);
          // The client never saw that answer: its retry must get the same success and count once.
          r = send(retarget(up));
          assertEquals(202, r.statusCode(), r.body());
          assertEquals(Boolean.TRUE, new JsonObject(r.body()).getBoolean("duplicate"), r.body());
          HttpRequest other = HttpRequest.newBuilder(base.resolve(Wire.update(round)))
              .header("Authorization", "Bearer " + s.token).header(Wire.HEADER_UPLOAD_ID, "someone-else")
              .header(Wire.HEADER_MODEL_VERSION, "1").header(Wire.HEADER_SPEC_HASH, "x").header(Wire.HEADER_EXAMPLES, "1")
              .PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[0])).build();
          assertEquals(409, send(other).statusCode(), "a replay of a closed round with another upload id");
        }
      }
    }
    JsonObject status = new JsonObject(send(HttpRequest.newBuilder(base.resolve(Wire.STATUS)).GET().build()).body());
    HttpResponse<byte[]> m = http.send(HttpRequest.newBuilder(base.resolve(Wire.MODEL_PARAMETERS)).GET().build(),
        HttpResponse.BodyHandlers.ofByteArray());
    return new Outcome(m.body(), status.getJsonObject("privacy").getJsonArray("spends"), status);
  }

  private static Map<String, Object> spendKey(JsonObject s) {
    return new LinkedHashMap<>(s.getMap());
  }

  @Test
  void killedAtSeveralPoints_resumes_sameModelAndSpendsAsUninterrupted() throws Exception {
    Outcome clean = run("clean", List.of(Kill.NONE));
    process.destroyForcibly().waitFor();
    Outcome crashed = run("crashed", List.of(Kill.AFTER_REGISTRATION, Kill.MID_UPLOADS, Kill.AFTER_CLOSING_UPLOAD,
        Kill.DURING_UPLOAD));
    assertEquals(ROUNDS, crashed.status().getInteger("completed_rounds"), crashed.status().encodePrettily());
    assertEquals("finished", crashed.status().getJsonObject("round").getString("state"));
    assertEquals(ROUNDS, crashed.status().getJsonObject("round").getInteger("model_version"));
    assertArrayEquals(clean.model(), crashed.model(), "final model bit-identical to the uninterrupted run");
    assertEquals(ROUNDS * SILOS.length, crashed.spends().size(), crashed.spends().encodePrettily());
    List<Map<String, Object>> a = new ArrayList<>();
    List<Map<String, Object>> b = new ArrayList<>();
    clean.spends().forEach(o -> a.add(spendKey((JsonObject) o)));
    crashed.spends().forEach(o -> b.add(spendKey((JsonObject) o)));
    java.util.Comparator<Map<String, Object>> order = java.util.Comparator
        .<Map<String, Object>, Integer>comparing(m -> (Integer) m.get("round"))
        .thenComparing(m -> (String) m.get("silo"));
    a.sort(order);
    b.sort(order);
    assertEquals(a, b, "privacy spends equal to the uninterrupted run's");
  }
}
