package org.hedgerow.privacy.noise;

import java.math.BigInteger;
import java.util.Random;

/**
 * Unbiased uniform integers drawn from a {@link Random} (a {@link java.security.SecureRandom} in
 * production), spending only as many random bits as each draw needs.
 *
 * <p>The exact samplers make many small draws (a Bernoulli(1/k) needs a uniform integer below k),
 * so asking the generator for a whole {@code int} or {@code long} each time would dominate their
 * cost. This class reads the generator's bytes in blocks and hands them out bit by bit. Uniform
 * integers below a bound use rejection on the smallest power of two covering the bound, which is
 * exact (no modulo bias) and needs fewer than two tries on average.
 *
 * <p>Not thread-safe: the mechanisms make one per call, so they stay safe to share.
 */
final class RandomBits {

  private final Random source;
  private final byte[] buffer;
  private int position;
  private long word;
  private int wordBits;

  /**
   * @param source the generator whose bytes are consumed
   * @param expectedDraws a hint for sizing the read-ahead block (roughly the number of samples)
   */
  RandomBits(Random source, long expectedDraws) {
    this.source = source;
    // ~16 bytes per sample is generous for the samplers here; cap the block at 8 KiB.
    long wanted = Math.min(8192, Math.max(64, expectedDraws * 16));
    this.buffer = new byte[(int) (wanted - wanted % 8)];
    this.position = buffer.length;
  }

  private long nextWord() {
    if (position == buffer.length) {
      source.nextBytes(buffer);
      position = 0;
    }
    long w = 0;
    for (int i = 0; i < 8; i++) {
      w = (w << 8) | (buffer[position++] & 0xffL);
    }
    return w;
  }

  /** {@code k} fresh uniform bits, {@code 1 <= k <= 63}, as a non-negative long. */
  long bits(int k) {
    if (k <= wordBits) {
      long result = word & ((1L << k) - 1);
      word >>>= k;
      wordBits -= k;
      return result;
    }
    long low = word;
    int have = wordBits;
    word = nextWord();
    wordBits = 64;
    int need = k - have;
    long high = word & ((1L << need) - 1);
    word >>>= need;
    wordBits -= need;
    return low | (high << have);
  }

  boolean nextBoolean() {
    return bits(1) == 1L;
  }

  /** Uniform on {@code {0, …, bound-1}}; {@code bound >= 1}. */
  long uniform(long bound) {
    if (bound == 1) {
      return 0;
    }
    int k = 64 - Long.numberOfLeadingZeros(bound - 1);
    while (true) {
      long r = bits(k);
      if (r < bound) {
        return r;
      }
    }
  }

  /** Uniform on {@code {0, …, bound-1}}; {@code bound >= 1}. */
  BigInteger uniform(BigInteger bound) {
    if (bound.bitLength() <= 62) {
      return BigInteger.valueOf(uniform(bound.longValue()));
    }
    int k = bound.subtract(BigInteger.ONE).bitLength();
    while (true) {
      BigInteger r = BigInteger.ZERO;
      int remaining = k;
      while (remaining > 0) {
        int take = Math.min(62, remaining);
        r = r.shiftLeft(take).or(BigInteger.valueOf(bits(take)));
        remaining -= take;
      }
      if (r.compareTo(bound) < 0) {
        return r;
      }
    }
  }
}
