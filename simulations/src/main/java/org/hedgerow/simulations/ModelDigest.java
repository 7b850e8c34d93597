package org.hedgerow.simulations;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.hedgerow.privacy.crypto.Hex;

/**
 * SHA-256 of a model's parameters (each float's IEEE 754 bits, big-endian, in order): two runs
 * trained the same model bit for bit exactly when the digests agree. Reported per federation in
 * {@code summary.json}, so a replayed run ({@code --deterministic-noise}) can be checked by anyone.
 */
public final class ModelDigest {
  private ModelDigest() {}

  public static String sha256(float[] parameters) {
    ByteBuffer b = ByteBuffer.allocate(4 * parameters.length);
    for (float p : parameters) {
      b.putInt(Float.floatToRawIntBits(p));
    }
    try {
      return Hex.encode(MessageDigest.getInstance("SHA-256").digest(b.array()));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }
}
