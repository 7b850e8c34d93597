package org.hedgerow.coordinator.store;

import java.util.function.BiConsumer;

/**
 * Reads an accepted update's body back off the event loop, ahead of its turn in a client-ordered
 * running sum, so that re-reading a body that could not be held in memory never blocks the loop on
 * the disk (bodies are written with direct I/O, so a read-back is a disk read, not a page-cache copy).
 */
@FunctionalInterface
public interface UpdateBodiesAhead {
  /**
   * Starts reading {@code clientId}'s body of {@code round}; {@code done} is called on the event loop
   * with the bytes, or with the failure (the caller then reads it again in place, where the failure is
   * reported as before).
   */
  void read(int round, String clientId, BiConsumer<byte[], Throwable> done);
}
