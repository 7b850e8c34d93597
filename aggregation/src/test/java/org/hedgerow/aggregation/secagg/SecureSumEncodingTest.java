package org.hedgerow.aggregation.secagg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SecureSumEncodingTest {
  @Test
  void decode_sumOfEncodings_isFedAvgOfClippedDeltasWithinBoundAndWeightExact() {
    int clients = 14;
    SecureSumEncoding e = SecureSumEncoding.forClients(clients, 1.0, null, null);
    assertEquals(28, e.bits());
    Random rnd = new Random(5);
    int d = 300;
    int[] sum = new int[d + 1];
    double[] exact = new double[d];
    long total = 0;
    for (int k = 0; k < clients; k++) {
      float[] delta = new float[d];
      for (int i = 0; i < d; i++) {
        delta[i] = (float) (rnd.nextGaussian() * (i == 0 ? 5 : 0.01));
      }
      long n = k == 0 ? 5_000_000 : 500 + rnd.nextInt(100_000); // client 0 above the cap
      long w = Math.min(n, e.weightCap());
      total += w;
      for (int i = 0; i < d; i++) {
        exact[i] += w * Math.max(-1, Math.min(1, delta[i]));
      }
      int[] x = e.encode(delta, n);
      for (int i = 0; i <= d; i++) {
        sum[i] += x[i];
      }
    }
    SecureSumEncoding.Decoded dec = e.decode(sum, clients);
    assertEquals(total, dec.totalWeight());
    double bound = e.meanErrorBound(clients, total);
    double[] mean = dec.mean();
    for (int i = 0; i < d; i++) {
      assertEquals(exact[i] / total, mean[i], bound, "coordinate " + i);
    }
  }

  @Test
  void forClients_bitsThatCouldOverflow_isRefused() {
    assertThrows(IllegalArgumentException.class, () -> SecureSumEncoding.forClients(14, 1.0, 29, null));
    assertThrows(IllegalArgumentException.class, () -> new SecureSumEncoding(1.0, 16, 1L << 20));
  }
}
