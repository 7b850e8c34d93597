package org.hedgerow.privacy.noise;

import java.security.SecureRandom;
import java.security.SecureRandomSpi;
import org.hedgerow.privacy.crypto.MaskStream;

/**
 * A {@link SecureRandom} whose whole output is a ChaCha20 stream under a 32-byte key: the same key
 * gives the same bytes on every JDK. Only {@link NoiseSource}'s deterministic (research) scope makes
 * these; reseeding is refused so that nothing can mix in outside entropy and break a replay.
 */
final class DeterministicSecureRandom extends SecureRandom {
  private static final long serialVersionUID = 1L;

  DeterministicSecureRandom(byte[] key) {
    super(new Spi(key), null);
  }

  @Override
  public String getAlgorithm() {
    return "hedgerow-deterministic-chacha20";
  }

  private static final class Spi extends SecureRandomSpi {
    private static final long serialVersionUID = 1L;
    private final transient MaskStream stream;

    Spi(byte[] key) {
      this.stream = new MaskStream(key, MaskStream.Prg.CHACHA20);
    }

    @Override
    protected void engineSetSeed(byte[] seed) {
      throw new UnsupportedOperationException("a deterministic-noise stream cannot be reseeded");
    }

    @Override
    protected void engineNextBytes(byte[] bytes) {
      int i = 0;
      while (i < bytes.length) {
        int w = stream.nextInt();
        for (int k = 0; k < 4 && i < bytes.length; k++, i++) {
          bytes[i] = (byte) (w >>> (8 * k));
        }
      }
    }

    @Override
    protected byte[] engineGenerateSeed(int numBytes) {
      byte[] b = new byte[numBytes];
      engineNextBytes(b);
      return b;
    }
  }
}
