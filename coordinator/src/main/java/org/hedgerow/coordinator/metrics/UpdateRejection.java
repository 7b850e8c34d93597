package org.hedgerow.coordinator.metrics;

/**
 * Why an update was refused: the {@code reason} label of {@code hedgerow_updates_rejected_total}.
 * A fixed set, so the label cannot grow with what callers send.
 */
public enum UpdateRejection {
  /** No, unknown or revoked credentials (401). */
  UNAUTHENTICATED,
  /** Authenticated, but not allowed (403). */
  FORBIDDEN,
  /** Bad headers, wrong length or spec hash, malformed body (400). */
  MALFORMED,
  /** NaN or ±∞ in the vector (400). */
  NON_FINITE,
  /** Round not open, other round open, stale model version, client declined (409). */
  WRONG_ROUND,
  /** A second update from the same client for the same round (409). */
  DUPLICATE,
  /** Body over the size limit (413). */
  TOO_LARGE,
  /** Over the per-client rate limit (429). */
  RATE_LIMITED,
  /** Anything else. */
  OTHER;

  /** The label value: lower case. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** The best reason an HTTP status alone gives (409 is taken as {@link #WRONG_ROUND}). */
  public static UpdateRejection forStatus(int status) {
    return switch (status) {
      case 400, 411 -> MALFORMED;
      case 401 -> UNAUTHENTICATED;
      case 403 -> FORBIDDEN;
      case 409 -> WRONG_ROUND;
      case 413 -> TOO_LARGE;
      case 429 -> RATE_LIMITED;
      default -> OTHER;
    };
  }
}
