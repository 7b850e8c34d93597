package org.hedgerow.privacy.crypto;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.engines.ChaCha7539Engine;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;

/**
 * A pseudorandom stream of 32-bit words expanded from a 256-bit seed with a stream cipher's
 * keystream: AES-256 in counter mode (NIST SP 800-38A; all-zero initial counter block, the whole
 * 128-bit block incremented) by default, or ChaCha20 (RFC 8439 keystream, all-zero nonce, block
 * counter from 0). Secure aggregation expands one such stream per mask, so this is the server's
 * hot loop; the JDK's AES-CTR uses the CPU's AES instructions where present (measured in
 * docs/benchmarks.md, "Mask expansion"), while ChaCha20 runs in BouncyCastle's portable Java.
 *
 * <p>Guarantee: for a uniformly random secret seed the words are computationally
 * indistinguishable from independent uniform values in Z_{2^32}, so adding them to a vector
 * modulo 2^32 is a one-time pad. The same seed always gives the same words, which is what lets
 * a party who learns the seed later remove the mask. Because the nonce is fixed, every seed must
 * be used for exactly one stream: derive a distinct seed per purpose and per round (e.g. with
 * {@link Hkdf}). With ChaCha20 a seed yields at most 2^36 words (its 32-bit block counter); with
 * AES-CTR the distinguishing advantage grows as (blocks)^2 / 2^129, about 2^-65 for the 2^32
 * blocks of the largest vector we allow (2^31 words). All parties of a protocol must use the
 * same {@link Prg}.
 *
 * <p>Bulk methods work on 16 KiB keystream chunks and add with Java's wrapping {@code int}
 * arithmetic, which is exactly addition in Z_{2^32}; no {@code BigInteger} on the vector path.
 */
public final class MaskStream {
  /** The keystream generator. */
  public enum Prg {
    /** AES-256-CTR from the JDK provider (hardware AES where available); the default. */
    AES_256_CTR,
    /** ChaCha20 (RFC 8439) from BouncyCastle. */
    CHACHA20
  }

  public static final int SEED_BYTES = 32;
  private static final int CHUNK_BYTES = 16 * 1024;
  private static final byte[] NONCE = new byte[12];
  private static final VarHandle INT_LE =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  // Both ciphers XOR their keystream into the input; XOR with zeros leaves the bare keystream.
  private static final byte[] ZEROS = new byte[CHUNK_BYTES];

  private final Keystream keystream;
  private final byte[] chunk = new byte[CHUNK_BYTES];
  private int position = 0; // byte offset of the next unread word in chunk
  private int limit = 0;    // bytes of keystream currently in chunk

  /** An AES-256-CTR stream keyed by a 32-byte seed (copied). */
  public MaskStream(byte[] seed) {
    this(seed, Prg.AES_256_CTR);
  }

  /** A stream keyed by a 32-byte seed (copied), expanded with {@code prg}. */
  public MaskStream(byte[] seed, Prg prg) {
    CryptoChecks.requireLength(seed, SEED_BYTES, "seed");
    CryptoChecks.requireNonNull(prg, "prg");
    this.keystream = prg == Prg.CHACHA20 ? chaCha20(seed.clone()) : aes256Ctr(seed.clone());
  }

  /** Writes the next {@code length} keystream bytes to {@code out[0..length)}. */
  private interface Keystream {
    void next(byte[] out, int length);
  }

  private static Keystream chaCha20(byte[] key) {
    ChaCha7539Engine engine = new ChaCha7539Engine();
    engine.init(true, new ParametersWithIV(new KeyParameter(key), NONCE));
    return (out, length) -> engine.processBytes(ZEROS, 0, length, out, 0);
  }

  private static Keystream aes256Ctr(byte[] key) {
    try {
      Cipher cipher = Cipher.getInstance("AES/CTR/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(new byte[16]));
      return (out, length) -> {
        try {
          // Encrypting zeros in counter mode yields the bare keystream, continued across calls.
          cipher.update(ZEROS, 0, length, out, 0);
        } catch (GeneralSecurityException e) {
          throw new IllegalStateException("AES-CTR keystream failed", e);
        }
      };
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK has no AES/CTR/NoPadding", e);
    }
  }

  /** The next word. */
  public int nextInt() {
    if (position == limit) {
      refill(1);
    }
    int w = (int) INT_LE.get(chunk, position);
    position += Integer.BYTES;
    return w;
  }

  /** The next {@code n} words. */
  public int[] nextInts(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("n must be >= 0. Provided value: " + n);
    }
    int[] out = new int[n];
    addTo(out);
    return out;
  }

  /** Adds the next {@code acc.length} words to {@code acc} element-wise, modulo 2^32. */
  public void addTo(int[] acc) {
    apply(acc, 1);
  }

  /** Subtracts the next {@code acc.length} words from {@code acc} element-wise, modulo 2^32. */
  public void subtractFrom(int[] acc) {
    apply(acc, -1);
  }

  private void apply(int[] acc, int sign) {
    CryptoChecks.requireNonNull(acc, "acc");
    int i = 0;
    while (i < acc.length) {
      if (position == limit) {
        refill(acc.length - i);
      }
      int words = Math.min((limit - position) / Integer.BYTES, acc.length - i);
      int p = position;
      if (sign > 0) {
        for (int j = 0; j < words; j++, p += Integer.BYTES) {
          acc[i + j] += (int) INT_LE.get(chunk, p);
        }
      } else {
        for (int j = 0; j < words; j++, p += Integer.BYTES) {
          acc[i + j] -= (int) INT_LE.get(chunk, p);
        }
      }
      position = p;
      i += words;
    }
  }

  /** Generates keystream for at least {@code words} more words (whole 64-byte blocks, at most a chunk). */
  private void refill(int words) {
    // Short vectors should not pay for a whole chunk; the stream stays the same either way.
    long wanted = ((long) words * Integer.BYTES + 63) & ~63L;
    limit = (int) Math.min(CHUNK_BYTES, wanted);
    keystream.next(chunk, limit);
    position = 0;
  }
}
