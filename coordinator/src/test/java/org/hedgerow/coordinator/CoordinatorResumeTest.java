package org.hedgerow.coordinator;

import org.hedgerow.coordinator.service.CoordinatorVerticle;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.hedgerow.aggregation.model.ModelSpec;
import org.hedgerow.aggregation.strategy.FitConfig;
import org.hedgerow.aggregation.wire.ParameterCodec;
import org.hedgerow.aggregation.wire.Wire;
import org.hedgerow.coordinator.store.JdbcCoordinatorStore;
import org.hedgerow.coordinator.store.StoreException;
import org.hedgerow.coordinator.store.StoreLocation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The coordinator on an explicit store, restarted in-process: idempotent uploads, replays, resume
 * of an open round, client sampling and the deadline quorum.
 */
class CoordinatorResumeTest {
  private static final ModelSpec SPEC = new ModelSpec("test", List.of(2, 2, 1), "relu", "sigmoid", 0,
      "binary-cross-entropy", 1e-3);

  @TempDir
  Path dir;
  private Vertx vertx;
  private JdbcCoordinatorStore store;
  private CoordinatorVerticle verticle;
  private URI base;
  private final HttpClient http = HttpClient.newHttpClient();

  private void start(CoordinatorOptions options) throws Exception {
    vertx = Vertx.vertx();
    store = JdbcCoordinatorStore.open(StoreLocation.parse("sqlite:" + dir.resolve("c.db")));
    verticle = Coordinators.builder(options, new FitConfig(1, 8, 1)).store(store).build();
    vertx.deployVerticle(verticle).await(10, TimeUnit.SECONDS);
    base = URI.create("http://127.0.0.1:" + verticle.port());
  }

  private void stop() throws Exception {
    if (vertx != null) {
      vertx.close().await(10, TimeUnit.SECONDS);
      store.close();
      vertx = null;
    }
  }

  @AfterEach
  void tearDown() throws Exception {
    stop();
  }

