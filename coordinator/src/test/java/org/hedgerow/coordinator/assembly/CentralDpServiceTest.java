package org.hedgerow.coordinator.assembly;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.concurrent.TimeUnit;
import org.hedgerow.aggregation.model.ModelSpec;
import org.hedgerow.aggregation.strategy.AggregatorSpec;
import org.hedgerow.aggregation.strategy.CentralDpFedAvg;
import org.hedgerow.aggregation.strategy.FitConfig;
import org.hedgerow.aggregation.wire.ParameterCodec;
import org.hedgerow.aggregation.wire.Wire;
import org.hedgerow.coordinator.service.CoordinatorVerticle;
import org.hedgerow.coordinator.store.CoordinatorStore;
import org.hedgerow.coordinator.store.JdbcCoordinatorStore;
import org.hedgerow.coordinator.store.StoreLocation;
import org.hedgerow.privacy.budget.PrivacyBudget;
import org.hedgerow.privacy.budget.Spend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Central DP as {@code coordinator start --central-dp} assembles it: the coordinator's own budget
 * charges one {@code central-gaussian} spend per closed round, the clients' reports are suppressed,
 * and a coordinator rebuilt on the same store continues the same budget (no spend lost or counted twice).
 */
class CentralDpServiceTest {
  private static final ModelSpec SPEC = new ModelSpec("test", List.of(4, 3, 1), "relu", "sigmoid", 0,
      "binary-cross-entropy", 1e-3);
  private static final FederationConfig CONFIG = FederationConfig.plain(SPEC, 3, 1, new FitConfig(1, 8, 1),
      AggregatorSpec.DEFAULT).withCentralDp(new FederationConfig.CentralDp(1.0, 2.0, 50, 1e-5));
  private final HttpClient http = HttpClient.newHttpClient();
  @TempDir Path dir;

  private HttpResponse<String> send(URI base, HttpRequest.Builder b) throws Exception {
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private void uploadAll(URI base, List<String> tokens, int round, int version) throws Exception {
    for (int i = 0; i < tokens.size(); i++) {
      float[] delta = new float[SPEC.parameterCount()];
      java.util.Arrays.fill(delta, 0.01f * (i + 1));
      HttpResponse<String> r = send(base, HttpRequest.newBuilder(base.resolve(Wire.update(round)))
          .header("Authorization", "Bearer " + tokens.get(i))
          .header(Wire.HEADER_MODEL_VERSION, Integer.toString(version)).header(Wire.HEADER_SPEC_HASH, SPEC.hash())
          .header(Wire.HEADER_EXAMPLES, "10").PUT(HttpRequest.BodyPublishers.ofByteArray(ParameterCodec.encode(delta))));
      assertEquals(202, r.statusCode(), r.body());
    }
  }

  @Test
  void centralDp_roundCloseAndRestartOnTheSameStore_oneCoordinatorSpendPerRoundBudgetContinues() throws Exception {
    List<String> tokens = new ArrayList<>();
    List<Spend> afterRound1;
    CoordinatorStore store = JdbcCoordinatorStore.open(StoreLocation.sqlite(dir.resolve("c.db")));
    Vertx vertx = Vertx.vertx();
    try {
      CoordinatorVerticle v = CoordinatorBuilder.of(CONFIG).clients(3, null).store(store).build();
      vertx.deployVerticle(v).await(10, TimeUnit.SECONDS);
      URI base = URI.create("http://127.0.0.1:" + v.port());
      for (int i = 0; i < 3; i++) {
        HttpResponse<String> r = send(base, HttpRequest.newBuilder(base.resolve(Wire.CLIENTS))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("silo", "s" + i).encode())));
        assertEquals(201, r.statusCode(), r.body());
        tokens.add(new JsonObject(r.body()).getString("token"));
      }
      uploadAll(base, tokens, 1, 0);
      JsonObject status = new JsonObject(send(base, HttpRequest.newBuilder(base.resolve(Wire.STATUS))).body());
      assertEquals(1, status.getInteger("completed_rounds"), status.encode());
      assertTrue(status.getBoolean("central_dp"), status.encode());
      assertEquals(null, status.getJsonArray("history").getJsonObject(0).getValue("examples"),
          "clients' example counts are not published under central DP");
      afterRound1 = List.copyOf(v.spends());
      assertEquals(1, afterRound1.size(), afterRound1.toString());
      assertEquals(FederationConfig.CentralDp.HOLDER, afterRound1.get(0).holder());
      assertEquals(CentralDpFedAvg.MECHANISM, afterRound1.get(0).mechanism());
      assertEquals(1, afterRound1.get(0).round());
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
      store.close();
    }

    CoordinatorStore again = JdbcCoordinatorStore.open(StoreLocation.sqlite(dir.resolve("c.db")));
    Vertx vertx2 = Vertx.vertx();
    try {
      CoordinatorVerticle v2 = CoordinatorBuilder.of(CONFIG).clients(3, null).store(again).build();
      assertEquals(afterRound1, v2.spends(), "the restarted coordinator holds the same ledger");
      vertx2.deployVerticle(v2).await(10, TimeUnit.SECONDS);
      URI base = URI.create("http://127.0.0.1:" + v2.port());
      uploadAll(base, tokens, 2, 1);
      List<Spend> spends = v2.spends();
      assertEquals(2, spends.size(), spends.toString());
      PrivacyBudget fresh = new PrivacyBudget("coordinator", 50, 1e-5);
      fresh.spend(1, CentralDpFedAvg.MECHANISM, 2.0, 1, 1, 1.0);
      Spend second = fresh.spend(2, CentralDpFedAvg.MECHANISM, 2.0, 1, 1, 1.0);
      assertEquals(second.epsilon(), spends.get(1).epsilon(), 1e-12, "round 2 composes with round 1, not afresh");
    } finally {
      vertx2.close().await(10, TimeUnit.SECONDS);
      again.close();
    }
  }
}
