package org.hedgerow.privacy.crypto;

/** Lower-case hex for logs, test vectors and {@code toString}s. */
public final class Hex {
  private static final char[] DIGITS = "0123456789abcdef".toCharArray();

  private Hex() {}

  public static String encode(byte[] bytes) {
    char[] out = new char[bytes.length * 2];
    for (int i = 0; i < bytes.length; i++) {
      out[2 * i] = DIGITS[(bytes[i] >> 4) & 0xf];
      out[2 * i + 1] = DIGITS[bytes[i] & 0xf];
    }
    return new String(out);
  }

  /** Decodes an even-length hex string (either case). */
  public static byte[] decode(String hex) {
    CryptoChecks.requireNonNull(hex, "hex");
    if (hex.length() % 2 != 0) {
      throw new IllegalArgumentException("hex must have an even number of digits. Provided length: " + hex.length());
    }
    byte[] out = new byte[hex.length() / 2];
    for (int i = 0; i < out.length; i++) {
      int hi = Character.digit(hex.charAt(2 * i), 16);
      int lo = Character.digit(hex.charAt(2 * i + 1), 16);
      if (hi < 0 || lo < 0) {
        throw new IllegalArgumentException("hex contains a non-hex digit near index " + 2 * i);
      }
      out[i] = (byte) ((hi << 4) | lo);
    }
    return out;
  }
}
