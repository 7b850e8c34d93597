package org.hedgerow.coordinator.ratelimit;

import java.util.function.LongSupplier;

/** A fake monotonic clock for tests: time moves only when the test advances it. */
final class FakeClock implements LongSupplier {
  private long nanos = 1_000_000_000L;

  void advanceMillis(long ms) {
    nanos += ms * 1_000_000L;
  }

  @Override
  public long getAsLong() {
    return nanos;
  }
}
