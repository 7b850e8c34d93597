package org.hedgerow.benchmarks.load;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.hedgerow.aggregation.model.ModelSpec;
import org.hedgerow.aggregation.strategy.FedAvg;
import org.hedgerow.aggregation.strategy.FitConfig;
import org.hedgerow.aggregation.wire.Wire;
import org.hedgerow.coordinator.CoordinatorOptions;
import org.hedgerow.coordinator.CoordinatorVerticle;

/**
 * The Hedgerow coordinator verticle, TLS off: one round, {@code clients} expected, all required.
 * Clients register openly ({@code POST /v1/clients}, untimed), then each PUTs its update to round 1
 * with the required headers (timed). When the API moves to enrolment and mTLS, only
 * {@link #prepare} and the upload headers change.
 */
public final class CoordinatorTarget implements LoadTarget {
  private final ModelSpec spec;
  private CoordinatorVerticle verticle;
  private String deployment;
  private Vertx vertx;
  private CountDownLatch roundClosed;

  public CoordinatorTarget(ModelSpec spec) {
    this.spec = spec;
  }

  @Override
  public String name() {
    return "coordinator";
  }

  @Override
  public boolean tls() {
    return false;
  }

  @Override
  public int start(Vertx vertx, int clients, byte[] body) throws Exception {
    this.vertx = vertx;
    verticle = new CoordinatorVerticle(CoordinatorOptions.of(spec, 1, clients, 1), new FedAvg(new FitConfig(1, 32, 1)));
    roundClosed = new CountDownLatch(1);
    verticle.onRoundClosed((rec, model) -> roundClosed.countDown());
    deployment = vertx.deployVerticle(verticle).await(60, TimeUnit.SECONDS);
    return verticle.port();
  }

  @Override
  public List<Upload> prepare(HttpClient client, int port, int clients) throws Exception {
    List<Future<String>> tokens = new ArrayList<>(clients);
    for (int i = 0; i < clients; i++) {
      String silo = String.format("silo-%05d", i);
      tokens.add(client.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port)
              .setURI(Wire.CLIENTS).putHeader("Content-Type", "application/json"))
          .compose(req -> req.send(Buffer.buffer(new JsonObject().put("silo", silo).encode())))
          .compose(resp -> resp.body().map(b -> {
            if (resp.statusCode() != 201) {
              throw new IllegalStateException("registration of " + silo + " refused: " + resp.statusCode() + " " + b);
            }
            return new JsonObject(b).getString("token");
          })));
    }
    List<Upload> out = new ArrayList<>(clients);
    for (Future<String> f : tokens) {
      String token = f.await(120, TimeUnit.SECONDS);
      out.add(new Upload(Wire.update(1), MultiMap.caseInsensitiveMultiMap()
          .add("Content-Type", Wire.OCTET_STREAM)
          .add("Authorization", "Bearer " + token)
          .add(Wire.HEADER_MODEL_VERSION, "0")
          .add(Wire.HEADER_SPEC_HASH, spec.hash())
          .add(Wire.HEADER_EXAMPLES, "1")));
    }
    return out;
  }

  @Override
  public void verify(int clients) throws Exception {
    if (!roundClosed.await(60, TimeUnit.SECONDS)) {
      throw new IllegalStateException("coordinator: round 1 did not close after " + clients + " uploads");
    }
  }

  @Override
  public void stop() throws Exception {
    vertx.undeploy(deployment).await(60, TimeUnit.SECONDS);
    verticle = null;
  }
}
