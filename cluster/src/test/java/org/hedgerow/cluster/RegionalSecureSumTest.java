package org.hedgerow.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.hedgerow.aggregation.model.ModelSpec;
import org.hedgerow.aggregation.secagg.SecureSumEncoding;
import org.hedgerow.edge.features.FeatureExtractor;
import org.hedgerow.edge.task.Basket;
import org.hedgerow.edge.task.CustomerLog;
import org.hedgerow.edge.task.SiloData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A region summed under secure aggregation by real {@link SiloWorker}s (two workers, one Vert.x event
 * bus in this JVM, real DL4J training, real SecAgg+): the regional mean equals the one summed in the
 * clear up to the encoding's rounding bound, and no message on the bus carries a silo's own update.
 */
class RegionalSecureSumTest {
  private static final int CATALOGUE = 30;
  private static final ModelSpec SPEC = new ModelSpec(FeatureExtractor.SCHEMA,
      List.of(FeatureExtractor.FEATURES, 8, 1), "relu", "sigmoid", 0.0, "binary-cross-entropy", 1e-2);

  private Vertx vertx;
  private final List<Frame> seen = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    vertx.eventBus().addOutboundInterceptor(ctx -> {
      if (ctx.message().body() instanceof Buffer b) {
        try {
          seen.add(Frame.decode(b));
        } catch (IllegalArgumentException notAFrame) {
          // only cluster frames matter here
        }
      }
      ctx.next();
    });
    vertx.deployVerticle(new SiloWorker("a", 1)).await(30, TimeUnit.SECONDS);
    vertx.deployVerticle(new SiloWorker("b", 1)).await(30, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(30, TimeUnit.SECONDS);
  }

  @Test
  void region_secureRound_meanMatchesClearSumWithinEncodingBoundAndNoSiloUpdateOnTheBus() throws Exception {
    Map<String, List<String>> members = new TreeMap<>(Map.of("a", List.of("s1", "s2"), "b", List.of("s3", "s4")));
    // Two runs of the same silos: each starts from a fresh model (a held model keeps its optimiser state).
    for (String run : List.of("clear", "secure")) {
      assign(run, "a", List.of("s1", "s2"));
      assign(run, "b", List.of("s3", "s4"));
    }
    float[] global = new float[SPEC.parameterCount()];
    new java.util.SplittableRandom(7).doubles(global.length, -0.1, 0.1).forEach(new java.util.function.DoubleConsumer() {
      int i;

      @Override
      public void accept(double v) {
        global[i++] = (float) v;
      }
    });

    Frame clear = region("clear", members, global, null);
    seen.clear();
    Frame secure = region("secure", members, global, new JsonObject().put("session", "cluster/secure/region-1")
        .put("clip", 1.0));

    assertEquals(clear.header().getLong("examples"), secure.header().getLong("examples"),
        "the exact weight sum: every silo is below the weight cap");
    assertEquals(4, secure.header().getInteger("silos"));
    float[] plainMean = Frame.floats(clear.payload(), 0, SPEC.parameterCount());
    float[] secureMean = Frame.floats(secure.payload(), 0, SPEC.parameterCount());
    SecureSumEncoding encoding = SecureSumEncoding.forClients(4, 1.0, null, null);
    double bound = encoding.meanErrorBound(4, secure.header().getLong("examples"));
    double largest = 0;
    for (int i = 0; i < plainMean.length; i++) {
      assertTrue(Math.abs(plainMean[i]) <= 1.0, "the clear deltas are within the clip, so clipping changes nothing");
      largest = Math.max(largest, Math.abs(plainMean[i] - secureMean[i]));
    }
    // float rounding of both means on the way out adds at most one ulp of 1.0 each
    assertTrue(largest <= bound + 2 * Math.ulp(1.0f), "largest difference " + largest + " above bound " + bound);

    // What crossed the bus during the secure round: no member answer with per-silo updates or counts.
    assertFalse(seen.isEmpty());
    for (Frame f : seen) {
      assertFalse(f.header().containsKey("updates"), "a silo's update crossed the bus: " + f.header());
      if (f.header().containsKey("keys")) {
        assertEquals(0, f.payload().length(), "a member's training answer carries no vector under secure aggregation");
        assertFalse(f.header().encode().contains("examples"), f.header().encode());
      }
    }
  }

  @Test
  void region_secureRoundWithTwoSilos_refusedNamingTheMinimum() throws Exception {
    assign("two", "a", List.of("s1", "s2"));
    Map<String, List<String>> members = Map.of("a", List.of("s1", "s2"));
    var e = assertThrows(ReplyException.class, () -> region("two", members, new float[SPEC.parameterCount()],
        new JsonObject().put("session", "s").put("clip", 1.0)));
    assertTrue(e.getMessage().contains("at least 3 silos"), e.getMessage());
  }

  private Frame region(String run, Map<String, List<String>> members, float[] global, JsonObject secure) throws Exception {
    JsonObject m = new JsonObject();
    members.forEach((w, s) -> m.put(w, new JsonArray(s)));
    JsonObject h = new JsonObject().put("task", new RoundTask(run, 1, 1, 16, 42L).toJson())
        .put("dimension", SPEC.parameterCount()).put("members", m);
    if (secure != null) {
      h.put("secure", secure);
    }
    Buffer answer = vertx.eventBus().<Buffer>request(Addresses.worker("a", Addresses.REGION),
        new Frame(h, Frame.floats(global)).encode(), new DeliveryOptions().setSendTimeout(120_000))
        .await(150, TimeUnit.SECONDS).body();
    return Frame.decode(answer);
  }

  private void assign(String run, String worker, List<String> silos) throws Exception {
    SiloAssignment a = new SiloAssignment(run, SPEC, 2, 2, 42L, false, CATALOGUE);
    JsonArray sizes = new JsonArray();
    Buffer payload = Buffer.buffer();
    for (String s : silos) {
      byte[] encoded = TrainingData.encode(silo(s));
      sizes.add(encoded.length);
      payload.appendBytes(encoded);
    }
    vertx.eventBus().<Buffer>request(Addresses.worker(worker, Addresses.ASSIGN),
        new Frame(new JsonObject().put("assignment", a.toJson()).put("sizes", sizes), payload).encode())
        .await(60, TimeUnit.SECONDS);
  }

  /** A small silo: 12 customers, 4 training baskets each over a 30-product catalogue. */
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
