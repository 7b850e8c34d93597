package org.hedgerow.simulations;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class CalibratedMergeStudyTest {
  private static final double[] TEN_NEW = {0.5, 0.4, 0.3, 0.2, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1};

  @Test
  void repeatsShown_lambdaZero_keepsEveryRepeat() {
    double[] repeats = {0.9, 0.5, 0.3, 0.2, 0.1, 0.05, 0.01, 0.01, 0.01, 0.001};
    assertEquals(10, CalibratedMergeStudy.repeatsShown(repeats, TEN_NEW, 0));
  }

  @Test
  void repeatsShown_newWorthMoreThanWeakRepeats_replacesOnlyThoseFromTheEnd() {
    double[] repeats = {0.9, 0.8, 0.7, 0.6, 0.6, 0.6, 0.6, 0.6, 0.35, 0.25};
    // lambda 1: the best new product (0.5) beats the 10th repeat (0.25), the second (0.4) beats the 9th (0.35),
    // the third (0.3) does not beat the 8th (0.6).
    assertEquals(8, CalibratedMergeStudy.repeatsShown(repeats, TEN_NEW, 1));
  }

  @Test
  void repeatsShown_fewRepeats_fillsTheRestWithNewProducts() {
    double[] repeats = {0.9, 0.8, 0.7};
    assertEquals(3, CalibratedMergeStudy.repeatsShown(repeats, TEN_NEW, 1));
  }

  @Test
  void tableValue_emptyCell_fallsBackToSmoothedParentMean() {
    CalibratedMergeStudy.Table t = new CalibratedMergeStudy.Table();
    for (int k = 0; k < 1000; k++) {
      t.add("p", "p|a", k % 2 == 0 ? 1 : 0);
    }
    double s = CalibratedMergeStudy.SMOOTH;
    double parent = (500 + s * 0.5) / (1000 + s);
    assertEquals(parent, t.value("p", "p|unseen"), 1e-12);
    assertEquals((500 + s * parent) / (1000 + s), t.value("p", "p|a"), 1e-12);
  }
}