  private String register(String silo) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve(Wire.CLIENTS))
        .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("silo", silo).encode())).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(201, r.statusCode(), r.body());
    return new JsonObject(r.body()).getString("token");
  }

  private HttpResponse<String> upload(String token, int round, int version, String uploadId, float v) throws Exception {
    float[] d = new float[SPEC.parameterCount()];
    java.util.Arrays.fill(d, v);
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(Wire.update(round)))
        .header("Authorization", "Bearer " + token)
        .header(Wire.HEADER_MODEL_VERSION, Integer.toString(version))
        .header(Wire.HEADER_SPEC_HASH, SPEC.hash())
        .header(Wire.HEADER_EXAMPLES, "1")
        .PUT(HttpRequest.BodyPublishers.ofByteArray(ParameterCodec.encode(d)));
    if (uploadId != null) {
      b.header(Wire.HEADER_UPLOAD_ID, uploadId);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private JsonObject round(String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(Wire.ROUND)).GET();
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return new JsonObject(http.send(b.build(), HttpResponse.BodyHandlers.ofString()).body());
  }

  private static String error(HttpResponse<String> r) {
    return new JsonObject(r.body()).getString("error");
  }

  @Test
  void upload_retriedWithSameUploadId_acceptedOnceAndAnsweredAgain() throws Exception {
    start(CoordinatorOptions.of(SPEC, 2, 2, 1));
    String a = register("a");
    String b = register("b");
    assertEquals(202, upload(a, 1, 0, "a-1", 1f).statusCode());
    HttpResponse<String> again = upload(a, 1, 0, "a-1", 1f);
    assertEquals(202, again.statusCode(), again.body());
    assertTrue(new JsonObject(again.body()).getBoolean("duplicate"));
    assertEquals(0, round(null).getInteger("model_version"), "counted once: round 1 still waits for b");
    HttpResponse<String> other = upload(a, 1, 0, "a-1-bis", 1f);
    assertEquals(409, other.statusCode());
    assertTrue(error(other).contains("already accepted"), other.body());
    assertEquals(202, upload(b, 1, 0, "b-1", 3f).statusCode());
    // Round 1 closed: the retry is still recognised, any other upload for it is a replay.
    assertEquals(202, upload(b, 1, 0, "b-1", 3f).statusCode());
    HttpResponse<String> replay = upload(b, 1, 0, "b-1-replayed", 3f);
    assertEquals(409, replay.statusCode());
    assertTrue(error(replay).contains("round 1 is closed"), replay.body());
    HttpResponse<String> badId = upload(b, 2, 1, "no spaces allowed", 3f);
    assertEquals(400, badId.statusCode());
    assertTrue(error(badId).contains(Wire.HEADER_UPLOAD_ID), badId.body());
    assertEquals(1, store.count("model_versions") - 1);
  }

  @Test
  void restart_midRound_resumesWithStoredUpdateAndTokens() throws Exception {
    start(CoordinatorOptions.of(SPEC, 2, 3, 1));
    String a = register("a");
    String b = register("b");
    String c = register("c");
    assertEquals(202, upload(a, 1, 0, "a-1", 1f).statusCode());
    stop();
    start(CoordinatorOptions.of(SPEC, 2, 3, 1));
    JsonObject status = new JsonObject(http.send(HttpRequest.newBuilder(base.resolve(Wire.STATUS)).GET().build(),
        HttpResponse.BodyHandlers.ofString()).body());
    assertEquals(1, status.getJsonObject("round").getInteger("round"));
    assertEquals(202, upload(a, 1, 0, "a-1", 1f).statusCode(), "the retry after the restart");
    assertEquals(409, upload(a, 1, 0, "a-1-new", 1f).statusCode(), "a's update was kept: not asked again");
    assertEquals(202, upload(b, 1, 0, "b-1", 2f).statusCode());
    assertEquals(202, upload(c, 1, 0, "c-1", 3f).statusCode());
    JsonObject r = round(a);
    assertEquals(2, r.getInteger("round"));
    assertEquals(1, r.getInteger("model_version"));
    assertTrue(r.getBoolean("selected"));
  }

  @Test
  void restart_withOtherSettings_refusedNamingTheDifference() throws Exception {
    start(CoordinatorOptions.of(SPEC, 2, 2, 1));
    stop();
    JdbcCoordinatorStore s = JdbcCoordinatorStore.open(StoreLocation.parse("sqlite:" + dir.resolve("c.db")));
    try {
      StoreException e = assertThrows(StoreException.class, () -> Coordinators.builder(
          CoordinatorOptions.of(SPEC, 2, 2, 99), new FitConfig(1, 8, 1)).store(s).build());
      assertTrue(e.getMessage().contains("seed: store has 1, this run 99"), e.getMessage());
    } finally {
      s.close();
    }
  }

  @Test
  void sampling_twoOfFour_sameClientsAfterRestartOthersSitOut() throws Exception {
    CoordinatorOptions o = CoordinatorOptions.of(SPEC, 3, 4, 5).withClientsPerRound(2);
    start(o);
    Map<String, String> tokens = new TreeMap<>();
    for (String s : List.of("a", "b", "c", "d")) {
      tokens.put(s, register(s));
    }
    List<String> chosen = new ArrayList<>();
    for (Map.Entry<String, String> t : tokens.entrySet()) {
      JsonObject r = round(t.getValue());
      assertEquals(2, r.getInteger("selected_clients"));
      if (r.getBoolean("selected")) {
        chosen.add(t.getKey());
      }
    }
    assertEquals(2, chosen.size(), chosen.toString());
    assertFalse(round(null).containsKey("selected"), "an anonymous caller is told nothing about itself");
    String out = tokens.keySet().stream().filter(s -> !chosen.contains(s)).findFirst().orElseThrow();
    HttpResponse<String> r = upload(tokens.get(out), 1, 0, "x", 1f);
    assertEquals(409, r.statusCode());
    assertTrue(error(r).contains("not selected"), r.body());
    stop();
    start(o);
    for (String s : chosen) {
      assertTrue(round(tokens.get(s)).getBoolean("selected"), "the same clients after a restart");
    }
    for (String s : chosen) {
      assertEquals(202, upload(tokens.get(s), 1, 0, s + "-1", 1f).statusCode());
    }
    assertEquals(2, round(null).getInteger("round"), "round 1 closed with its two selected clients");
  }

  @Test
  void deadline_quorumReached_closesWithWhatArrivedAndRefusesLateUploads() throws Exception {
    start(CoordinatorOptions.of(SPEC, 2, 3, 1).withDeadline(400, 1));
    String a = register("a");
    String b = register("b");
    register("c");
    assertEquals(202, upload(a, 1, 0, "a-1", 1f).statusCode());
    long t0 = System.nanoTime();
    while (round(null).getInteger("round") == 1 && System.nanoTime() - t0 < 10_000_000_000L) {
      Thread.sleep(50);
    }
    assertEquals(2, round(null).getInteger("round"));
    HttpResponse<String> late = upload(b, 1, 0, "b-1", 1f);
    assertEquals(409, late.statusCode());
    assertTrue(error(late).contains("round 1 is closed"), late.body());
  }
}
