package org.hedgerow.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.hedgerow.aggregation.secagg.SecureSumEncoding;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A region summed under secure aggregation by real {@link SiloWorker}s (two workers, one Vert.x event
 * bus in this JVM, real DL4J training, real SecAgg+): the regional mean equals the one summed in the
 * clear up to the encoding's rounding bound, and no message on the bus carries a silo's own update.
 */
class RegionalSecureSumTest {
  private static final int D = TwoWorkers.SPEC.parameterCount();

  private TwoWorkers cluster;
  private final List<Frame> seen = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    cluster = new TwoWorkers(vertx -> vertx.eventBus().addOutboundInterceptor(ctx -> {
      if (ctx.message().body() instanceof Buffer b) {
        try {
          seen.add(Frame.decode(b));
        } catch (IllegalArgumentException notAFrame) {
          // only cluster frames matter here
        }
      }
      ctx.next();
    }));
  }

  @AfterEach
  void stop() throws Exception {
    cluster.close();
  }

  private void assign(String run, String worker, List<String> silos) throws Exception {
    cluster.assign(new SiloAssignment(run, TwoWorkers.SPEC, 2, 2, 42L, false, TwoWorkers.CATALOGUE), worker, silos);
  }

  @Test
  void region_secureRound_meanMatchesClearSumWithinEncodingBoundAndNoSiloUpdateOnTheBus() throws Exception {
    Map<String, List<String>> members = new TreeMap<>(Map.of("a", List.of("s1", "s2"), "b", List.of("s3", "s4")));
    // Two runs of the same silos: each starts from a fresh model (a held model keeps its optimiser state).
    for (String run : List.of("clear", "secure")) {
      assign(run, "a", List.of("s1", "s2"));
      assign(run, "b", List.of("s3", "s4"));
    }
    float[] global = new float[D];
    java.util.SplittableRandom r = new java.util.SplittableRandom(7);
    for (int i = 0; i < D; i++) {
      global[i] = (float) r.nextDouble(-0.1, 0.1);
    }

    Frame clear = cluster.region("clear", members, 1, global, null);
    seen.clear();
    Frame secure = cluster.region("secure", members, 1, global, new JsonObject()
        .put("session", "cluster/secure/region-1").put("clip", 1.0));

    assertEquals(clear.header().getLong("examples"), secure.header().getLong("examples"),
        "the exact weight sum: every silo is below the weight cap");
    assertEquals(4, secure.header().getInteger("silos"));
    float[] plainMean = Frame.floats(clear.payload(), 0, D);
    float[] secureMean = Frame.floats(secure.payload(), 0, D);
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
    var e = assertThrows(ReplyException.class, () -> cluster.region("two", Map.of("a", List.of("s1", "s2")), 1,
        new float[D], new JsonObject().put("session", "s").put("clip", 1.0)));
    assertTrue(e.getMessage().contains("at least 3 silos"), e.getMessage());
  }
}
