package org.hedgerow.privacy.accounting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SampledGaussianRdpTest {

  /**
   * TF Privacy, rdp_accountant_test.py, {@code test_compute_rdp_scalar}: compute_rdp(q = 0.1, σ =
   * 2, steps = 10, order = 5) = 0.07737 (to 5 places).
   */
  @Test
  void rdp_tfPrivacyScalarCase_matches() {
    assertEquals(0.07737, 10 * SampledGaussianRdp.rdp(0.1, 2, 5), 5e-6);
  }

  /**
   * TF Privacy, rdp_accountant_test.py, {@code test_compute_rdp_sequence}: q = 0.01, σ = 2.5, 50
   * steps at orders 1.5, 2.5, 5, 50, 100 (published to 1e-5 absolute; both fractional and integer
   * orders).
   */
  @ParameterizedTest
  @CsvSource({"1.5, 0.00065", "2.5, 0.001085", "5, 0.00218075", "50, 0.023846",
      "100, 167.416307"})
  void rdp_tfPrivacySequenceCase_matches(double order, double expected) {
    assertEquals(expected, 50 * SampledGaussianRdp.rdp(0.01, 2.5, order), 1e-5);
  }

  /**
   * TF Privacy's {@code test_compute_log_a_equals_mp} parameter set: log(A_α) against A_α
   * integrated numerically with mpmath at 40 digits (values computed for this test; TF's test
   * uses the same rtol = 1e-4 — for A_α ≈ 1 + 1e-9 the series loses digits to cancellation).
   */
  @ParameterizedTest
  @CsvSource({
    "1e-7, 0.1, 1.01, 4.0034123225263985848e-8",
    "1e-6, 0.1, 256, 3260463.2292971607834",
    "1e-5, 0.1, 256.1, 3263607.0397884213428",
    "1e-6, 1, 27, 8.7695113048484978803e-10",
    "1e-4, 1.0, 1.5, 6.4426869538366497255e-9",
    "1e-3, 1.0, 2, 1.7182803522145153698e-6",
    "0.01, 10, 20, 0.00019129699912842962637",
    "0.1, 100, 20.5, 0.0001999181845806829614",
    "0.99, 0.1, 256, 3263997.4271140211413",
    "0.999, 100, 256.1, 3.2601080379731126889"
  })
  void logA_tfPrivacyParameterSet_matchesNumericalIntegration(
      double q, double sigma, double order, double expected) {
    assertEquals(expected, SampledGaussianRdp.logA(q, sigma, order), Math.abs(expected) * 1e-4);
  }

  /** Around an integer order the fractional series must agree with the integer one. */
  @Test
  void logA_fractionalNextToInteger_isContinuous() {
    double atInteger = SampledGaussianRdp.logA(0.05, 1.2, 6);
    double justAbove = SampledGaussianRdp.logAFractional(0.05, 1.2, 6 + 1e-9);
    assertEquals(atInteger, justAbove, 1e-6 * atInteger);
  }

  /** RDP grows with the order and shrinks with more noise or less sampling. */
  @Test
  void rdp_monotoneInOrderNoiseAndSampling() {
    double previous = 0;
    for (double alpha : RdpOrders.OPACUS.values()) {
      double r = SampledGaussianRdp.rdp(0.01, 1.0, alpha);
      assertTrue(r >= previous, "order " + alpha);
      previous = r;
    }
    assertTrue(SampledGaussianRdp.rdp(0.01, 2.0, 8) < SampledGaussianRdp.rdp(0.01, 1.0, 8));
    assertTrue(SampledGaussianRdp.rdp(0.005, 1.0, 8) < SampledGaussianRdp.rdp(0.01, 1.0, 8));
  }

  @ParameterizedTest
  @ValueSource(doubles = {0.0, -0.1, 1.0000001, 2.0, Double.NaN})
  void rdp_samplingProbabilityOutsideUnitInterval_throws(double q) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> SampledGaussianRdp.rdp(q, 1, 2));
    assertEquals("samplingProbability must be in (0, 1]. Provided value: " + q, e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(doubles = {0.0, -1.0, Double.NaN, Double.POSITIVE_INFINITY})
  void rdp_badNoiseMultiplier_throws(double sigma) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> SampledGaussianRdp.rdp(0.1, sigma, 2));
    assertEquals("noiseMultiplier must be > 0 and finite. Provided value: " + sigma, e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(doubles = {1.0, 0.5, -2.0, Double.NaN, Double.POSITIVE_INFINITY})
  void rdp_orderNotAboveOne_throws(double order) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> SampledGaussianRdp.rdp(0.1, 1, order));
    assertEquals("order must be > 1 and finite. Provided value: " + order, e.getMessage());
  }
}
