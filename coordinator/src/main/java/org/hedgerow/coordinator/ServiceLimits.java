package org.hedgerow.coordinator;

/**
 * Limits that keep one caller from tying up the coordinator (docs/security.md, "Service limits").
 * Defaults suit a federation of up to a few thousand silos; tests lower them.
 *
 * @param maxJsonBodyBytes largest body of the JSON routes (join, decline, admin, enrolment, reads)
 * @param idleTimeoutSeconds a connection with nothing read or written for this long is closed; longer
 *     than a long poll (20 s), so waiting clients are not cut off
 * @param bodyReadTimeoutMillis a request whose body has not fully arrived this long after its headers
 *     (plus its declared length at {@link #SLOW_LINK_BYTES_PER_MILLI}) is answered 408 and its
 *     connection closed (slow-body senders)
 * @param maxConnectionsPerAddress open connections one remote address may hold; requests on the ones
 *     beyond are answered 503 and closed
 * @param maxLongPollWaiters {@code GET /v1/round?after=N} requests that may wait at once, and (counted
 *     apart) secure-aggregation stage polls {@code GET /v1/rounds/{r}/secagg/{stage}}; beyond it 503
 *     with {@code Retry-After}
 * @param enrolPerSecond {@code POST /v1/enrol} requests per second per remote address
 * @param enrolBurst their burst
 */
public record ServiceLimits(int maxJsonBodyBytes, long idleTimeoutSeconds, long bodyReadTimeoutMillis,
    int maxConnectionsPerAddress, int maxLongPollWaiters, double enrolPerSecond, double enrolBurst) {
  /** JSON bodies are a few hundred bytes; 16 KiB leaves room for a CSR and long reasons. */
  public static final int DEFAULT_MAX_JSON_BODY_BYTES = 16 * 1024;
  /**
   * The slowest link a body is given time for, beyond {@link #bodyReadTimeoutMillis}: 64 KiB/s (a 64 MiB
   * update gets about 17 minutes more).
   */
  public static final long SLOW_LINK_BYTES_PER_MILLI = 64;
  public static final long DEFAULT_IDLE_TIMEOUT_SECONDS = 60;
  public static final long DEFAULT_BODY_READ_TIMEOUT_MILLIS = 60_000;
  /** Room for a NAT or proxy in front of many silos; far above what one silo opens. */
  public static final int DEFAULT_MAX_CONNECTIONS_PER_ADDRESS = 2048;
  /** Each waiting long poll holds a connection and a timer: 8192 covers a few thousand silos and operators. */
  public static final int DEFAULT_MAX_LONG_POLL_WAITERS = 8192;
  public static final ServiceLimits DEFAULTS = new ServiceLimits(DEFAULT_MAX_JSON_BODY_BYTES,
      DEFAULT_IDLE_TIMEOUT_SECONDS, DEFAULT_BODY_READ_TIMEOUT_MILLIS, DEFAULT_MAX_CONNECTIONS_PER_ADDRESS,
      DEFAULT_MAX_LONG_POLL_WAITERS, 2, 20);

  public ServiceLimits {
    if (maxJsonBodyBytes < 1024 || idleTimeoutSeconds <= 20 || bodyReadTimeoutMillis < 100
        || maxConnectionsPerAddress < 1 || maxLongPollWaiters < 0 || !(enrolPerSecond > 0) || enrolBurst < 1) {
      throw new IllegalArgumentException("service limits out of range (JSON body >= 1024 bytes, idle timeout > 20 s "
          + "(a long poll waits 20 s), body read timeout >= 100 ms, >= 1 connection per address, >= 0 long polls, "
          + "enrolment rate > 0 and burst >= 1): " + this);
    }
  }

  public ServiceLimits withMaxConnectionsPerAddress(int n) {
    return new ServiceLimits(maxJsonBodyBytes, idleTimeoutSeconds, bodyReadTimeoutMillis, n, maxLongPollWaiters,
        enrolPerSecond, enrolBurst);
  }

  public ServiceLimits withMaxLongPollWaiters(int n) {
    return new ServiceLimits(maxJsonBodyBytes, idleTimeoutSeconds, bodyReadTimeoutMillis, maxConnectionsPerAddress, n,
        enrolPerSecond, enrolBurst);
  }

  public ServiceLimits withBodyReadTimeoutMillis(long ms) {
    return new ServiceLimits(maxJsonBodyBytes, idleTimeoutSeconds, ms, maxConnectionsPerAddress, maxLongPollWaiters,
        enrolPerSecond, enrolBurst);
  }

  public ServiceLimits withEnrolRate(double perSecond, double burst) {
    return new ServiceLimits(maxJsonBodyBytes, idleTimeoutSeconds, bodyReadTimeoutMillis, maxConnectionsPerAddress,
        maxLongPollWaiters, perSecond, burst);
  }
}
