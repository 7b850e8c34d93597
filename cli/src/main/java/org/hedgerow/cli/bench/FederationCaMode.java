package org.hedgerow.cli.bench;

/**
 * Whether the bench's clients check peers' certificates against a federation CA, as enrolled silos
 * do in service mode, and how much of that a silo has already done in earlier rounds.
 */
public enum FederationCaMode {
  /** Open registration: the roster is trusted as sent, no certificates (the historical bench). */
  NONE,
  /** Every silo checks each certificate it needs from scratch: a silo's first round. */
  FIRST_ROUND,
  /**
   * Every certificate's signature was verified in an earlier round and is remembered
   * ({@code VerifiedCertificates}); validity and the roster key are still checked: later rounds.
   */
  STEADY_STATE
}
