package org.hedgerow.coordinator.store;

/**
 * A client that declined a round and takes no further part.
 *
 * @param epsilon the ε it reported having spent (NaN if not reported)
 * @param cap its reported ε cap (NaN if not reported)
 */
public record StoredDecline(String clientId, int round, String reason, double epsilon, double cap, long atMillis) {}
