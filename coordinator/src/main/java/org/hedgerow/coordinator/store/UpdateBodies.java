package org.hedgerow.coordinator.store;

/**
 * Where accepted updates' bodies can be read back while their round is open: for a running sum
 * that takes updates in client-id order, and for rules that need every update at the close.
 */
@FunctionalInterface
public interface UpdateBodies {
  /**
   * The body of {@code clientId}'s accepted update in {@code round}.
   *
   * @throws StoreException if the store holds no such body (never accepted, or its round closed)
   */
  byte[] read(int round, String clientId);
}
