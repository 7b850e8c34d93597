package org.hedgerow.cluster;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.hedgerow.aggregation.model.ModelSpec;
import org.hedgerow.edge.features.FeatureExtractor;
import org.hedgerow.edge.silo.Silos;
import org.hedgerow.edge.task.Basket;
import org.hedgerow.edge.task.CustomerLog;
import org.hedgerow.edge.task.SiloData;

/**
 * Test fixture: two real {@link SiloWorker}s, "a" and "b", on one (non-clustered) Vert.x event bus,
 * with small synthetic silos and a small model; "a" leads the region.
 */
final class TwoWorkers implements AutoCloseable {
  static final int CATALOGUE = 30;
  static final ModelSpec SPEC = new ModelSpec(FeatureExtractor.SCHEMA, List.of(FeatureExtractor.FEATURES, 8, 1),
      "relu", "sigmoid", 0.0, "binary-cross-entropy", 1e-2);

  final Vertx vertx;

  /** Deploys the workers; {@code setup} runs on the fresh Vert.x first (e.g. to add a bus interceptor). */
  TwoWorkers(java.util.function.Consumer<Vertx> setup) throws Exception {
    vertx = Vertx.vertx();
    setup.accept(vertx);
    vertx.deployVerticle(new SiloWorker("a", 1)).await(30, TimeUnit.SECONDS);
    vertx.deployVerticle(new SiloWorker("b", 1)).await(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws Exception {
    vertx.close().await(30, TimeUnit.SECONDS);
  }

  /** Ships {@code silos} of run {@code a.run()} to {@code worker}; DP silos with a fresh release each. */
  void assign(SiloAssignment a, String worker, List<String> silos) throws Exception {
    JsonArray sizes = new JsonArray();
    Buffer payload = Buffer.buffer();
    List<byte[]> releases = new ArrayList<>();
    for (String s : silos) {
      SiloData data = silo(s);
      byte[] encoded = TrainingData.encode(data);
      sizes.add(encoded.length);
      payload.appendBytes(encoded);
      if (a.dp() != null) {
        releases.add(Silos.release(a.settings(s), data, CATALOGUE).toBytes());
      }
    }
    JsonObject header = new JsonObject().put("assignment", a.toJson()).put("sizes", sizes);
    if (a.dp() != null) {
      header.put("releases_at", payload.length());
      payload.appendBuffer(Frame.blobs(releases));
    }
    vertx.eventBus().<Buffer>request(Addresses.worker(worker, Addresses.ASSIGN), new Frame(header, payload).encode())
        .await(60, TimeUnit.SECONDS);
  }

  /** Asks the leader "a" for the region's update of {@code round} (secure: null for the clear sum). */
  Frame region(String run, Map<String, List<String>> members, int round, float[] global, JsonObject secure)
      throws Exception {
    JsonObject m = new JsonObject();
    members.forEach((w, s) -> m.put(w, new JsonArray(s)));
    JsonObject h = new JsonObject().put("task", new RoundTask(run, round, 1, 16, 42L).toJson())
        .put("dimension", SPEC.parameterCount()).put("members", m);
    if (secure != null) {
      h.put("secure", secure);
    }
    Buffer answer = vertx.eventBus().<Buffer>request(Addresses.worker("a", Addresses.REGION),
        new Frame(h, Frame.floats(global)).encode(), new DeliveryOptions().setSendTimeout(120_000))
        .await(150, TimeUnit.SECONDS).body();
    return Frame.decode(answer);
  }

  /** A small silo: 12 customers, 4 training baskets each over the 30-product catalogue. */
  static SiloData silo(String name) {
    Random r = new Random(name.hashCode());
    List<CustomerLog> customers = new ArrayList<>();
    LocalDateTime t0 = LocalDateTime.of(2011, 1, 3, 10, 0);
    for (int c = 0; c < 12; c++) {
      int id = 10_000 + 100 * name.hashCode() % 1000 + c;
      List<Basket> train = new ArrayList<>();
      for (int b = 0; b < 4; b++) {
        int[] items = r.ints(4, 0, CATALOGUE).distinct().toArray();
        int[] quantities = new int[items.length];
        java.util.Arrays.fill(quantities, 1 + r.nextInt(3));
        train.add(new Basket("inv-" + name + "-" + c + "-" + b, id, t0.plusDays(7L * b + c), items, quantities));
      }
      customers.add(new CustomerLog(id, train, List.of()));
    }
    return new SiloData(name, customers);
  }
}
