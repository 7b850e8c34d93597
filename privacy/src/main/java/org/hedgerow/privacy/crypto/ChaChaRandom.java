package org.hedgerow.privacy.crypto;

import java.security.SecureRandom;
import java.util.random.RandomGenerator;

/**
 * A {@link RandomGenerator} backed by a {@link MaskStream}: a cryptographically secure generator
 * whose whole output is fixed by a 256-bit seed.
 *
 * <p>Use it where randomness must be reproducible or public — a round's neighbour graph derived
 * from a published seed, seeded simulations and benchmarks — or, seeded once from
 * {@link SecureRandom}, as a fast CSPRNG for bulk draws such as stochastic rounding. Unlike
 * {@code java.util.Random}, observing outputs does not reveal future ones. Not thread-safe.
 */
public final class ChaChaRandom implements RandomGenerator {
  private final MaskStream stream;

  /** A generator keyed by a 32-byte seed. */
  public ChaChaRandom(byte[] seed) {
    this.stream = new MaskStream(seed, MaskStream.Prg.CHACHA20);
  }

  /** A generator seeded with 32 bytes from {@code random}. */
  public static ChaChaRandom seededFrom(SecureRandom random) {
    byte[] seed = new byte[MaskStream.SEED_BYTES];
    CryptoChecks.requireNonNull(random, "random").nextBytes(seed);
    return new ChaChaRandom(seed);
  }

  @Override
  public int nextInt() {
    return stream.nextInt();
  }

  @Override
  public long nextLong() {
    return ((long) stream.nextInt() << 32) | (stream.nextInt() & 0xffffffffL);
  }

  /**
   * A uniform integer in {@code [0, bound)} by rejection sampling, spelled out here (rather than
   * inherited) so that every party and every JDK derives the same value from the same seed.
   */
  public int uniformInt(int bound) {
    if (bound <= 0) {
      throw new IllegalArgumentException("bound must be > 0. Provided value: " + bound);
    }
    long b = bound;
    long limit = (1L << 32) - ((1L << 32) % b); // largest multiple of bound within 2^32
    while (true) {
      long w = stream.nextInt() & 0xffffffffL;
      if (w < limit) {
        return (int) (w % b);
      }
    }
  }
}
