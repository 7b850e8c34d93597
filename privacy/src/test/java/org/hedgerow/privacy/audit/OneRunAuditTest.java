package org.hedgerow.privacy.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.commons.math3.distribution.BinomialDistribution;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OneRunAuditTest {
  private static final double H = OneRunAudit.GRID_STEP;

  /**
   * The theorem's right-hand side computed independently: commons-math's BinomialDistribution
   * (regularised incomplete beta for the tail, its own pmf) instead of the class's log-space terms.
   */
  private static double reference(int m, int r, int v, double eps, double delta) {
    double p = Math.exp(eps) / (1 + Math.exp(eps));
    BinomialDistribution b = new BinomialDistribution(null, r, p);
    double f = v == 0 ? 1 : 1 - b.cumulativeProbability(v - 1);
    double worst = 0;
    for (int i = 1; i <= v; i++) {
      double window = b.cumulativeProbability(v - 1) - (v - i - 1 >= 0 ? b.cumulativeProbability(v - i - 1) : 0);
      worst = Math.max(worst, window / i);
    }
    return Math.min(1, f + 2.0 * m * delta * worst);
  }

  @Test
  void pValue_tenPerfectGuessesAtEpsilonZero_matchesHandComputation() {
    // δ = 0: P[Bin(10, 1/2) ≥ 10] = 2^-10.
    assertEquals(1.0 / 1024, OneRunAudit.pValue(10, 10, 10, 0, 0), 1e-15);
    // δ = 0.01, 2mδ = 0.2: the max over i of P[10 − i ≤ B < 10]/i is at i = 6: (10+45+120+210+252+210)/1024/6.
    double expected = 1.0 / 1024 + 0.2 * 847.0 / 6144;
    assertEquals(expected, OneRunAudit.pValue(10, 10, 10, 0, 0.01), 1e-15);
  }

  @ParameterizedTest
  @CsvSource({
    "1000, 1000, 1000, 5.0, 1e-5",
    "1000, 200, 180, 2.0, 1e-5",
    "1000, 500, 300, 0.5, 1e-5",
    "100, 60, 45, 1.0, 0",
    "50, 50, 40, 3.0, 0.01",
    "1000, 62, 62, 8.0, 1e-5",
  })
  void pValue_variousObservations_matchesIndependentComputation(int m, int r, int v, double eps, double delta) {
    double expected = reference(m, r, v, eps, delta);
    assertEquals(expected, OneRunAudit.pValue(m, r, v, eps, delta), 1e-9 * Math.max(expected, 1e-6));
  }

  @ParameterizedTest
  @CsvSource({
    "1000, 1000, 1000, 1e-5",
    "1000, 200, 180, 1e-5",
    "1000, 124, 120, 1e-5",
    "100, 100, 100, 0",
    "100, 100, 90, 1e-4",
  })
  void epsilonLowerBound_variousObservations_isTheFirstNonRejectedGridPointMinusOneStep(int m, int r, int v,
      double delta) {
    double beta = 0.05;
    double bound = OneRunAudit.epsilonLowerBound(m, r, v, delta, 1 - beta);
    assertTrue(bound > 0, "bound " + bound);
    // Rejected at every grid point up to the bound (checked coarsely, and at the bound itself) …
    for (double e = 0; e < bound; e += 0.1) {
      assertTrue(reference(m, r, v, e, delta) < beta, "not rejected at " + e);
    }
    assertTrue(reference(m, r, v, bound, delta) < beta);
    // … and not rejected one step above.
    assertTrue(reference(m, r, v, bound + H, delta) >= beta);
  }

  @Test
  void epsilonLowerBound_allGuessesCorrectWithoutDelta_givesTheClosedForm() {
    // δ = 0, v = r: p(ε) = (e^ε/(1+e^ε))^r < β  ⇔  ε < log(x/(1 − x)), x = β^{1/r}.
    for (int r : new int[] {10, 100, 1000}) {
      double x = Math.pow(0.05, 1.0 / r);
      double exact = Math.log(x / (1 - x));
      double bound = OneRunAudit.epsilonLowerBound(r, r, r, 0, 0.95);
      assertTrue(bound <= exact && bound > exact - H, "r " + r + ": " + bound + " vs " + exact);
    }
    // r = 1000: 5.8093… — the most one run with 1000 perfect guesses can show at 95%.
    assertEquals(5.809, OneRunAudit.epsilonLowerBound(1000, 1000, 1000, 0, 0.95), 2 * H);
  }

  @Test
  void epsilonLowerBound_allGuessesCorrectWithDelta_isFiniteAndBelowTheDeltaFreeValue() {
    double withoutDelta = OneRunAudit.epsilonLowerBound(1000, 1000, 1000, 0, 0.95);
    double withDelta = OneRunAudit.epsilonLowerBound(1000, 1000, 1000, 1e-5, 0.95);
    assertTrue(withDelta > 5 && withDelta <= withoutDelta, withDelta + " vs " + withoutDelta);
  }

  @Test
  void epsilonLowerBound_halfCorrect_isZero() {
    assertEquals(0, OneRunAudit.epsilonLowerBound(1000, 1000, 500, 1e-5, 0.95));
    assertEquals(0, OneRunAudit.epsilonLowerBound(1000, 200, 100, 1e-5, 0.95));
    // Slightly better than chance is still within chance at 95%.
    assertEquals(0, OneRunAudit.epsilonLowerBound(1000, 1000, 520, 1e-5, 0.95));
  }

  @Test
  void epsilonLowerBound_noGuesses_isZero() {
    assertEquals(0, OneRunAudit.epsilonLowerBound(100, 0, 0, 1e-5, 0.95));
  }

  @Test
  void epsilonLowerBound_increasingCorrect_isNonDecreasing() {
    for (double delta : new double[] {0, 1e-5, 1e-3}) {
      double previous = -1;
      for (int v = 0; v <= 200; v += 5) {
        double bound = OneRunAudit.epsilonLowerBound(400, 200, v, delta, 0.95);
        assertTrue(bound >= previous, "delta " + delta + ", v " + v + ": " + bound + " < " + previous);
        previous = bound;
      }
      assertTrue(previous > 2.5, "delta " + delta + ": " + previous);
    }
  }

  @Test
  void pValue_increasingCorrect_isNonIncreasing() {
    // The level-β argument needs this when 2mδ ≤ 1 (here 2mδ = 1, the largest allowed).
    double previous = 2;
    for (int v = 0; v <= 100; v++) {
      double p = OneRunAudit.pValue(500, 100, v, 1.0, 1e-3);
      assertTrue(p <= previous, "v " + v);
      previous = p;
    }
  }

  @Test
  void epsilonLowerBound_higherConfidence_isNotLarger() {
    double at95 = OneRunAudit.epsilonLowerBound(1000, 200, 180, 1e-5, 0.95);
    double at99 = OneRunAudit.epsilonLowerBound(1000, 200, 180, 1e-5, 0.99);
    assertTrue(at99 < at95, at99 + " vs " + at95);
  }

  @Test
  void pValue_badInputs_rejectedWithMessageNamingParameter() {
    assertMessage("canaries m", () -> OneRunAudit.pValue(0, 0, 0, 1, 0));
    assertMessage("guesses r", () -> OneRunAudit.pValue(10, 11, 0, 1, 0));
    assertMessage("guesses r", () -> OneRunAudit.pValue(10, -1, 0, 1, 0));
    assertMessage("correct guesses v", () -> OneRunAudit.pValue(10, 5, 6, 1, 0));
    assertMessage("correct guesses v", () -> OneRunAudit.pValue(10, 5, -1, 1, 0));
    assertMessage("epsilon", () -> OneRunAudit.pValue(10, 5, 5, -1, 0));
    assertMessage("epsilon", () -> OneRunAudit.pValue(10, 5, 5, Double.NaN, 0));
    assertMessage("delta", () -> OneRunAudit.pValue(10, 5, 5, 1, -0.1));
    assertMessage("delta", () -> OneRunAudit.pValue(10, 5, 5, 1, 1));
    assertMessage("2*m*delta", () -> OneRunAudit.pValue(1000, 5, 5, 1, 1e-3));
  }

  @Test
  void epsilonLowerBound_badConfidence_rejectedWithMessageNamingParameter() {
    assertMessage("confidence", () -> OneRunAudit.epsilonLowerBound(10, 5, 5, 0, 1));
    assertMessage("confidence", () -> OneRunAudit.epsilonLowerBound(10, 5, 5, 0, 0));
    assertMessage("confidence", () -> OneRunAudit.epsilonLowerBound(10, 5, 5, 0, Double.NaN));
  }

  static void assertMessage(String expected, org.junit.jupiter.api.function.Executable e) {
    IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
    assertTrue(ex.getMessage().contains(expected) && ex.getMessage().contains("Provided value"), ex.getMessage());
  }
}
