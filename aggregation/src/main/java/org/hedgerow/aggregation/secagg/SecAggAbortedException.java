package org.hedgerow.aggregation.secagg;

/**
 * The round was aborted because too few clients remained for the threshold (or a secret could
 * not be reconstructed). When the server throws this it has produced no output: no unmasked
 * sum, and no partially unmasked vector, leaves it. When a client throws this it has sent nothing
 * further for the round.
 */
public final class SecAggAbortedException extends SecAggException {
  public SecAggAbortedException(String message) {
    super(message);
  }

  public SecAggAbortedException(String message, Throwable cause) {
    super(message, cause);
  }
}
