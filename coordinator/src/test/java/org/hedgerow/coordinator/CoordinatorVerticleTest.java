package org.hedgerow.coordinator;

import org.hedgerow.coordinator.service.CoordinatorVerticle;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.hedgerow.aggregation.model.ModelSpec;
import org.hedgerow.aggregation.strategy.FitConfig;
import org.hedgerow.aggregation.wire.ParameterCodec;
import org.hedgerow.aggregation.wire.Wire;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The coordinator over real HTTP on a free loopback port: the happy path and every refusal. */
class CoordinatorVerticleTest {
  private static final ModelSpec SPEC = new ModelSpec("test", List.of(2, 2, 1), "relu", "sigmoid", 0,
      "binary-cross-entropy", 1e-3);
  private Vertx vertx;
  private CoordinatorVerticle verticle;
  private final HttpClient http = HttpClient.newHttpClient();
  private URI base;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    FitConfig fit = new FitConfig(1, 8, 1);
    verticle = Coordinators.builder(CoordinatorOptions.of(SPEC, 2, 2, 1), fit).build();
    vertx.deployVerticle(verticle).await(10, TimeUnit.SECONDS);
    base = URI.create("http://127.0.0.1:" + verticle.port());
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private HttpResponse<String> post(String path, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(base.resolve(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> upload(String token, int round, int version, String hash, String examples, byte[] body)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(Wire.update(round)))
        .header(Wire.HEADER_MODEL_VERSION, Integer.toString(version))
        .header(Wire.HEADER_SPEC_HASH, hash)
        .header(Wire.HEADER_EXAMPLES, examples)
        .PUT(HttpRequest.BodyPublishers.ofByteArray(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private String register(String silo) throws Exception {
    HttpResponse<String> r = post(Wire.CLIENTS, new JsonObject().put("silo", silo).encode());
    assertEquals(201, r.statusCode(), r.body());
    return new JsonObject(r.body()).getString("token");
  }

  private float[] model() throws Exception {
    HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(base.resolve(Wire.MODEL_PARAMETERS)).GET().build(),
        HttpResponse.BodyHandlers.ofByteArray());
    return ParameterCodec.decode(r.body(), SPEC.parameterCount());
  }

  private static String error(HttpResponse<String> r) {
    return new JsonObject(r.body()).getString("error");
  }

  @Test
  void rounds_twoClientsTwoRounds_fedAvgAppliedAndFinished() throws Exception {
    String a = register("a");
    String b = register("b");
    float[] m0 = model();
    float[] da = new float[SPEC.parameterCount()];
    float[] db = new float[SPEC.parameterCount()];
    java.util.Arrays.fill(da, 1f);
    java.util.Arrays.fill(db, 4f);
    assertEquals(202, upload(a, 1, 0, SPEC.hash(), "3", ParameterCodec.encode(da)).statusCode());
    assertEquals(202, upload(b, 1, 0, SPEC.hash(), "1", ParameterCodec.encode(db)).statusCode());
    float[] m1 = model();
    for (int i = 0; i < m1.length; i++) {
      assertEquals(m0[i] + (3 * 1f + 1 * 4f) / 4, m1[i], 1e-6);
    }
    JsonObject round = new JsonObject(get(Wire.ROUND).body());
    assertEquals(2, round.getInteger("round"));
    assertEquals(1, round.getInteger("model_version"));
    upload(a, 2, 1, SPEC.hash(), "1", ParameterCodec.encode(da));
    upload(b, 2, 1, SPEC.hash(), "1", ParameterCodec.encode(da));
    JsonObject status = new JsonObject(get(Wire.STATUS).body());
    assertEquals(2, status.getInteger("completed_rounds"));
    assertEquals("finished", status.getJsonObject("round").getString("state"));
  }

  @Test
  void upload_withoutToken_401AndNothingAccepted() throws Exception {
    register("a");
    register("b");
    HttpResponse<String> r = upload(null, 1, 0, SPEC.hash(), "1", ParameterCodec.encode(new float[SPEC.parameterCount()]));
    assertEquals(401, r.statusCode());
    assertTrue(error(r).contains("Authorization"), r.body());
    r = upload("forged", 1, 0, SPEC.hash(), "1", ParameterCodec.encode(new float[SPEC.parameterCount()]));
    assertEquals(401, r.statusCode());
    assertEquals(0, new JsonObject(get(Wire.STATUS).body()).getJsonObject("round").getInteger("model_version"));
  }

  @Test
  void upload_badInputs_refusedWithReasonAndModelUnchanged() throws Exception {
    String a = register("a");
    register("b");
    float[] before = model();
    byte[] ok = ParameterCodec.encode(new float[SPEC.parameterCount()]);
    float[] nan = new float[SPEC.parameterCount()];
    nan[3] = Float.NaN;
    HttpResponse<String> r = upload(a, 1, 0, SPEC.hash(), "1", new byte[7]);
    assertEquals(400, r.statusCode());
    assertTrue(error(r).contains("expected 9 float32 values"), r.body());
    r = upload(a, 1, 0, SPEC.hash(), "1", ParameterCodec.encode(nan));
    assertEquals(400, r.statusCode());
    assertTrue(error(r).contains("entry 3 is NaN"), r.body());
    r = upload(a, 1, 0, "deadbeef", "1", ok);
    assertEquals(400, r.statusCode());
    assertTrue(error(r).contains("spec hash"), r.body());
    r = upload(a, 1, 0, SPEC.hash(), "lots", ok);
    assertEquals(400, r.statusCode());
    assertTrue(error(r).contains(Wire.HEADER_EXAMPLES), r.body());
    r = upload(a, 7, 0, SPEC.hash(), "1", ok);
    assertEquals(409, r.statusCode());
    assertTrue(error(r).contains("round 1 is open"), r.body());
    r = upload(a, 1, 5, SPEC.hash(), "1", ok);
    assertEquals(409, r.statusCode());
    assertTrue(error(r).contains("model version 5"), r.body());
    assertEquals(202, upload(a, 1, 0, SPEC.hash(), "1", ok).statusCode());
    r = upload(a, 1, 0, SPEC.hash(), "1", ok);
    assertEquals(409, r.statusCode());
    assertTrue(error(r).contains("already accepted"), r.body());
    assertArrayEquals(before, model());
  }

  @Test
  void register_badJsonOrDuplicateSilo_refused() throws Exception {
    HttpResponse<String> r = post(Wire.CLIENTS, "{not json");
    assertEquals(400, r.statusCode());
    assertTrue(error(r).contains("JSON"), r.body());
    r = post(Wire.CLIENTS, "{\"silo\": \"../etc\"}");
    assertEquals(400, r.statusCode());
    register("a");
    r = post(Wire.CLIENTS, "{\"silo\": \"a\"}");
    assertEquals(409, r.statusCode());
    assertTrue(error(r).contains("already registered"), r.body());
  }

  @Test
  void upload_bodyOverLimit_413() throws Exception {
    String a = register("a");
    register("b");
    byte[] big = new byte[(int) CoordinatorOptions.DEFAULT_MAX_UPLOAD_BYTES + 1];
    HttpResponse<String> r = upload(a, 1, 0, SPEC.hash(), "1", big);
    assertEquals(413, r.statusCode());
  }

  @Test
  void health_noCredentials_ok() throws Exception {
    assertEquals(200, get(Wire.HEALTH).statusCode());
  }

  /** Open registration with an identity key; returns the bearer token. */
  private String register(SiloSpends silo) throws Exception {
    HttpResponse<String> r = post(Wire.CLIENTS, new JsonObject().put("silo", silo.holder)
        .put("identity_key", silo.identityKey()).encode());
    assertEquals(201, r.statusCode(), r.body());
    return new JsonObject(r.body()).getString("token");
  }

  private HttpResponse<String> postSpends(String token, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(base.resolve(Wire.SPENDS)).header("Authorization", "Bearer " + token)
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Posts the silo's signed spend of {@code round} (its release first, once), then the update naming it. */
  private HttpResponse<String> uploadWithSpend(String token, SiloSpends silo, int round, int version)
      throws Exception {
    org.hedgerow.privacy.budget.SignedSpend release = silo.budget.log().isEmpty() ? silo.release() : null;
    org.hedgerow.privacy.budget.SignedSpend spend = silo.round(round);
    HttpResponse<String> posted = postSpends(token, release == null ? SiloSpends.batch(spend)
        : SiloSpends.batch(release, spend));
    assertEquals(200, posted.statusCode(), posted.body());
    assertEquals(spend.spend().counter() + 1, new JsonObject(posted.body()).getLong("next_counter"));
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(Wire.update(round)))
        .header("Authorization", "Bearer " + token)
        .header(Wire.HEADER_MODEL_VERSION, Integer.toString(version))
        .header(Wire.HEADER_SPEC_HASH, SPEC.hash())
        .header(Wire.HEADER_EXAMPLES, "5")
        .header(Wire.HEADER_DP_SPEND_COUNTER, Long.toString(spend.spend().counter()))
        .PUT(HttpRequest.BodyPublishers.ofByteArray(ParameterCodec.encode(new float[SPEC.parameterCount()])));
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> decline(String token, int round, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(base.resolve(Wire.decline(round)))
        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void decline_oneSiloOverItsCap_roundClosesWithoutItAndRunFinishes() throws Exception {
    SiloSpends sa = new SiloSpends("a");
    String a = register(sa);
    String b = register("b");
    java.util.concurrent.CompletableFuture<String> finished = new java.util.concurrent.CompletableFuture<>();
    verticle.onFinished(finished::complete);
    assertEquals(202, uploadWithSpend(a, sa, 1, 0).statusCode());
    HttpResponse<String> r = decline(b, 1, new JsonObject().put("reason", "b declines round 1: over its cap")
        .put("epsilon", 7.9).put("cap", 8).encode());
    assertEquals(200, r.statusCode(), r.body());
    assertEquals(1, new JsonObject(r.body()).getInteger("active_clients"));
    // The round closed on the decline: round 2 is open and waits only for a.
    JsonObject round = new JsonObject(get(Wire.ROUND).body());
    assertEquals(2, round.getInteger("round"));
    assertEquals(1, round.getInteger("active_clients"));
    r = upload(b, 2, 1, SPEC.hash(), "1", ParameterCodec.encode(new float[SPEC.parameterCount()]));
    assertEquals(409, r.statusCode());
    assertTrue(error(r).contains("declined round 1"), r.body());
    assertEquals(202, uploadWithSpend(a, sa, 2, 1).statusCode());
    assertTrue(finished.get(10, TimeUnit.SECONDS).contains("completed 2 rounds"));
    JsonObject status = new JsonObject(get(Wire.STATUS).body());
    assertEquals("finished", status.getJsonObject("round").getString("state"));
    JsonObject privacy = status.getJsonObject("privacy");
    assertEquals(3, privacy.getJsonArray("spends").size(), "a's release and two rounds");
    assertEquals(sa.budget.epsilon(), privacy.getJsonArray("spends").getJsonObject(2).getDouble("epsilon"));
    assertEquals("a", privacy.getJsonArray("spends").getJsonObject(2).getString("silo"));
    assertEquals(2, privacy.getJsonArray("spends").getJsonObject(2).getLong("counter"));
    assertEquals(1, privacy.getJsonObject("declined").getJsonObject("b").getInteger("round"));
    assertEquals(sa.budget.log(), verticle.spends());
  }

  @Test
  void decline_everySilo_federationFinishesWithoutNewModel() throws Exception {
    String a = register("a");
    String b = register("b");
    java.util.concurrent.CompletableFuture<String> finished = new java.util.concurrent.CompletableFuture<>();
    verticle.onFinished(finished::complete);
    assertEquals(200, decline(a, 1, "{\"reason\": \"cap\"}").statusCode());
    assertEquals(200, decline(b, 1, "{\"reason\": \"cap\"}").statusCode());
    assertTrue(finished.get(10, TimeUnit.SECONDS).contains("no active clients"));
    JsonObject status = new JsonObject(get(Wire.STATUS).body());
    assertEquals(0, status.getInteger("completed_rounds"));
    assertEquals("finished", status.getJsonObject("round").getString("state"));
    assertEquals(0, status.getJsonObject("round").getInteger("model_version"));
  }

  @Test
  void decline_badRequests_refusedAndNothingChanged() throws Exception {
    String a = register("a");
    register("b");
    HttpResponse<String> r = decline(a, 1, "{}");
    assertEquals(400, r.statusCode());
    assertTrue(error(r).contains("reason"), r.body());
    r = decline(a, 2, "{\"reason\": \"cap\"}");
    assertEquals(409, r.statusCode());
    r = decline("forged", 1, "{\"reason\": \"cap\"}");
    assertEquals(401, r.statusCode());
    assertEquals(202, upload(a, 1, 0, SPEC.hash(), "1", ParameterCodec.encode(new float[SPEC.parameterCount()]))
        .statusCode());
    r = decline(a, 1, "{\"reason\": \"cap\"}");
    assertEquals(409, r.statusCode());
    assertTrue(error(r).contains("already accepted"), r.body());
    assertEquals(2, new JsonObject(get(Wire.ROUND).body()).getInteger("active_clients"));
  }

  @Test
  void roundAndModel_undeclaredFederation_reportPrivacyNone() throws Exception {
    assertEquals("none", new JsonObject(get(Wire.ROUND).body()).getString("privacy"));
    assertEquals("none", new JsonObject(get(Wire.MODEL).body()).getString("privacy"));
  }

  @Test
  void register_badIdentityKey_refusedAndNobodyRegistered() throws Exception {
    HttpResponse<String> r = post(Wire.CLIENTS, new JsonObject().put("silo", "a").put("identity_key", "AAAA").encode());
    assertEquals(400, r.statusCode(), r.body());
    assertTrue(error(r).contains("identity_key must decode to 32 bytes"), r.body());
    assertEquals(0, new JsonObject(get(Wire.ROUND).body()).getInteger("registered_clients"));
  }
}
