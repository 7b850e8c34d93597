package org.hedgerow.aggregation.secagg;

/**
 * A message was refused: wrong round, wrong stage (late or early), duplicate, from an unknown or
 * unexpected party, with a forged signature, or inconsistent with what was already accepted. The
 * refusing state machine's state is unchanged unless the message says otherwise.
 */
public class ProtocolViolationException extends SecAggException {
  public ProtocolViolationException(String message) {
    super(message);
  }

  public ProtocolViolationException(String message, Throwable cause) {
    super(message, cause);
  }
}
