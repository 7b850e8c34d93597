package org.hedgerow.privacy.crypto;

/**
 * An authenticated ciphertext did not verify: it was tampered with, truncated, encrypted under
 * another key, or opened with different associated data. Nothing of the plaintext is released.
 */
public final class AuthenticationFailedException extends RuntimeException {
  public AuthenticationFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
