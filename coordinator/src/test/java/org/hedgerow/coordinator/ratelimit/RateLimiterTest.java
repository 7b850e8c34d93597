package org.hedgerow.coordinator.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Token buckets on a fake clock: burst, refill, per-key isolation and bounded memory. */
class RateLimiterTest {
  private final FakeClock clock = new FakeClock();

  @Test
  void tryAcquire_burstThenEmpty_refusedWithRetryAfterOfOneToken() {
    RateLimiter l = new RateLimiter("uploads", 2, 3, 100, clock); // 2/s, burst 3
    for (int i = 0; i < 3; i++) {
      assertTrue(l.tryAcquire("a").allowed(), "request " + i + " of the burst");
    }
    RateLimiter.Decision d = l.tryAcquire("a");
    assertFalse(d.allowed());
    assertEquals(0.5, d.retryAfterSeconds(), 1e-9);
  }

  @Test
  void tryAcquire_afterRefillTime_allowedAgainAtTheSustainedRate() {
    RateLimiter l = new RateLimiter("uploads", 2, 1, 100, clock);
    assertTrue(l.tryAcquire("a").allowed());
    assertFalse(l.tryAcquire("a").allowed());
    clock.advanceMillis(499);
    assertFalse(l.tryAcquire("a").allowed());
    clock.advanceMillis(1);
    assertTrue(l.tryAcquire("a").allowed());
    assertFalse(l.tryAcquire("a").allowed());
  }

  @Test
  void tryAcquire_longIdle_tokensCappedAtBurst() {
    RateLimiter l = new RateLimiter("uploads", 10, 2, 100, clock);
    clock.advanceMillis(3_600_000);
    assertTrue(l.tryAcquire("a").allowed());
    assertTrue(l.tryAcquire("a").allowed());
    assertFalse(l.tryAcquire("a").allowed());
  }

  @Test
  void tryAcquire_differentKeys_independentBuckets() {
    RateLimiter l = new RateLimiter("uploads", 1, 1, 100, clock);
    assertTrue(l.tryAcquire("a").allowed());
    assertFalse(l.tryAcquire("a").allowed());
    assertTrue(l.tryAcquire("b").allowed());
  }

  @Test
  void tryAcquire_manyKeys_memoryBoundedByMaxKeys() {
    RateLimiter l = new RateLimiter("enrol", 1, 1, 10, clock);
    for (int i = 0; i < 1000; i++) {
      l.tryAcquire("addr-" + i);
    }
    assertEquals(10, l.size());
  }

  @Test
  void tryAcquire_idleBucketsRefilled_evicted() {
    RateLimiter l = new RateLimiter("uploads", 1, 2, 100, clock);
    l.tryAcquire("a");
    l.tryAcquire("b");
    assertEquals(2, l.size());
    clock.advanceMillis(2_000); // burst / rate = 2 s: both buckets are full again
    l.tryAcquire("c");
    assertEquals(1, l.size());
  }

  @Test
  void constructor_nonPositiveRateOrBurstBelowOne_refusedNamingTheValue() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new RateLimiter("uploads", 0, 1, 10, clock));
    assertTrue(e.getMessage().contains("0.0"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new RateLimiter("uploads", 1, 0.5, 10, clock));
    assertThrows(IllegalArgumentException.class, () -> new RateLimiter("uploads", 1, 1, 0, clock));
    assertThrows(IllegalArgumentException.class, () -> new RateLimiter("uploads", Double.NaN, 1, 10, clock));
  }
}
