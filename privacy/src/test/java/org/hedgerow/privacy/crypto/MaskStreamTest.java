package org.hedgerow.privacy.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class MaskStreamTest {
  private static byte[] seed(int b) {
    byte[] s = new byte[32];
    Arrays.fill(s, (byte) b);
    return s;
  }

  @Test
  void nextInt_rfc8439KeystreamWithZeroNonce_matchesChaCha20() {
    // RFC 8439 §2.4.2-style check: with key 00..1f, the all-zero nonce and counter 0, the first
    // keystream block is fixed; cross-check against BouncyCastle's engine used directly.
    byte[] key = new byte[32];
    for (int i = 0; i < 32; i++) {
      key[i] = (byte) i;
    }
    org.bouncycastle.crypto.engines.ChaCha7539Engine e = new org.bouncycastle.crypto.engines.ChaCha7539Engine();
    e.init(true, new org.bouncycastle.crypto.params.ParametersWithIV(
        new org.bouncycastle.crypto.params.KeyParameter(key), new byte[12]));
    byte[] ks = new byte[64];
    e.processBytes(new byte[64], 0, 64, ks, 0);
    MaskStream m = new MaskStream(key, MaskStream.Prg.CHACHA20);
    for (int i = 0; i < 16; i++) {
      int expected = (ks[4 * i] & 0xff) | (ks[4 * i + 1] & 0xff) << 8 | (ks[4 * i + 2] & 0xff) << 16 | (ks[4 * i + 3] & 0xff) << 24;
      assertEquals(expected, m.nextInt());
    }
  }

  @Test
  void addTo_aes256CtrAcrossChunks_matchesBouncyCastleCounterMode() {
    // An independent implementation (BouncyCastle's AES engine in SIC = counter mode, zero IV) must
    // give the same keystream over more than two 16 KiB chunks, so the JDK's counter carries on.
    byte[] key = seed(5);
    org.bouncycastle.crypto.modes.SICBlockCipher ctr =
        new org.bouncycastle.crypto.modes.SICBlockCipher(new org.bouncycastle.crypto.engines.AESEngine());
    ctr.init(true, new org.bouncycastle.crypto.params.ParametersWithIV(
        new org.bouncycastle.crypto.params.KeyParameter(key), new byte[16]));
    int words = 10_007;
    byte[] ks = new byte[words * 4];
    ctr.processBlocks(new byte[ks.length - ks.length % 16], 0, ks.length / 16, ks, 0);
    byte[] tail = new byte[16];
    ctr.processBlock(new byte[16], 0, tail, 0);
    System.arraycopy(tail, 0, ks, ks.length - ks.length % 16, ks.length % 16);
    int[] acc = new int[words];
    new MaskStream(key).addTo(acc);
    for (int i = 0; i < words; i++) {
      int expected = (ks[4 * i] & 0xff) | (ks[4 * i + 1] & 0xff) << 8 | (ks[4 * i + 2] & 0xff) << 16 | (ks[4 * i + 3] & 0xff) << 24;
      assertEquals(expected, acc[i], "word " + i);
    }
  }

  @Test
  void nextInts_sameSeedDifferentPrg_giveDifferentStreams() {
    assertFalse(Arrays.equals(new MaskStream(seed(4)).nextInts(64),
        new MaskStream(seed(4), MaskStream.Prg.CHACHA20).nextInts(64)));
  }

  @Test
  void addTo_sameSeed_isDeterministicAndCancelsWithSubtract() {
    int[] v = new int[100_003]; // not a multiple of the chunk size
    for (int i = 0; i < v.length; i++) {
      v[i] = i * 31;
    }
    int[] original = v.clone();
    new MaskStream(seed(7)).addTo(v);
    assertFalse(Arrays.equals(original, v));
    new MaskStream(seed(7)).subtractFrom(v);
    assertArrayEquals(original, v);
  }

  @Test
  void nextInts_mixedWithNextInt_continuesTheSameStream() {
    int[] all = new MaskStream(seed(3)).nextInts(5000);
    MaskStream m = new MaskStream(seed(3));
    int[] head = m.nextInts(4097);
    int next = m.nextInt();
    int[] tail = m.nextInts(902);
    assertArrayEquals(Arrays.copyOf(all, 4097), head);
    assertEquals(all[4097], next);
    assertArrayEquals(Arrays.copyOfRange(all, 4098, 5000), tail);
  }

  @Test
  void nextInts_differentSeeds_giveDifferentStreams() {
    assertFalse(Arrays.equals(new MaskStream(seed(1)).nextInts(64), new MaskStream(seed(2)).nextInts(64)));
  }

  @Test
  void nextInts_manyWords_bitsLookUniform() {
    // Each of the 32 bit positions should be set in about half of 2^18 words; with σ = 256 a
    // deviation beyond 6σ has probability < 1e-8 per position, so this rejects a correct stream
    // with probability < 4e-7.
    int n = 1 << 18;
    int[] w = new MaskStream(seed(9)).nextInts(n);
    for (int bit = 0; bit < 32; bit++) {
      int ones = 0;
      for (int x : w) {
        ones += (x >>> bit) & 1;
      }
      assertTrue(Math.abs(ones - n / 2) < 6 * 256, "bit " + bit + " set " + ones + " times");
    }
  }

  @Test
  void constructor_shortSeed_throwsIllegalArgument() {
    assertThrows(IllegalArgumentException.class, () -> new MaskStream(new byte[16]));
  }

  @Test
  void uniformInt_bound_staysInRangeAndIsReproducible() {
    ChaChaRandom a = new ChaChaRandom(seed(4));
    ChaChaRandom b = new ChaChaRandom(seed(4));
    for (int i = 0; i < 10_000; i++) {
      int x = a.uniformInt(7);
      assertTrue(x >= 0 && x < 7);
      assertEquals(x, b.uniformInt(7));
    }
    assertThrows(IllegalArgumentException.class, () -> a.uniformInt(0));
  }
}
