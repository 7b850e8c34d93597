package org.hedgerow.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.time.LocalDateTime;
import java.util.List;
import org.hedgerow.edge.task.Basket;
import org.hedgerow.edge.task.CustomerLog;
import org.hedgerow.edge.task.SiloData;
import org.junit.jupiter.api.Test;

/** The cluster's messages: frames, parameter vectors and silo data arrive exactly as sent. */
class WireRoundTripTest {
  @Test
  void frame_headerAndFloats_roundTripBitForBit() {
    float[] v = {1.5f, -0f, Float.MIN_VALUE, 0.1f, Float.MAX_VALUE};
    Frame f = Frame.decode(new Frame(new JsonObject().put("round", 3), Frame.floats(v)).encode());
    assertEquals(3, f.header().getInteger("round"));
    float[] back = Frame.floats(f.payload(), 0, v.length);
    for (int i = 0; i < v.length; i++) {
      assertEquals(Float.floatToRawIntBits(v[i]), Float.floatToRawIntBits(back[i]));
    }
  }

  @Test
  void frame_corruptLength_refusedClearly() {
    var e = assertThrows(IllegalArgumentException.class, () -> Frame.decode(Buffer.buffer().appendInt(99)));
    assertTrue(e.getMessage().contains("header length 99"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Frame.floats(Buffer.buffer(new byte[8]), 0, 3));
  }

  @Test
  void trainingData_roundTrip_keepsTrainingBasketsDropsTest() {
    LocalDateTime t = LocalDateTime.of(2011, 3, 4, 12, 30, 15);
    Basket b1 = new Basket("536365", 17850, t, new int[] {2, 7}, new int[] {6, 1});
    Basket b2 = new Basket("536366", 17850, t.plusDays(1), new int[] {-1, 3}, new int[] {1, 2});
    SiloData silo = new SiloData("uk-1", List.of(new CustomerLog(17850, List.of(b1), List.of(b2))));
    SiloData back = TrainingData.decode(TrainingData.encode(silo));
    assertEquals("uk-1", back.name());
    CustomerLog c = back.customers().get(0);
    assertEquals(17850, c.customerId());
    assertEquals(List.of(), c.test(), "held-out baskets never leave the simulator");
    Basket r = c.train().get(0);
    assertEquals(b1.invoice(), r.invoice());
    assertEquals(t, r.time());
    assertArrayEquals(b1.items(), r.items());
    assertArrayEquals(b1.quantities(), r.quantities());
  }

  @Test
  void clusterAddress_parse_refusesWhatIsNotHostColonPort() {
    assertEquals(new ClusterAddress("10.0.0.2", 5701), ClusterAddress.parse(" 10.0.0.2:5701 "));
    assertEquals(2, ClusterAddress.parseList("a:1,b:2").size());
    for (String bad : List.of("host", "host:", ":5701", "host:x", "host:70000")) {
      assertThrows(IllegalArgumentException.class, () -> ClusterAddress.parse(bad), bad);
    }
  }
}
