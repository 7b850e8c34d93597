package org.hedgerow.privacy.crypto;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Shamir's t-of-n secret sharing (Shamir 1979) of 32-byte secrets over the prime field
 * GF(p), p = 2^256 + 297 (the smallest prime above 2^256, so every 32-byte string is a field
 * element).
 *
 * <p>Guarantee: any {@code threshold} shares with distinct {@code x} determine the secret
 * (Lagrange interpolation at 0); any {@code threshold − 1} or fewer shares are jointly uniform and
 * independent of the secret, i.e. they reveal nothing about it, information-theoretically. The
 * scheme is not verifiable: a wrong share yields a wrong secret, so callers that can check the
 * result (e.g. against a public key) should.
 */
public final class ShamirSecretSharing {
  /** The field modulus 2^256 + 297. */
  public static final BigInteger PRIME = BigInteger.ONE.shiftLeft(256).add(BigInteger.valueOf(297));
  /** Bytes of a secret. */
  public static final int SECRET_BYTES = 32;
  /** Bytes of an encoded field element (a share's y). */
  public static final int ELEMENT_BYTES = 33;
  private static final BigInteger SECRET_LIMIT = BigInteger.ONE.shiftLeft(8 * SECRET_BYTES);

  private final int threshold;
  private final SecureRandom random;

  /** Sharing with {@code threshold} shares needed, coefficients from a fresh {@link SecureRandom}. */
  public ShamirSecretSharing(int threshold) {
    this(threshold, new SecureRandom());
  }

  /**
   * With the caller's {@link SecureRandom} for the polynomial coefficients (a party that already
   * holds one, or a test that seeds one). The coefficients are what hides the secret, so this
   * must never be a non-cryptographic generator.
   */
  public ShamirSecretSharing(int threshold, SecureRandom random) {
    if (threshold < 1) {
      throw new IllegalArgumentException("threshold must be >= 1. Provided value: " + threshold);
    }
    this.threshold = threshold;
    this.random = CryptoChecks.requireNonNull(random, "random");
  }

  public int threshold() {
    return threshold;
  }

  /**
   * Splits a 32-byte secret into one share per evaluation point.
   *
   * @param xs distinct evaluation points, each {@code >= 1}; at least {@code threshold} of them
   *     (fewer could never be reconstructed)
   */
  public List<ShamirShare> split(byte[] secret, int[] xs) {
    CryptoChecks.requireLength(secret, SECRET_BYTES, "secret");
    CryptoChecks.requireNonNull(xs, "xs");
    if (xs.length < threshold) {
      throw new IllegalArgumentException(String.format(
          "xs must hold at least threshold = %d points. Provided count: %d", threshold, xs.length));
    }
    requireDistinctPositive(xs);
    // f(X) = secret + a_1 X + ... + a_{t-1} X^{t-1}, a_i uniform in GF(p).
    BigInteger[] coefficients = new BigInteger[threshold];
    coefficients[0] = new BigInteger(1, secret);
    for (int i = 1; i < threshold; i++) {
      coefficients[i] = uniformElement();
    }
    List<ShamirShare> shares = new ArrayList<>(xs.length);
    for (int x : xs) {
      BigInteger bx = BigInteger.valueOf(x);
      BigInteger y = BigInteger.ZERO;
      for (int i = threshold - 1; i >= 0; i--) { // Horner
        y = y.multiply(bx).add(coefficients[i]).mod(PRIME);
      }
      shares.add(new ShamirShare(x, y));
    }
    Arrays.fill(coefficients, BigInteger.ZERO);
    return shares;
  }

  /**
   * Reconstructs the secret from the first {@code threshold} shares.
   *
   * @throws IllegalArgumentException if there are fewer than {@code threshold} shares, their
   *     {@code x} repeat, or the interpolated value is not a 32-byte secret (inconsistent shares)
   */
  public byte[] reconstruct(List<ShamirShare> shares) {
    CryptoChecks.requireNonNull(shares, "shares");
    if (shares.size() < threshold) {
      throw new IllegalArgumentException(String.format(
          "reconstruction needs at least threshold = %d shares. Provided count: %d", threshold, shares.size()));
    }
    List<ShamirShare> used = shares.subList(0, threshold);
    int[] xs = new int[threshold];
    BigInteger[] ys = new BigInteger[threshold];
    for (int i = 0; i < threshold; i++) {
      xs[i] = used.get(i).x();
      ys[i] = used.get(i).y();
    }
    return combine(lagrangeAtZero(xs), ys);
  }

