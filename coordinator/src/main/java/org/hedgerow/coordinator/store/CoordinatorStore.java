package org.hedgerow.coordinator.store;

import java.util.concurrent.CompletableFuture;
import org.hedgerow.coordinator.auth.EnrolledClient;
import org.hedgerow.coordinator.auth.CredentialStore;

/**
 * The coordinator's durable state: enrolment (as a {@link CredentialStore}), the federation's
 * identity, participants, rounds, accepted updates, model versions and the privacy ledger.
 *
 * <p>Every write is durable when its future completes (or its blocking method returns): the
 * coordinator acknowledges nothing before that. Writes are applied in the order they were
 * submitted, by one writer; concurrent writes may share one commit (group commit). The
 * asynchronous methods never block the caller, so they may be called from an event loop; the
 * futures complete on the store's writer thread.
 */
public interface CoordinatorStore extends CredentialStore, AutoCloseable {
  /** Where the store is (password redacted in {@code toString}). */
  StoreLocation location();

  /**
   * Binds the store to a federation. An empty store records {@code identity} and model version 0;
   * a store that already holds a federation is checked against {@code identity} and its state
   * returned. Blocking.
   *
   * @return the saved state, or null if the store was empty
   * @throws StoreException if the store belongs to a different federation (the message names every
   *     difference) or cannot be read
   */
  StoredState open(FederationIdentity identity, float[] initialModel, byte[] initialStrategyState);

  /**
   * Records a participant and, for open registration, its credential (null if it enrolled through
   * an enrolment token and its credential is already stored). Idempotent per client id.
   */
  CompletableFuture<Void> join(StoredParticipant participant, EnrolledClient credential);

  /** Moves the federation to {@code t} (opens a round or finishes). */
  CompletableFuture<Void> transition(Transition t);

  /**
   * Stores an accepted update: its body in the round's body file, forced to disk before the row that
   * points to it commits. Completes with false, storing nothing, if its round is not open in
   * the store (it closed in the meantime) or the client already has an update in that round.
   */
  CompletableFuture<Boolean> saveUpdate(StoredUpdate update);

  /** Reads the open round's accepted update bodies back (any thread). */
  UpdateBodies updateBodies();

  /** Records that a client declined a round. */
  CompletableFuture<Void> decline(StoredDecline decline);

  /** Ends a round: everything in {@code close}, in one transaction. */
  CompletableFuture<Void> closeRound(RoundClose close);

  /**
   * Records silos' signed spends ({@code POST /v1/spends}) in one transaction. Fails, storing
   * nothing, if any (holder, counter) or ledger sequence is already stored.
   */
  CompletableFuture<Void> recordSpends(java.util.List<StoredSpend> spends);

  /**
   * Every recorded spend (silos' and the coordinator's own), in ledger order, without opening the
   * federation (for an offline ledger export while no coordinator runs). Blocking.
   */
  java.util.List<StoredSpend> ledger();

  /** Flushes pending writes and releases the database. */
  @Override
  void close();
}
