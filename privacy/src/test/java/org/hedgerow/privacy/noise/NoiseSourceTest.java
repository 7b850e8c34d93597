package org.hedgerow.privacy.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NoiseSourceTest {
  private static double[] gaussian(long seed, String context) {
    try (NoiseSource.Scope s = NoiseSource.deterministic(seed); NoiseSource.Scope c = NoiseSource.context(context)) {
      return new GaussianNoise().addNoise(new double[64], 3.0);
    }
  }

  @Test
  void random_noScope_aFreshSecureRandomNotDeterministic() {
    SecureRandom r = NoiseSource.random("x");
    assertFalse(r instanceof DeterministicSecureRandom);
    assertFalse(NoiseSource.isDeterministic());
    assertEquals(Optional.empty(), NoiseSource.deterministicSeed());
  }

  @Test
  void gaussianNoise_sameSeedAndContext_bitIdentical() {
    assertArrayEquals(gaussian(5, "silo-a"), gaussian(5, "silo-a"));
  }

  @Test
  void gaussianNoise_differentSeedOrContext_differs() {
    assertFalse(Arrays.equals(gaussian(5, "silo-a"), gaussian(6, "silo-a")));
    assertFalse(Arrays.equals(gaussian(5, "silo-a"), gaussian(5, "silo-b")));
  }

  @Test
  void random_sameNameTwiceInOneScope_independentStreamsReplayedInOrder() {
    long[] first = new long[2];
    long[] second = new long[2];
    for (long[] run : new long[][] {first, second}) {
      try (NoiseSource.Scope s = NoiseSource.deterministic(9)) {
        run[0] = NoiseSource.random("p").nextLong();
        run[1] = NoiseSource.random("p").nextLong();
      }
    }
    assertArrayEquals(first, second);
    assertNotEquals(first[0], first[1]);
  }

  @Test
  void deterministic_scopeAlreadyOpen_refused() {
    try (NoiseSource.Scope s = NoiseSource.deterministic(1)) {
      assertTrue(NoiseSource.isDeterministic());
      assertEquals(Optional.of(1L), NoiseSource.deterministicSeed());
      assertThrows(IllegalStateException.class, () -> NoiseSource.deterministic(2));
    }
    assertFalse(NoiseSource.isDeterministic());
  }

  @Test
  void deterministicStream_reseed_refused() {
    try (NoiseSource.Scope s = NoiseSource.deterministic(1)) {
      SecureRandom r = NoiseSource.random("p");
      assertThrows(UnsupportedOperationException.class, () -> r.setSeed(new byte[] {1}));
    }
  }

  @Test
  void discreteGaussianAndLaplace_underScope_replayed() {
    long[] a;
    long[] b;
    try (NoiseSource.Scope s = NoiseSource.deterministic(3)) {
      a = new long[] {new DiscreteGaussian().sample(10.0), new DiscreteLaplace().sample(2.0)};
    }
    try (NoiseSource.Scope s = NoiseSource.deterministic(3)) {
      b = new long[] {new DiscreteGaussian().sample(10.0), new DiscreteLaplace().sample(2.0)};
    }
    assertArrayEquals(a, b);
  }
}
