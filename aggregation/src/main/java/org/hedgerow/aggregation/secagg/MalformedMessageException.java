package org.hedgerow.aggregation.secagg;

/** Bytes that do not decode to a well-formed message (truncated, trailing data, bad tag, bad length). */
public final class MalformedMessageException extends ProtocolViolationException {
  public MalformedMessageException(String message) {
    super(message);
  }
}
