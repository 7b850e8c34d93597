package org.hedgerow.simulations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.hedgerow.aggregation.model.ModelSpec;
import org.hedgerow.aggregation.strategy.AggregatorSpec;
import org.hedgerow.aggregation.strategy.FitConfig;
import org.hedgerow.coordinator.service.CoordinatorVerticle;
import org.hedgerow.coordinator.assembly.CoordinatorBuilder;
import org.hedgerow.coordinator.assembly.FederationConfig;
import org.hedgerow.coordinator.secagg.SecureAggregationOptions;
import org.hedgerow.edge.client.CoordinatorClient;
import org.hedgerow.edge.client.EdgeClient;
import org.hedgerow.edge.client.SecureAggregationPolicy;
import org.hedgerow.edge.features.TrainingSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A silo's secure-aggregation policy against real (in-process) coordinators built the one way. */
class SecureAggregationPolicyTest {
  private static final ModelSpec SPEC = new ModelSpec("test", List.of(4, 3, 1), "relu", "sigmoid", 0,
      "binary-cross-entropy", 1e-2);
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private static TrainingSet examples(long seed) {
    Random r = new Random(seed);
    int n = 32;
    float[] x = new float[n * 4];
    float[] y = new float[n];
    float[] w = new float[n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < 4; j++) {
        x[i * 4 + j] = (float) r.nextGaussian();
      }
      y[i] = x[i * 4] > 0 ? 1 : 0;
      w[i] = 1;
    }
    return new TrainingSet(x, y, w, n, n);
  }

  private URI start(FederationConfig config, int clients) throws Exception {
    CoordinatorVerticle v = CoordinatorBuilder.of(config).clients(clients, null).build();
    vertx.deployVerticle(v).await(10, TimeUnit.SECONDS);
    return URI.create("http://127.0.0.1:" + v.port());
  }

  private static EdgeClient silo(String name, URI uri, SecureAggregationPolicy policy) {
    return new EdgeClient(name, new CoordinatorClient(uri), SPEC, examples(name.hashCode()), new Semaphore(2), 1, null,
        policy);
  }

  @Test
  void requireSecureAggregation_plainCoordinator_declinesWithoutSendingAndSaysInTheClear() throws Exception {
    URI uri = start(FederationConfig.plain(SPEC, 2, 1, new FitConfig(1, 8, 1), AggregatorSpec.DEFAULT), 1);
    EdgeClient c = silo("careful", uri, new SecureAggregationPolicy(true, 0, 0, 0));
    c.run();
    assertTrue(c.refusedByPolicy());
    assertEquals(0, c.roundsDone());
    assertTrue(c.declineReason().contains("in the clear"), c.declineReason());
  }

  @Test
  void minClients_rosterSmallerThanTheMinimum_thatSiloDeclinesTheOthersCompleteTheRound() throws Exception {
    URI uri = start(FederationConfig.plain(SPEC, 1, 1, new FitConfig(1, 8, 1), AggregatorSpec.DEFAULT)
        .withSecureAggregation(SecureAggregationOptions.of("secagg+", 30_000).withDeadlines(30_000, 5_000)), 4);
    List<EdgeClient> silos = new ArrayList<>();
    silos.add(silo("picky", uri, new SecureAggregationPolicy(true, 5, 0, 0)));
    for (int i = 0; i < 3; i++) {
      silos.add(silo("silo-" + i, uri, new SecureAggregationPolicy(true, 3, 0, 0)));
    }
    runAll(silos);
    EdgeClient picky = silos.get(0);
    assertTrue(picky.refusedByPolicy());
    assertTrue(picky.declineReason().contains("--min-clients 5") && picky.declineReason().contains("4 silos"),
        picky.declineReason());
    for (EdgeClient c : silos.subList(1, 4)) {
      assertFalse(c.refusedByPolicy(), String.valueOf(c.declineReason()));
      assertEquals(1, c.roundsDone());
    }
  }

  @Test
  void policy_minimumsWithoutRequire_refusedNamingTheFlag() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new SecureAggregationPolicy(false, 3, 0, 0));
    assertTrue(e.getMessage().contains("--require-secure-aggregation"), e.getMessage());
  }

  @Test
  void below_thresholdAndBits_nameTheMinimumBroken() {
    SecureAggregationPolicy p = new SecureAggregationPolicy(true, 0, 4, 16);
    assertEquals(Optional.empty(), p.below(1, 10, 4, 16));
    assertTrue(p.below(1, 10, 3, 16).orElseThrow().contains("--min-threshold 4"));
    assertTrue(p.below(1, 10, 5, 12).orElseThrow().contains("--min-bits 16"));
  }

  @Test
  void below_roundAboveMaxRound_refusedNamingTheFlag() {
    SecureAggregationPolicy p = new SecureAggregationPolicy(true, 0, 0, 0, 5);
    assertEquals(Optional.empty(), p.below(5, 10, 6, 32));
    String why = p.below(6, 10, 6, 32).orElseThrow();
    assertTrue(why.contains("round 6") && why.contains("--max-round 5"), why);
  }

  @Test
  void below_noMaxRoundSet_defaultBoundHoldsWithOrWithoutRequire() {
    int bound = SecureAggregationPolicy.DEFAULT_MAX_ROUND;
    for (SecureAggregationPolicy p : List.of(SecureAggregationPolicy.NONE, new SecureAggregationPolicy(true, 0, 0, 0))) {
      assertEquals(Optional.empty(), p.below(bound, 10, 6, 32));
      String why = p.below(bound + 1, 10, 6, 32).orElseThrow();
      assertTrue(why.contains("round " + (bound + 1)) && why.contains("--max-round " + bound)
          && why.contains("the default"), why);
    }
    assertEquals(Optional.empty(), SecureAggregationPolicy.NONE.refusal(bound + 1, null),
        "a round in the clear draws no graph: the bound is for secure rounds");
  }

  @Test
  void policy_maxRoundWithoutRequire_boundsSecureRoundsOnly() {
    SecureAggregationPolicy p = new SecureAggregationPolicy(false, 0, 0, 0, 3000);
    assertEquals(Optional.empty(), p.below(2500, 10, 6, 32), "raised above the default");
    assertTrue(p.below(3001, 10, 6, 32).orElseThrow().contains("--max-round 3000"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new SecureAggregationPolicy(false, 3, 0, 0, 0));
    assertTrue(e.getMessage().contains("--min-clients") && e.getMessage().contains("--require-secure-aggregation"),
        e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new SecureAggregationPolicy(true, 0, 0, 0, -1));
  }

  @Test
  void sybilExposure_thresholdAtOrBelowHalfOfDegreePlusSybils_refusedNamingTheNeededThreshold() {
    SecureAggregationPolicy p = new SecureAggregationPolicy(true, 0, 0, 0, 0, 2);
    // k = 8, S = 2: an attack needs honest + 2 x Sybil neighbours >= 2t, so t = 5 (10 <= 10) is exposed...
    String why = p.sybilExposure(1, 8, 5).orElseThrow();
    assertTrue(why.contains("t = 5") && why.contains("k = 8") && why.contains("--max-sybils 2")
        && why.contains("t >= 6"), why);
    // ...and t = 6 (12 > 10) is not: the same bound as MaliciousServerTest's n = 9, t = 7 vs t = 5 pair.
    assertEquals(Optional.empty(), p.sybilExposure(1, 8, 6));
    assertEquals(Optional.empty(), new SecureAggregationPolicy(true, 0, 0, 0).sybilExposure(1, 8, 5),
        "without an assumption only t > k/2 (enforced by the protocol) applies");
    assertTrue(new SecureAggregationPolicy(true, 0, 0, 0, 0, 5).sybilExposure(1, 4, 4).orElseThrow()
        .contains("no threshold suffices"), "t >= 5 is more than k = 4");
  }

  @Test
  void policy_maxSybilsWithoutRequireOrNegative_refused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new SecureAggregationPolicy(false, 0, 0, 0, 0, 1));
    assertTrue(e.getMessage().contains("--max-sybils") && e.getMessage().contains("--require-secure-aggregation"),
        e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new SecureAggregationPolicy(true, 0, 0, 0, 0, -1));
  }

  @Test
  void maxSybils_sessionThresholdTooLowForTheAssumption_thatSiloDeclinesBeforeSendingTheOthersComplete()
      throws Exception {
    // Four silos, classic SecAgg (k = n - 1 = 3) at the default t = 3: safe for S <= 2 (6 > 5), not for S = 3.
    URI uri = start(FederationConfig.plain(SPEC, 1, 1, new FitConfig(1, 8, 1), AggregatorSpec.DEFAULT)
        .withSecureAggregation(SecureAggregationOptions.of("secagg+", 30_000).withDeadlines(30_000, 5_000)), 4);
    List<EdgeClient> silos = new ArrayList<>();
    silos.add(silo("wary", uri, new SecureAggregationPolicy(true, 0, 0, 0, 0, 3)));
    for (int i = 0; i < 3; i++) {
      silos.add(silo("silo-" + i, uri, new SecureAggregationPolicy(true, 0, 0, 0, 0, 2)));
    }
    runAll(silos);
    EdgeClient wary = silos.get(0);
    assertTrue(wary.refusedByPolicy());
    assertTrue(wary.declineReason().contains("--max-sybils 3") && wary.declineReason().contains("k = 3"),
        wary.declineReason());
    for (EdgeClient c : silos.subList(1, 4)) {
      assertFalse(c.refusedByPolicy(), String.valueOf(c.declineReason()));
      assertEquals(1, c.roundsDone());
    }
  }

  @Test
  void maxSybils_coordinatorSizesTheThresholdForTheSameAssumption_everySiloTakesPart() throws Exception {
    // Five silos, complete graph k = 4: the default t = 3 fails 2t > k + 2 (6 > 6), the sized t = 4 passes.
    var unsized = SecureAggregationOptions.of("secagg+", 30_000).configFor(1, 5, 16);
    assertEquals(4, unsized.neighbours());
    assertTrue(new SecureAggregationPolicy(true, 0, 0, 0, 0, 2).sybilExposure(1, 4, unsized.threshold()).isPresent(),
        "without the coordinator's sizing these silos would refuse");
    URI uri = start(FederationConfig.plain(SPEC, 1, 1, new FitConfig(1, 8, 1), AggregatorSpec.DEFAULT)
        .withSecureAggregation(SecureAggregationOptions.of("secagg+", 30_000).withDeadlines(30_000, 5_000)
            .withAssumedSybils(2)), 5);
    List<EdgeClient> silos = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      silos.add(silo("silo-" + i, uri, new SecureAggregationPolicy(true, 0, 0, 0, 0, 2)));
    }
    runAll(silos);
    for (EdgeClient c : silos) {
      assertFalse(c.refusedByPolicy(), String.valueOf(c.declineReason()));
      assertEquals(1, c.roundsDone());
    }
  }

  /** Runs every silo to the end of the federation, concurrently. */
  private static void runAll(List<EdgeClient> silos) throws Exception {
    List<CompletableFuture<Void>> runs = new ArrayList<>();
    for (EdgeClient c : silos) {
      runs.add(CompletableFuture.runAsync(() -> {
        try {
          c.run();
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
      }));
    }
    for (CompletableFuture<Void> f : runs) {
      f.get(90, TimeUnit.SECONDS);
    }
  }
}
