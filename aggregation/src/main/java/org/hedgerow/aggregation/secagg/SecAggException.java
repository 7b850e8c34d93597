package org.hedgerow.aggregation.secagg;

/** Base of every secure-aggregation failure; the message says what went wrong and for whom. */
public class SecAggException extends RuntimeException {
  public SecAggException(String message) {
    super(message);
  }

  public SecAggException(String message, Throwable cause) {
    super(message, cause);
  }
}
