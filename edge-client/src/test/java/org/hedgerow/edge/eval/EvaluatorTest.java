package org.hedgerow.edge.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDateTime;
import java.util.List;
import org.hedgerow.edge.features.CustomerHistory;
import org.hedgerow.edge.task.Basket;
import org.hedgerow.edge.task.CustomerLog;
import org.hedgerow.edge.task.SiloData;
import org.junit.jupiter.api.Test;

class EvaluatorTest {
  /** A fake ranker for this test only: fixed scores, item i scores 100 - i, bought items get +1000 + i. */
  private static final class FixedScoresFake implements Ranker {
    private final float[] unseen;

    FixedScoresFake(int n) {
      unseen = new float[n];
      for (int i = 0; i < n; i++) {
        unseen[i] = 100 - i;
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
        s[k] = 1000 + items[k];
      }
      return s;
    }
  }

  /** A fake ranker for these tests only: all 30 products score 0, bought or not. */
  private static Ranker allTied30() {
    return new Ranker() {
      @Override
      public float[] unseenScores() {
        return new float[30];
      }

      @Override
      public float[] historyScores(CustomerHistory h, int[] items) {
        return new float[items.length];
      }
    };
  }

  private static Basket basket(int... items) {
    int[] q = new int[items.length];
    java.util.Arrays.fill(q, 1);
    return new Basket("i", 1, LocalDateTime.of(2011, 1, 1, 0, 0), items, q);
  }

  @Test
  void evaluate_boughtItemFirstAndFarItem_exactMetrics() {
    // Catalogue of 50; the customer bought item 30 before, so the full ranking is 30, 0, 1, 2, ...
    // Test basket {30, 45}: 30 is at position 0 (hit), 45 at position 45 (miss).
    SiloData silo = new SiloData("s", List.of(new CustomerLog(1, List.of(basket(30)), List.of(basket(30, 45)))));
    Metrics m = Evaluator.evaluate(silo, new FixedScoresFake(50)).metrics();
    assertEquals(1.0, m.hr10(), 1e-12);
    assertEquals(0.5, m.recall10(), 1e-12);
    double idcg = 1.0 + 1.0 / (Math.log(3) / Math.log(2));
    assertEquals(1.0 / idcg, m.ndcg10(), 1e-12);
    // AUC over 48 negatives: 30 beats all 48; 45 beats items 46..49 (4 of them).
    assertEquals((1.0 + 4.0 / 48) / 2, m.auc(), 1e-12);
    assertEquals(1, m.baskets());
  }

  @Test
  void evaluate_productUnknownToTraining_countsAsMissNotDropped() {
    SiloData silo = new SiloData("s", List.of(new CustomerLog(1, List.of(basket(3)),
        List.of(basket(SiloData.UNKNOWN_ITEM, 40)))));
    Metrics m = Evaluator.evaluate(silo, new FixedScoresFake(50)).metrics();
    assertEquals(0.0, m.hr10(), 1e-12); // 40 sits at position 40
    assertEquals(0.0, m.recall10(), 1e-12);
    assertEquals(1, m.baskets());
  }

  @Test
  void evaluate_tiedScores_splitEvenly() {
    Ranker allTied = allTied30();
    SiloData silo = new SiloData("s", List.of(new CustomerLog(1, List.of(basket(1)), List.of(basket(5)))));
    Metrics m = Evaluator.evaluate(silo, allTied).metrics();
    // 29 ties -> position 14.5: not in the top 10; AUC exactly one half.
    assertEquals(0.0, m.hr10(), 1e-12);
    assertEquals(0.5, m.auc(), 1e-12);
  }

  @Test
  void evaluate_repeatAndExploreTargets_splitRecall() {
    // Bought 30 and 31 before: ranking 31, 30, 0, 1, ..., 7 is the top 10 (two repeat products).
    // Test basket {30, 5, 45}: repeat target 30 hit; explore targets 5 (position 7: hit) and 45 (miss).
    SiloData silo = new SiloData("s", List.of(new CustomerLog(1, List.of(basket(30), basket(31)),
        List.of(basket(30, 5, 45)))));
    Metrics m = Evaluator.evaluate(silo, new FixedScoresFake(50)).metrics();
    assertEquals(2.0 / 3, m.recall10(), 1e-12);
    assertEquals(1.0, m.recall10Repeat(), 1e-12);
    assertEquals(0.5, m.recall10Explore(), 1e-12);
    assertEquals(0.2, m.repeatShare10(), 1e-12);
  }

  @Test
  void evaluate_onlyExploreTargets_repeatRecallUndefined() {
    SiloData silo = new SiloData("s", List.of(new CustomerLog(1, List.of(basket(3)),
        List.of(basket(SiloData.UNKNOWN_ITEM, 0)))));
    Metrics m = Evaluator.evaluate(silo, new FixedScoresFake(50)).metrics();
    assertTrue(Double.isNaN(m.recall10Repeat()), "no repeat target: NaN, not 0");
    // Item 0 sits at position 1 (after bought item 3); the unknown product is a miss.
    assertEquals(0.5, m.recall10Explore(), 1e-12);
    assertEquals(0.1, m.repeatShare10(), 1e-12);
  }

  @Test
  void evaluate_tiedOwnProductsAcrossTheCut_fractionalShare() {
    Ranker allTied = allTied30();
    // All 30 products tied: each own product has a 10/30 chance of a top-10 place; two own products.
    SiloData silo = new SiloData("s", List.of(new CustomerLog(1, List.of(basket(1), basket(2)), List.of(basket(5)))));
    Metrics m = Evaluator.evaluate(silo, allTied).metrics();
    assertEquals(2 * (10.0 / 30) / 10, m.repeatShare10(), 1e-12);
  }
}