  /**
   * The Lagrange coefficients λ_i with f(0) = Σ λ_i f(x_i) for any polynomial of degree
   * {@code < xs.length}. They depend only on the points, so a caller reconstructing many secrets
   * from the same holders can compute them once and use {@link #combine}.
   */
  public static BigInteger[] lagrangeAtZero(int[] xs) {
    CryptoChecks.requireNonNull(xs, "xs");
    requireDistinctPositive(xs);
    int m = xs.length;
    // λ_i = Π_{j≠i} x_j / (x_j − x_i). Points are small ints, so the products are accumulated in
    // a long until it might overflow and only then folded into the field: this keeps the O(m²)
    // part cheap for large m (classic SecAgg has m ≈ n/2).
    BigInteger[] numerators = new BigInteger[m];
    BigInteger[] denominators = new BigInteger[m];
    for (int i = 0; i < m; i++) {
      BigInteger num = BigInteger.ONE;
      BigInteger den = BigInteger.ONE;
      long numAcc = 1;
      long denAcc = 1;
      for (int j = 0; j < m; j++) {
        if (j == i) {
          continue;
        }
        long a = xs[j];
        long d = (long) xs[j] - xs[i];
        if (Math.abs(numAcc) > (Long.MAX_VALUE >> 33)) {
          num = num.multiply(BigInteger.valueOf(numAcc)).mod(PRIME);
          numAcc = 1;
        }
        if (Math.abs(denAcc) > (Long.MAX_VALUE >> 33)) {
          den = den.multiply(BigInteger.valueOf(denAcc)).mod(PRIME);
          denAcc = 1;
        }
        numAcc *= a;
        denAcc *= d;
      }
      numerators[i] = num.multiply(BigInteger.valueOf(numAcc)).mod(PRIME);
      denominators[i] = den.multiply(BigInteger.valueOf(denAcc)).mod(PRIME);
    }
    BigInteger[] inverses = batchInverse(denominators);
    BigInteger[] lambdas = new BigInteger[m];
    for (int i = 0; i < m; i++) {
      lambdas[i] = numerators[i].multiply(inverses[i]).mod(PRIME);
    }
    return lambdas;
  }

  /**
   * Σ λ_i y_i as a 32-byte secret.
   *
   * @throws IllegalArgumentException if the result is not below 2^256 (the shares were not all
   *     points of one sharing)
   */
  public static byte[] combine(BigInteger[] lambdas, BigInteger[] ys) {
    if (lambdas.length != ys.length) {
      throw new IllegalArgumentException("lambdas and ys must have the same length. Provided lengths: "
          + lambdas.length + ", " + ys.length);
    }
    BigInteger s = BigInteger.ZERO;
    for (int i = 0; i < ys.length; i++) {
      s = s.add(lambdas[i].multiply(ys[i]));
    }
    s = s.mod(PRIME);
    if (s.compareTo(SECRET_LIMIT) >= 0) {
      throw new IllegalArgumentException("shares are inconsistent: interpolated value is not a 32-byte secret");
    }
    return toSecretBytes(s);
  }

  /** A field element as {@link #ELEMENT_BYTES} big-endian bytes. */
  public static byte[] encodeElement(BigInteger y) {
    byte[] raw = y.toByteArray(); // may carry a leading sign byte
    byte[] out = new byte[ELEMENT_BYTES];
    int copy = Math.min(raw.length, ELEMENT_BYTES);
    System.arraycopy(raw, raw.length - copy, out, ELEMENT_BYTES - copy, copy);
    return out;
  }

  /**
   * Decodes a field element.
   *
   * @throws IllegalArgumentException if the bytes do not encode a value below p
   */
  public static BigInteger decodeElement(byte[] bytes, int offset) {
    if (bytes.length - offset < ELEMENT_BYTES || offset < 0) {
      throw new IllegalArgumentException("a field element needs " + ELEMENT_BYTES + " bytes");
    }
    BigInteger y = new BigInteger(1, Arrays.copyOfRange(bytes, offset, offset + ELEMENT_BYTES));
    if (y.compareTo(PRIME) >= 0) {
      throw new IllegalArgumentException("encoded value is not a field element (>= p)");
    }
    return y;
  }

  private BigInteger uniformElement() {
    while (true) { // rejection sampling: uniform on [0, p)
      BigInteger c = new BigInteger(PRIME.bitLength(), random);
      if (c.compareTo(PRIME) < 0) {
        return c;
      }
    }
  }

  private static BigInteger[] batchInverse(BigInteger[] values) {
    // Montgomery's trick: one modular inversion for the whole array.
    int m = values.length;
    BigInteger[] prefix = new BigInteger[m];
    BigInteger acc = BigInteger.ONE;
    for (int i = 0; i < m; i++) {
      prefix[i] = acc;
      acc = acc.multiply(values[i]).mod(PRIME);
    }
    BigInteger inv = acc.modInverse(PRIME);
    BigInteger[] out = new BigInteger[m];
    for (int i = m - 1; i >= 0; i--) {
      out[i] = inv.multiply(prefix[i]).mod(PRIME);
      inv = inv.multiply(values[i]).mod(PRIME);
    }
    return out;
  }

  private static void requireDistinctPositive(int[] xs) {
    Set<Integer> seen = new HashSet<>();
    for (int x : xs) {
      if (x < 1) {
        throw new IllegalArgumentException("evaluation points must be >= 1. Provided value: " + x);
      }
      if (!seen.add(x)) {
        throw new IllegalArgumentException("evaluation points must be distinct. Repeated value: " + x);
      }
    }
  }

  private static byte[] toSecretBytes(BigInteger s) {
    byte[] raw = s.toByteArray();
    byte[] out = new byte[SECRET_BYTES];
    int copy = Math.min(raw.length, SECRET_BYTES);
    System.arraycopy(raw, raw.length - copy, out, SECRET_BYTES - copy, copy);
    return out;
  }
}
