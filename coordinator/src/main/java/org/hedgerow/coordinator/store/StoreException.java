package org.hedgerow.coordinator.store;

/** The store could not do what was asked (database unreachable, schema mismatch, I/O error). */
public final class StoreException extends RuntimeException {
  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }

  public StoreException(String message) {
    super(message);
  }
}
