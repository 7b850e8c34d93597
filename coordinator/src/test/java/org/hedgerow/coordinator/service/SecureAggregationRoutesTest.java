package org.hedgerow.coordinator.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.hedgerow.aggregation.model.ModelSpec;
import org.hedgerow.aggregation.strategy.AggregatorSpec;
import org.hedgerow.aggregation.strategy.FitConfig;
import org.hedgerow.aggregation.wire.ErrorBody;
import org.hedgerow.aggregation.wire.JoinAnswer;
import org.hedgerow.aggregation.wire.JoinRequest;
import org.hedgerow.aggregation.wire.RoundState;
import org.hedgerow.aggregation.wire.Wire;
import org.hedgerow.aggregation.wire.WireJson;
import org.hedgerow.coordinator.ServiceLimits;
import org.hedgerow.coordinator.assembly.CoordinatorBuilder;
import org.hedgerow.coordinator.assembly.FederationConfig;
import org.hedgerow.coordinator.secagg.SecureAggregationOptions;
import org.hedgerow.privacy.crypto.Ed25519;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Secure-aggregation stage polls are capped like the round's long polls. */
class SecureAggregationRoutesTest {
  private static final ModelSpec SPEC = new ModelSpec("test", List.of(2, 2, 1), "relu", "sigmoid", 0,
      "binary-cross-entropy", 1e-3);
  private final HttpClient http = HttpClient.newHttpClient();
  private Vertx vertx;

  @AfterEach
  void stop() throws Exception {
    if (vertx != null) {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void stageGet_beyondTheLongPollCap_503WithRetryAfter() throws Exception {
    CoordinatorVerticle verticle = CoordinatorBuilder.of(FederationConfig.plain(SPEC, 1, 1, new FitConfig(1, 8, 1),
            AggregatorSpec.DEFAULT).withSecureAggregation(SecureAggregationOptions.of("secagg", 60_000)))
        .clients(3, null).limits(ServiceLimits.DEFAULTS.withMaxLongPollWaiters(1)).build();
    vertx = Vertx.vertx();
    vertx.deployVerticle(verticle).await(10, TimeUnit.SECONDS);
    URI base = URI.create("http://127.0.0.1:" + verticle.port());
    List<String> tokens = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      byte[] key = Ed25519.generateKeyPair(new SecureRandom()).publicKey();
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve(Wire.CLIENTS))
          .POST(HttpRequest.BodyPublishers.ofString(WireJson.encode(JoinRequest.of("silo-" + i, key)))).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(201, r.statusCode(), r.body());
      tokens.add(WireJson.decode(r.body(), JoinAnswer.class).token());
    }
    RoundState round = WireJson.decode(http.send(HttpRequest.newBuilder(base.resolve(Wire.ROUND)).GET().build(),
        HttpResponse.BodyHandlers.ofString()).body(), RoundState.class);
    String session = round.config().secureAggregation().session();
    assertNotNull(session, "round 1 runs a session: " + round);
    // share-keys is not reached before every silo advertised its keys: a poll for it waits (20 s). Of two sent
    // at once, one waits and the other is refused at once.
    List<CompletableFuture<HttpResponse<String>>> polls = List.of(
        http.sendAsync(stageGet(base, tokens.get(0), session), HttpResponse.BodyHandlers.ofString()),
        http.sendAsync(stageGet(base, tokens.get(1), session), HttpResponse.BodyHandlers.ofString()));
    CompletableFuture.anyOf(polls.toArray(CompletableFuture[]::new)).get(15, TimeUnit.SECONDS);
    HttpResponse<String> refused = polls.stream().filter(CompletableFuture::isDone).findFirst().orElseThrow().get();
    assertEquals(503, refused.statusCode(), refused.body());
    assertEquals("5", refused.headers().firstValue("Retry-After").orElse(null));
    assertTrue(WireJson.decode(refused.body(), ErrorBody.class).error().contains("stage polls waiting (limit 1)"),
        refused.body());
    assertEquals(1, polls.stream().filter(CompletableFuture::isDone).count(), "the other poll still waits");
  }

  private static HttpRequest stageGet(URI base, String token, Object session) {
    return HttpRequest.newBuilder(base.resolve(Wire.secAgg(1, "share-keys"))).GET()
        .header("Authorization", "Bearer " + token).header(Wire.HEADER_SECAGG_SESSION, session.toString()).build();
  }
}
