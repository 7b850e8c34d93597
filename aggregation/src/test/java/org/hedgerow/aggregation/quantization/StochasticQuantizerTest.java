package org.hedgerow.aggregation.quantization;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.hedgerow.privacy.crypto.ChaChaRandom;
import org.junit.jupiter.api.Test;

class StochasticQuantizerTest {
  private static ChaChaRandom coins(int s) {
    byte[] seed = new byte[32];
    Arrays.fill(seed, (byte) s);
    return new ChaChaRandom(seed);
  }

  @Test
  void dequantize_sumOfManyVectors_withinNStepsOfClippedSum() {
    QuantizationParams p = new QuantizationParams(1.0, 12, 32);
    StochasticQuantizer q = new StochasticQuantizer(p, coins(1));
    ChaChaRandom data = coins(2);
    int n = 50;
    int d = 2000;
    ModularSum sum = new ModularSum(d, 32);
    double[] truth = new double[d];
    for (int u = 0; u < n; u++) {
      double[] x = new double[d];
      for (int i = 0; i < d; i++) {
        x[i] = (data.nextDouble() - 0.5) * 3; // some coordinates beyond the clip bound
        truth[i] += Math.max(-1, Math.min(1, x[i]));
      }
      sum.add(q.quantize(x));
    }
    double[] est = new SumDequantizer(p).dequantize(sum.value(), n);
    for (int i = 0; i < d; i++) {
      assertTrue(Math.abs(est[i] - truth[i]) <= n * p.step(), "coordinate " + i);
    }
  }

  @Test
  void quantize_repeatedDraws_isUnbiased() {
    // Each draw's error q·step − x lies in an interval of width one step, so by Hoeffding
    // P(|mean − x| ≥ ε) ≤ 2·exp(−2mε²/step²). With m = 20000 and ε = step·sqrt(ln(2·10^9)/(2m))
    // each coordinate falsely fails with probability ≤ 1e-9: ≤ 5e-9 for the five checked here.
    QuantizationParams p = new QuantizationParams(1.0, 4, 32); // coarse grid: step = 1/7
    StochasticQuantizer q = new StochasticQuantizer(p, coins(3));
    double[] x = {0.05, -0.33, 0.5, 0.999, -0.07};
    int m = 20_000;
    double[] mean = new double[x.length];
    SumDequantizer dq = new SumDequantizer(p);
    for (int r = 0; r < m; r++) {
      double[] y = dq.dequantize(q.quantize(x), 1);
      for (int i = 0; i < x.length; i++) {
        mean[i] += y[i] / m;
      }
    }
    double eps = p.step() * Math.sqrt(Math.log(2e9) / (2.0 * m));
    for (int i = 0; i < x.length; i++) {
      assertTrue(Math.abs(mean[i] - x[i]) < eps, "coordinate " + i + ": mean " + mean[i] + " vs " + x[i]);
    }
  }

  @Test
  void quantize_gridValues_areExactAndClipped() {
    QuantizationParams p = new QuantizationParams(2.0, 8, 16); // scale 127/2
    StochasticQuantizer q = new StochasticQuantizer(p, coins(4));
    long[] r = q.quantize(new double[] {0.0, 2.0, -2.0, 100.0, -100.0, 2.0 / 127});
    assertArrayEquals(new long[] {0, 127, 65536 - 127, 127, 65536 - 127, 1}, r);
  }

  @Test
  void quantize_nonFinite_throwsIllegalArgument() {
    StochasticQuantizer q = new StochasticQuantizer(QuantizationParams.of(1, 8));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> q.quantize(new double[] {0, Double.NaN}));
    assertTrue(e.getMessage().contains("coordinate 1"));
    assertThrows(IllegalArgumentException.class, () -> q.quantize(new double[] {Double.POSITIVE_INFINITY}));
  }

  @Test
  void dequantize_tooManySummands_throwsIllegalArgument() {
    QuantizationParams p = new QuantizationParams(1.0, 30, 32); // at most 4 summands
    assertEquals(4, p.maxSummands());
    SumDequantizer dq = new SumDequantizer(p);
    dq.dequantize(new long[1], 4);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> dq.dequantize(new long[1], 5));
    assertTrue(e.getMessage().contains("at most 4 vectors"));
  }

  @Test
  void dequantize_worstCaseSumAtCapacity_doesNotWrap() {
    QuantizationParams p = new QuantizationParams(1.0, 10, 16); // 64 summands
    StochasticQuantizer q = new StochasticQuantizer(p, coins(5));
    ModularSum lo = new ModularSum(1, 16);
    ModularSum hi = new ModularSum(1, 16);
    for (int u = 0; u < 64; u++) {
      lo.add(q.quantize(new double[] {-5}));
      hi.add(q.quantize(new double[] {5}));
    }
    assertEquals(-64.0, new SumDequantizer(p).dequantize(lo.value(), 64)[0], 1e-12);
    assertEquals(64.0, new SumDequantizer(p).dequantize(hi.value(), 64)[0], 1e-12);
  }

  @Test
  void quantizeToInts_ring32_matchesLongResidues() {
    QuantizationParams p = QuantizationParams.of(1.0, 16);
    double[] x = {-0.9, -0.1, 0, 0.4, 0.99};
    long[] wide = new StochasticQuantizer(p, coins(6)).quantize(x);
    int[] narrow = new StochasticQuantizer(p, coins(6)).quantizeToInts(x);
    for (int i = 0; i < x.length; i++) {
      assertEquals(wide[i], narrow[i] & 0xffffffffL);
    }
    assertThrows(IllegalArgumentException.class,
        () -> new StochasticQuantizer(new QuantizationParams(1, 16, 40)).quantizeToInts(x));
  }

  @Test
  void params_invalidValues_throwWithClearMessages() {
    assertThrows(IllegalArgumentException.class, () -> new QuantizationParams(0, 8, 32));
    assertThrows(IllegalArgumentException.class, () -> new QuantizationParams(Double.NaN, 8, 32));
    assertThrows(IllegalArgumentException.class, () -> new QuantizationParams(1, 1, 32));
    assertThrows(IllegalArgumentException.class, () -> new QuantizationParams(1, 8, 63));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new QuantizationParams(1, 20, 16));
    assertTrue(e.getMessage().startsWith("modulusBits must be in"));
    assertEquals(22, QuantizationParams.maxBitsFor(1000, 32));
    assertEquals(32, QuantizationParams.maxBitsFor(1, 32));
  }
}
