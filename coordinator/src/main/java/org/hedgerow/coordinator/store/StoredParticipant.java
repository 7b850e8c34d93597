package org.hedgerow.coordinator.store;

/**
 * A client that joined the federation (takes part in its rounds).
 *
 * @param clientId its id
 * @param silo its silo name (equal to the id under open registration)
 * @param joinedAtMillis when it joined, epoch milliseconds
 * @param identityKey its Ed25519 identity key for secure aggregation, or null
 */
public record StoredParticipant(String clientId, String silo, long joinedAtMillis, byte[] identityKey) {}
