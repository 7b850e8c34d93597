package org.hedgerow.coordinator.http;

/** A request the coordinator refuses; carries the HTTP status and a message naming the problem. */
public final class RejectedException extends RuntimeException {
  private final int status;

  public RejectedException(int status, String message) {
    super(message);
    this.status = status;
  }

  public int status() {
    return status;
  }
}
