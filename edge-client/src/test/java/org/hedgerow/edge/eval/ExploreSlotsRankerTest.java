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

  static Basket basket(int day, int... items) {
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

  /**
   * Customer 1 bought 20..31; customers 2 and 3 bought 30, 31 and the new product 5 (so 5 relates to
   * the customer's products), customer 4 bought 0 (the model's best new product, related to nothing).
   */
  static java.util.List<CustomerLog> siloWithNeighbours() {
    List<CustomerLog> out = new java.util.ArrayList<>(silo().customers());
    out.add(new CustomerLog(2, List.of(basket(0, 5, 30, 31)), List.of()));
    out.add(new CustomerLog(3, List.of(basket(0, 5, 30, 31)), List.of()));
    out.add(new CustomerLog(4, List.of(basket(0, 0)), List.of()));
    return out;
  }

  @Test
  void fixed_oneSlotWithScorer_theScorersBestNewProductTakesTheTenthPlace() {
    List<CustomerLog> customers = siloWithNeighbours();
    NewProductScorer scorer = NewProductScorer.of(customers, 40, List.of());
    CustomerHistory h = new CustomerHistory();
    customers.get(0).train().forEach(h::add);
    assertEquals(5, scorer.best(h, 1)[0]);
    // The test basket holds 5 instead of 0: the scorer finds it, the model's own order (0 first) does not.
    SiloData s = new SiloData("s", List.of(new CustomerLog(1, customers.get(0).train(), List.of(basket(2, 5, 29)))));
    Metrics plain = Evaluator.evaluate(s, ExploreSlotsRanker.fixed(new RepeatsFirstFake(), 1)).metrics();
    Metrics scored = Evaluator.evaluate(s, ExploreSlotsRanker.fixed(new RepeatsFirstFake(), 1, scorer)).metrics();
    assertEquals(0.0, plain.recall10Explore(), 1e-12);
    assertEquals(1.0, scored.recall10Explore(), 1e-12);
    assertEquals(0.9, scored.repeatShare10(), 1e-12);
    assertEquals(0.0, scored.recall10Repeat(), 1e-12); // 29 was the model's tenth and gave way, as without a scorer
  }
}
