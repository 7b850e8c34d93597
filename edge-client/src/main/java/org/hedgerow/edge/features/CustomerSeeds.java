package org.hedgerow.edge.features;

import java.nio.ByteBuffer;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.SplittableRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Where each customer's example-sampling randomness comes from.
 *
 * <p>Under user-level DP a customer's examples must depend on nothing but their own history and
 * public inputs, or removing one customer would change other customers' examples (and so many
 * clipped terms of a DP-SGD sum, not one). {@link #secret} gives every customer their own stream,
 * seeded by HMAC-SHA256 of their stable customer id under a secret silo key: streams are
 * independent of each other and of the data, and unpredictable to anyone without the key.
 * {@link #shared} is the non-private default: one seeded stream across all customers in order
 * (reproducible from the scenario seed; it couples customers, which only matters under DP).
 */
public abstract class CustomerSeeds {
  private CustomerSeeds() {}

  /** The random stream for {@code customerId}'s examples. */
  abstract SplittableRandom streamFor(int customerId);

  /** One stream from {@code seed}, shared by every customer in the order they are built (non-private runs). */
  public static CustomerSeeds shared(long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    return new CustomerSeeds() {
      @Override
      SplittableRandom streamFor(int customerId) {
        return rnd;
      }
    };
  }

  /** Per-customer streams under a fresh 256-bit key from {@link SecureRandom} (DP silos). */
  public static CustomerSeeds secret() {
    byte[] key = new byte[32];
    org.hedgerow.privacy.noise.NoiseSource.random("customer-seeds").nextBytes(key);
    return keyed(key);
  }

  /**
   * Per-customer streams under {@code key}: customer c's stream is seeded by the first 8 bytes of
   * HMAC-SHA256(key, c). Tests use a fixed key to check that removing one customer leaves every
   * other customer's examples bit-identical.
   */
  public static CustomerSeeds keyed(byte[] key) {
    if (key == null || key.length < 16) {
      throw new IllegalArgumentException("a customer-seed key must have at least 16 bytes");
    }
    SecretKeySpec spec = new SecretKeySpec(key.clone(), "HmacSHA256");
    return new CustomerSeeds() {
      @Override
      SplittableRandom streamFor(int customerId) {
        try {
          Mac mac = Mac.getInstance("HmacSHA256");
          mac.init(spec);
          byte[] out = mac.doFinal(ByteBuffer.allocate(Integer.BYTES).putInt(customerId).array());
          return new SplittableRandom(ByteBuffer.wrap(out).getLong());
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
          throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
      }
    };
  }
}
