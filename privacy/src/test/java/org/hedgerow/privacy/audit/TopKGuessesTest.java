package org.hedgerow.privacy.audit;

import static org.hedgerow.privacy.audit.OneRunAuditTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class TopKGuessesTest {

  @Test
  void defaultPerSide_thousandCanaries_halvesFiveTimes() {
    assertArrayEquals(new int[] {500, 250, 125, 62, 31}, TopKGuesses.defaultPerSide(1000));
    assertArrayEquals(new int[] {10, 5}, TopKGuesses.defaultPerSide(20));
    assertArrayEquals(new int[] {1}, TopKGuesses.defaultPerSide(2));
  }

  @Test
  void evaluate_perfectlySeparatedScores_allGuessesCorrectAtEveryK() {
    int m = 200;
    boolean[] in = new boolean[m];
    double[] scores = new double[m];
    Random rnd = new Random(3);
    for (int i = 0; i < m; i++) {
      in[i] = rnd.nextBoolean();
      scores[i] = in[i] ? 10 + rnd.nextDouble() : rnd.nextDouble();
    }
    int[] ks = {50, 20};
    TopKGuesses.Outcome o = TopKGuesses.evaluate(scores, in, 1e-5, 0.95, ks);
    assertEquals(2, o.trials().size());
    assertEquals(0.975, o.perTestConfidence(), 1e-12);
    for (TopKGuesses.Trial t : o.trials()) {
      assertEquals(t.guesses(), t.correct());
      assertEquals(OneRunAudit.epsilonLowerBound(m, t.guesses(), t.correct(), 1e-5, 0.975), t.epsilonLowerBound());
    }
    // More perfect guesses, more evidence: k = 50 wins.
    assertEquals(50, o.best().perSide());
    assertEquals(o.best().epsilonLowerBound(), o.epsilonLowerBound());
  }

  @Test
  void evaluate_scoresIndependentOfMembership_boundIsZero() {
    int m = 1000;
    boolean[] in = new boolean[m];
    double[] scores = new double[m];
    Random rnd = new Random(11);
    for (int i = 0; i < m; i++) {
      in[i] = rnd.nextBoolean();
      scores[i] = rnd.nextGaussian();
    }
    TopKGuesses.Outcome o = TopKGuesses.evaluate(scores, in, 1e-5, 0.95, TopKGuesses.defaultPerSide(m));
    assertEquals(0, o.epsilonLowerBound());
  }

  @Test
  void evaluate_tiedScores_brokenByIndexNotMembership() {
    // All scores equal: top-k are the first k indices, bottom-k the last k.
    boolean[] in = {true, true, false, false, false, true};
    TopKGuesses.Outcome o = TopKGuesses.evaluate(new double[6], in, 0, 0.95, new int[] {2});
    // top {0, 1} guessed in: both right; bottom {5, 4} guessed out: 4 right, 5 wrong.
    assertEquals(3, o.best().correct());
  }

  @Test
  void evaluate_badInputs_rejectedWithMessageNamingParameter() {
    double[] s = new double[10];
    boolean[] in = new boolean[10];
    assertMessage("included", () -> TopKGuesses.evaluate(s, new boolean[9], 0, 0.95, new int[] {1}));
    assertMessage("perSide", () -> TopKGuesses.evaluate(s, in, 0, 0.95, new int[] {6}));
    assertMessage("perSide", () -> TopKGuesses.evaluate(s, in, 0, 0.95, new int[] {0}));
    assertMessage("perSide", () -> TopKGuesses.evaluate(s, in, 0, 0.95, new int[0]));
    assertMessage("canaries m", () -> TopKGuesses.evaluate(new double[1], new boolean[1], 0, 0.95, new int[] {1}));
    assertMessage("delta", () -> TopKGuesses.evaluate(s, in, 0.5, 0.95, new int[] {1}));
    assertMessage("confidence", () -> TopKGuesses.evaluate(s, in, 0, 1.5, new int[] {1}));
    double[] nan = new double[10];
    nan[3] = Double.NaN;
    assertMessage("scores", () -> TopKGuesses.evaluate(nan, in, 0, 0.95, new int[] {1}));
    assertMessage("canaries m", () -> TopKGuesses.defaultPerSide(1));
  }

  @Test
  void evaluate_unionBound_eachKTestedAtBetaOverK() {
    int m = 100;
    boolean[] in = new boolean[m];
    double[] scores = new double[m];
    for (int i = 0; i < m; i++) {
      in[i] = i % 2 == 0;
      scores[i] = in[i] ? 1 : 0;
    }
    TopKGuesses.Outcome one = TopKGuesses.evaluate(scores, in, 0, 0.95, new int[] {50});
    TopKGuesses.Outcome four = TopKGuesses.evaluate(scores, in, 0, 0.95, new int[] {50, 40, 30, 20});
    // Same k = 50 wins in both, but with four tries it is tested at 98.75% and the bound is smaller.
    assertEquals(50, four.best().perSide());
    assertTrue(four.epsilonLowerBound() < one.epsilonLowerBound());
    assertEquals(OneRunAudit.epsilonLowerBound(m, 100, 100, 0, 1 - 0.05 / 4), four.epsilonLowerBound());
  }
}
