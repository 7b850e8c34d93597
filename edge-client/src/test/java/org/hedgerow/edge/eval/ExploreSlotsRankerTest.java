package org.hedgerow.edge.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.LocalDateTime;
import java.util.List;
import org.hedgerow.edge.features.CustomerHistory;
import org.hedgerow.edge.task.Basket;
import org.hedgerow.edge.task.CustomerLog;
import org.hedgerow.edge.task.SiloData;
import org.junit.jupiter.api.Test;

class ExploreSlotsRankerTest {
  /** A fake ranker for this test only: unseen item i scores -i; bought items score 100 - i. */
  private static final class RepeatsFirstFake implements Ranker {
    private final float[] unseen = new float[40];

    RepeatsFirstFake() {
      for (int i = 0; i < unseen.length; i++) {
        unseen[i] = -i;
      }
    }

    @Override
    public float[] unseenScores() {
      return unseen;
    }

    @Override
    public float[] historyScores(CustomerHistory h, int[] items) {
      float[] s = new float[items.length];
      for (int k = 0; k < items.length; k++) {
        s[k] = 100 - items[k];
      }
      return s;
    }
  }

  private static Basket basket(int day, int... items) {
    int[] q = new int[items.length];
    java.util.Arrays.fill(q, 1);
    return new Basket("i" + day, 1, LocalDateTime.of(2011, 1, 1, 0, 0).plusDays(day), items, q);
  }

  /** The customer bought 20..31 (12 products); the next basket is new product 0 and repeat 29. */
  private static SiloData silo() {
    return new SiloData("s", List.of(new CustomerLog(1, List.of(basket(0, 20, 21, 22, 23, 24, 25),
        basket(1, 26, 27, 28, 29, 30, 31)), List.of(basket(2, 0, 29)))));
  }

  @Test
  void fixed_zeroSlots_ranksExactlyAsTheModel() {
    Metrics model = Evaluator.evaluate(silo(), new RepeatsFirstFake()).metrics();
    Metrics zero = Evaluator.evaluate(silo(), ExploreSlotsRanker.fixed(new RepeatsFirstFake(), 0)).metrics();
    assertEquals(model, zero);
    assertEquals(1.0, model.repeatShare10(), 1e-12); // twelve repeats fill the top 10
    assertEquals(0.0, model.recall10Explore(), 1e-12);
    assertEquals(1.0, model.recall10Repeat(), 1e-12); // 29 is tenth
  }

  @Test
  void fixed_twoSlots_bestNewProductsTakeTheLastTwoPlaces() {
    Metrics m = Evaluator.evaluate(silo(), ExploreSlotsRanker.fixed(new RepeatsFirstFake(), 2)).metrics();
    assertEquals(0.8, m.repeatShare10(), 1e-12);
    assertEquals(1.0, m.recall10Explore(), 1e-12); // product 0, the best new one, is now ninth
    assertEquals(0.0, m.recall10Repeat(), 1e-12); // 29 was tenth and gave way
  }

  @Test
  void calibrated_customerWhoseSecondBasketWasAllNew_getsKTimesScaleSlots() {
    CustomerHistory h = new CustomerHistory();
    silo().customers().get(0).train().forEach(h::add);
    assertEquals(1.0, ExploreSlotsRanker.newShare(h), 1e-12);
    Metrics m = Evaluator.evaluate(silo(), ExploreSlotsRanker.calibrated(new RepeatsFirstFake(), 0.3)).metrics();
    assertEquals(0.7, m.repeatShare10(), 1e-12);
  }

  @Test
  void fixed_moreSlotsThanK_failsNamingTheRange() {
    assertThrows(IllegalArgumentException.class, () -> ExploreSlotsRanker.fixed(new RepeatsFirstFake(), 11));
  }
}
