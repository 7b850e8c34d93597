package org.hedgerow.coordinator.assembly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.hedgerow.aggregation.model.ModelSpec;
import org.hedgerow.aggregation.strategy.AggregatorSpec;
import org.hedgerow.aggregation.strategy.CentralDpFedAvg;
import org.hedgerow.aggregation.strategy.FedAvg;
import org.hedgerow.aggregation.strategy.FitConfig;
import org.hedgerow.aggregation.strategy.PrivacyAccounted;
import org.hedgerow.aggregation.wire.Wire;
import org.hedgerow.coordinator.CoordinatorOptions;
import org.hedgerow.coordinator.service.CoordinatorVerticle;
import org.hedgerow.coordinator.secagg.SecureAggregationOptions;
import org.hedgerow.privacy.accounting.NoiseCalibration;
import org.junit.jupiter.api.Test;

/** The one coordinator assembly path: what {@link CoordinatorBuilder} builds from a {@link FederationConfig}. */
class CoordinatorBuilderTest {
  private static final ModelSpec SPEC = new ModelSpec("test", List.of(4, 3, 1), "relu", "sigmoid", 0,
      "binary-cross-entropy", 1e-3);
  private static final FederationConfig PLAIN = FederationConfig.plain(SPEC, 3, 7, new FitConfig(1, 8, 7),
      AggregatorSpec.DEFAULT);

  @Test
  void strategy_plainConfig_isTheAggregationRule() {
    assertInstanceOf(FedAvg.class, CoordinatorBuilder.of(PLAIN).clients(3, null).strategy());
  }

  @Test
  void strategy_centralDpWithoutSigma_decoratesWithCalibratedSigmaAndCoordinatorBudget() {
    FederationConfig c = PLAIN.withCentralDp(new FederationConfig.CentralDp(0.5, null, 4, 1e-5));
    CoordinatorBuilder b = CoordinatorBuilder.of(c).clients(5, null);
    CentralDpFedAvg s = assertInstanceOf(CentralDpFedAvg.class, b.strategy());
    assertEquals(NoiseCalibration.noiseMultiplierFor(4, 1e-5, 1.0, 3), b.centralNoiseMultiplier(), 1e-12);
    assertEquals(FederationConfig.CentralDp.HOLDER, ((PrivacyAccounted) s).budget().holder());
    assertEquals(4, ((PrivacyAccounted) s).budget().epsilonCap());
  }

  @Test
  void strategy_centralDpWithoutExpectedClientsOrEnrolments_refusedNamingClients() {
    FederationConfig c = PLAIN.withCentralDp(new FederationConfig.CentralDp(0.5, 1.0, 4, 1e-5));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> CoordinatorBuilder.of(c).clients(0, null).strategy());
    assertTrue(e.getMessage().contains("--clients"), e.getMessage());
  }

  @Test
  void config_centralDpAndSecureAggregation_refusedNamingBoth() {
    FederationConfig c = PLAIN.withSecureAggregation(SecureAggregationOptions.of("secagg+", 60_000));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> c.withCentralDp(new FederationConfig.CentralDp(0.5, 1.0, 4, 1e-5)));
    assertTrue(e.getMessage().contains("central DP") && e.getMessage().contains("secure aggregation"), e.getMessage());
  }

  @Test
  void config_medianBehindSecureAggregation_refusedNamingTheAggregator() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FederationConfig.plain(SPEC, 3, 7,
        new FitConfig(1, 8, 7), AggregatorSpec.of("median")).withSecureAggregation(
            SecureAggregationOptions.of("secagg+", 60_000)));
    assertTrue(e.getMessage().contains("median"), e.getMessage());
  }

  @Test
  void config_privacyCentral_refusedNoneOrLocalOnly() {
    assertThrows(IllegalArgumentException.class, () -> PLAIN.withPrivacy("central"));
  }

  @Test
  void options_defaults_everyExpectedClientRequiredAndUploadHoldsAModel() {
    CoordinatorOptions o = CoordinatorBuilder.of(PLAIN.withPrivacy("local")).clients(4, null).options();
    assertEquals(4, o.minClients());
    assertEquals(3, o.targetRounds());
    assertEquals(7, o.seed());
    assertEquals("local", o.privacy());
    assertEquals(CoordinatorOptions.DEFAULT_MAX_UPLOAD_BYTES, o.maxUploadBytes());
  }

  @Test
  void build_secureAggregation_servesTheWorkflowAndStatusNamesTheMode() throws Exception {
    CoordinatorVerticle v = CoordinatorBuilder.of(PLAIN.withSecureAggregation(
        SecureAggregationOptions.of("secagg+", 60_000))).clients(3, null).build();
    Vertx vertx = Vertx.vertx();
    try {
      vertx.deployVerticle(v).await(10, TimeUnit.SECONDS);
      assertEquals("secagg+", v.secureAggregation().mode());
      HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + v.port() + Wire.STATUS)).build(), HttpResponse.BodyHandlers.ofString());
      assertTrue(r.body().contains("\"secure_aggregation\":\"secagg+\""), r.body());
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void build_plain_noWorkflow() throws Exception {
    CoordinatorVerticle v = CoordinatorBuilder.of(PLAIN).clients(3, null).build();
    Vertx vertx = Vertx.vertx();
    try {
      vertx.deployVerticle(v).await(10, TimeUnit.SECONDS);
      assertNull(v.secureAggregation());
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }
}
