package org.hedgerow.privacy.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ShamirSecretSharingTest {
  private final SecureRandom random = new SecureRandom();

  private byte[] secret() {
    byte[] s = new byte[32];
    random.nextBytes(s);
    return s;
  }

  private static int[] points(int n) {
    int[] xs = new int[n];
    for (int i = 0; i < n; i++) {
      xs[i] = i + 1;
    }
    return xs;
  }

  @Test
  void prime_isTheSmallestPrimeAbove2To256() {
    assertTrue(ShamirSecretSharing.PRIME.isProbablePrime(128));
    assertEquals(ShamirSecretSharing.PRIME, BigInteger.ONE.shiftLeft(256).nextProbablePrime());
  }

  @Test
  void reconstruct_anyThresholdSubset_returnsSecret() {
    Random shuffler = new Random(1); // only picks subsets; not a secret
    for (int trial = 0; trial < 20; trial++) {
      int n = 3 + shuffler.nextInt(15);
      int t = 1 + shuffler.nextInt(n);
      ShamirSecretSharing sss = new ShamirSecretSharing(t, random);
      byte[] s = secret();
      List<ShamirShare> shares = new ArrayList<>(sss.split(s, points(n)));
      Collections.shuffle(shares, shuffler);
      assertArrayEquals(s, sss.reconstruct(shares.subList(0, t)), "n=" + n + " t=" + t);
    }
  }

  @Test
  void reconstruct_allZeroAndAllOnesSecrets_roundTrip() {
    ShamirSecretSharing sss = new ShamirSecretSharing(3, random);
    byte[] zeros = new byte[32];
    byte[] ones = new byte[32];
    Arrays.fill(ones, (byte) 0xff);
    assertArrayEquals(zeros, sss.reconstruct(sss.split(zeros, new int[] {4, 9, 1000})));
    assertArrayEquals(ones, sss.reconstruct(sss.split(ones, new int[] {4, 9, 1000})));
  }

  @Test
  void reconstruct_thresholdMinusOneShares_throwsIllegalArgument() {
    ShamirSecretSharing sss = new ShamirSecretSharing(4, random);
    List<ShamirShare> shares = sss.split(secret(), points(6));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> sss.reconstruct(shares.subList(0, 3)));
    assertTrue(e.getMessage().contains("at least threshold = 4"));
  }

  @Test
  void lagrangeAtZero_thresholdMinusOneShares_doNotDetermineSecret() {
    // Interpolating t−1 shares as if the threshold were t−1 gives a value unrelated to the secret.
    ShamirSecretSharing sss = new ShamirSecretSharing(4, random);
    byte[] s = secret();
    List<ShamirShare> shares = sss.split(s, points(6));
    int[] xs = {1, 2, 3};
    BigInteger[] ys = {shares.get(0).y(), shares.get(1).y(), shares.get(2).y()};
    BigInteger interpolated = BigInteger.ZERO;
    BigInteger[] l = ShamirSecretSharing.lagrangeAtZero(xs);
    for (int i = 0; i < 3; i++) {
      interpolated = interpolated.add(l[i].multiply(ys[i]));
    }
    assertFalse(interpolated.mod(ShamirSecretSharing.PRIME).equals(new BigInteger(1, s)));
  }

  @Test
  void reconstruct_largeThreshold_matchesSecret() {
    ShamirSecretSharing sss = new ShamirSecretSharing(300, random);
    byte[] s = secret();
    List<ShamirShare> shares = new ArrayList<>(sss.split(s, points(599)));
    Collections.shuffle(shares, new Random(2));
    assertArrayEquals(s, sss.reconstruct(shares));
  }

  @Test
  void split_invalidParameters_throwIllegalArgument() {
    ShamirSecretSharing sss = new ShamirSecretSharing(3, random);
    assertThrows(IllegalArgumentException.class, () -> new ShamirSecretSharing(0));
    assertThrows(IllegalArgumentException.class, () -> sss.split(secret(), new int[] {1, 2}));
    assertThrows(IllegalArgumentException.class, () -> sss.split(secret(), new int[] {1, 2, 2}));
    assertThrows(IllegalArgumentException.class, () -> sss.split(secret(), new int[] {0, 1, 2}));
    assertThrows(IllegalArgumentException.class, () -> sss.split(new byte[31], points(3)));
  }

  @Test
  void reconstruct_corruptedShare_givesWrongSecretOrThrows() {
    ShamirSecretSharing sss = new ShamirSecretSharing(3, random);
    byte[] s = secret();
    List<ShamirShare> shares = new ArrayList<>(sss.split(s, points(3)));
    ShamirShare bad = shares.get(1);
    shares.set(1, new ShamirShare(bad.x(), bad.y().add(BigInteger.ONE).mod(ShamirSecretSharing.PRIME)));
    try {
      assertFalse(Arrays.equals(s, sss.reconstruct(shares)));
    } catch (IllegalArgumentException expected) {
      assertTrue(expected.getMessage().contains("inconsistent"));
    }
  }

  @Test
  void encodeElement_roundTrip_andRejectsOutOfField() {
    BigInteger y = ShamirSecretSharing.PRIME.subtract(BigInteger.ONE);
    byte[] enc = ShamirSecretSharing.encodeElement(y);
    assertEquals(ShamirSecretSharing.ELEMENT_BYTES, enc.length);
    assertEquals(y, ShamirSecretSharing.decodeElement(enc, 0));
    byte[] tooBig = ShamirSecretSharing.encodeElement(ShamirSecretSharing.PRIME);
    assertThrows(IllegalArgumentException.class, () -> ShamirSecretSharing.decodeElement(tooBig, 0));
    assertThrows(IllegalArgumentException.class, () -> new ShamirShare(0, BigInteger.ONE));
  }
}
