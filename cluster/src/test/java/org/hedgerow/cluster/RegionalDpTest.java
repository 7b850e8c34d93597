package org.hedgerow.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.hedgerow.aggregation.wire.SpendJson;
import org.hedgerow.edge.dp.DpConfig;
import org.hedgerow.privacy.budget.SignedSpend;
import org.hedgerow.privacy.budget.Spend;
import org.hedgerow.privacy.budget.SpendAccounting;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * DP silos on cluster workers (two real {@link SiloWorker}s on one event bus, real DL4J DP-SGD):
 * each silo's budget is charged on its worker — release first, then each round — its weight is the
 * DP customer count, nothing exact leaves, and a silo whose budget would not cover a round sits it out.
 */
class RegionalDpTest {
  private static final LocalDateTime TRAINING_END = LocalDateTime.of(2011, 6, 1, 0, 0);
  /** Calibrated so that the release and exactly one round fit the cap of 4 at δ 10⁻⁵. */
  private static final DpConfig DP = DpConfig.calibrated(1.0, 0.5, 2, 0.05, 4.0, 1e-5, 1,
      DpConfig.DEFAULT_STATS_NOISE_MULTIPLIER, DpConfig.DEFAULT_COUNT_NOISE_MULTIPLIER);

  private TwoWorkers cluster;

  @BeforeEach
  void start() throws Exception {
    cluster = new TwoWorkers(vertx -> { });
  }

  @AfterEach
  void stop() throws Exception {
    cluster.close();
  }

  @Test
  void region_dpSilos_budgetsChargedOnWorkersWithSignedLogsTheAccountantReproduces() throws Exception {
    Map<String, List<String>> members = new TreeMap<>(Map.of("a", List.of("s1", "s2"), "b", List.of("s3")));
    SiloAssignment a = new SiloAssignment("dp", TwoWorkers.SPEC, 2, 2, 42L, false, TwoWorkers.CATALOGUE, DP,
        TRAINING_END);
    for (Map.Entry<String, List<String>> e : members.entrySet()) {
      cluster.assign(a, e.getKey(), e.getValue());
    }
    float[] global = new float[TwoWorkers.SPEC.parameterCount()];
    java.util.Arrays.fill(global, 0.01f);

    Frame round1 = cluster.region("dp", members, 1, global, null);
    assertEquals(3, round1.header().getInteger("silos"));
    assertFalse(round1.header().containsKey("loss"), "under DP the training loss is not released");

    Frame spends = Frame.decode(cluster.vertx.eventBus().<Buffer>request(Addresses.worker("a", Addresses.SPENDS),
        new Frame(new JsonObject().put("run", "dp")).encode()).await(30, TimeUnit.SECONDS).body());
    JsonObject bySilo = spends.header().getJsonObject("spends");
    assertEquals(java.util.Set.of("s1", "s2"), bySilo.fieldNames(), "worker a answers for its own silos");
    for (String silo : bySilo.fieldNames()) {
      List<SignedSpend> log = SpendJson.parseBatch(bySilo.getString(silo));
      List<Spend> plain = log.stream().map(SignedSpend::spend).toList();
      assertTrue(log.stream().allMatch(SignedSpend::valid), "every spend is signed by the silo's key");
      assertTrue(plain.get(0).isRelease(), "the release is charged before any round");
      assertEquals(1, plain.stream().filter(x -> !x.isRelease()).count(), "one round charged");
      double recorded = plain.get(plain.size() - 1).epsilon();
      assertEquals(SpendAccounting.epsilon(plain, 1e-5), recorded, 0.0, "the accountant reproduces the silo's epsilon");
      assertTrue(recorded <= 4.0, "within the cap: " + recorded);
    }

    // Round 2 does not fit any budget: every silo declines, so the region has nothing to send.
    var e = assertThrows(ReplyException.class, () -> cluster.region("dp", members, 2, global, null));
    assertTrue(e.getMessage().contains("no silo updates"), e.getMessage());
  }
}
