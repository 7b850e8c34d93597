package org.hedgerow.edge.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.SplittableRandom;
import org.hedgerow.edge.data.LogFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SlatePolicyTest {
  @TempDir Path dir;

  @Test
  void personal_epsilonPointThree_exploresThatShareOfSlots() throws Exception {
    try (ServeStore store = ServeStore.open(dir.resolve("s.db"))) {
      Recommender r = new Recommender(LogFormat.retail().load(ServeFixture.retailLog(dir)).lines(), store,
          ServeFixture.model(), null, new SlatePolicy(0.3, 1));
      SplittableRandom rnd = new SplittableRandom(42);
      int slots = 0;
      int explored = 0;
      for (int n = 0; n < 2000; n++) {
        Recommendation rec = r.recommend(ServeFixture.FIRST_CUSTOMER + n % ServeFixture.CUSTOMERS, 5, rnd);
        for (Recommendation.Item i : rec.items()) {
          slots++;
          explored += i.reason() == Reason.EXPLORE ? 1 : 0;
        }
      }
      assertEquals(10_000, slots);
      // Binomial(10000, 0.3): sd 45.8; a 5-sd band falsely rejects with probability < 6e-7.
      assertTrue(Math.abs(explored - 3000) < 5 * Math.sqrt(10_000 * 0.3 * 0.7), "explored " + explored);
    }
  }

  @Test
  void boosted_zeroShift_unchangedAndPositiveShiftRaises() {
    assertEquals(0.25f, SlatePolicy.boosted(0.25f, 0), 1e-6);
    float up = SlatePolicy.boosted(0.25f, 1);
    assertTrue(up > 0.25f && up < 1f, "log-odds +1: " + up);
  }
}
