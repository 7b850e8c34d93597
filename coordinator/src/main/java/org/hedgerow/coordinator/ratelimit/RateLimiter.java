package org.hedgerow.coordinator.ratelimit;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * A token bucket per caller (client id, or remote address before authentication): each key may make
 * {@code burst} requests at once and {@code ratePerSecond} sustained.
 *
 * <p>Memory is bounded. A bucket untouched for {@code burst / rate} seconds has refilled and is
 * indistinguishable from a new one, so it is dropped; beyond {@code maxKeys} live buckets the least
 * recently used is dropped too (that caller starts again with a full bucket: under a flood of distinct
 * keys the limit is per key only for the most recent {@code maxKeys} keys). Thread-safe.
 */
public final class RateLimiter {
  private final String name;
  private final double ratePerNano;
  private final double ratePerSecond;
  private final double burst;
  private final int maxKeys;
  private final long refillNanos;
  private final LongSupplier nanoClock;
  /** Access-ordered: the eldest entry is the least recently used. */
  private final LinkedHashMap<String, Bucket> buckets = new LinkedHashMap<>(16, 0.75f, true);

  private static final class Bucket {
    double tokens;
    long updated;

    Bucket(double tokens, long updated) {
      this.tokens = tokens;
      this.updated = updated;
    }
  }

  /**
   * The outcome of {@link #tryAcquire}.
   *
   * @param allowed whether the request may go ahead (a token was taken)
   * @param retryAfterSeconds when refused, seconds until a token is available; 0 when allowed
   */
  public record Decision(boolean allowed, double retryAfterSeconds) {}

  /**
   * @param name the limit's name, used in refusals and metrics (e.g. "uploads")
   * @param ratePerSecond sustained requests per second per key, > 0
   * @param burst requests a key may make at once, >= 1
   * @param maxKeys most buckets kept, >= 1
   * @param nanoClock monotonic nanoseconds ({@code System::nanoTime}; a fake clock in tests)
   */
  public RateLimiter(String name, double ratePerSecond, double burst, int maxKeys, LongSupplier nanoClock) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("a rate limit needs a name");
    }
    if (!(ratePerSecond > 0) || Double.isInfinite(ratePerSecond)) {
      throw new IllegalArgumentException("rate limit '" + name + "': rate must be > 0 per second and finite. Provided value: "
          + ratePerSecond);
    }
    if (!(burst >= 1) || Double.isInfinite(burst)) {
      throw new IllegalArgumentException("rate limit '" + name + "': burst must be >= 1 and finite. Provided value: " + burst);
    }
    if (maxKeys < 1) {
      throw new IllegalArgumentException("rate limit '" + name + "': max keys must be >= 1. Provided value: " + maxKeys);
    }
    this.name = name;
    this.ratePerSecond = ratePerSecond;
    this.ratePerNano = ratePerSecond / 1e9;
    this.burst = burst;
    this.maxKeys = maxKeys;
    this.refillNanos = (long) Math.ceil(burst / ratePerNano);
    this.nanoClock = nanoClock;
  }

  /** A limiter on {@code System.nanoTime()}. */
  public static RateLimiter of(String name, double ratePerSecond, double burst, int maxKeys) {
    return new RateLimiter(name, ratePerSecond, burst, maxKeys, System::nanoTime);
  }

  public String name() {
    return name;
  }

  public double ratePerSecond() {
    return ratePerSecond;
  }

  public double burst() {
    return burst;
  }

  /** Takes one token from {@code key}'s bucket if it has one. */
  public synchronized Decision tryAcquire(String key) {
    if (key == null) {
      throw new IllegalArgumentException("rate limit '" + name + "': key is null");
    }
    long now = nanoClock.getAsLong();
    evictIdle(now);
    Bucket b = buckets.get(key);
    if (b == null) {
      b = new Bucket(burst, now);
      buckets.put(key, b);
      if (buckets.size() > maxKeys) {
        Iterator<String> eldest = buckets.keySet().iterator();
        eldest.next();
        eldest.remove();
      }
    } else {
      b.tokens = Math.min(burst, b.tokens + (now - b.updated) * ratePerNano);
      b.updated = now;
    }
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return new Decision(true, 0);
    }
    return new Decision(false, (1 - b.tokens) / ratePerSecond);
  }

  /** Buckets currently held (for tests and a gauge). */
  public synchronized int size() {
    return buckets.size();
  }

  /** Drops buckets, eldest first, that have been idle long enough to be full again. */
  private void evictIdle(long now) {
    Iterator<Map.Entry<String, Bucket>> it = buckets.entrySet().iterator();
    while (it.hasNext()) {
      Bucket b = it.next().getValue();
      if (now - b.updated < refillNanos) {
        return; // access order: every later entry was touched more recently
      }
      it.remove();
    }
  }
}
