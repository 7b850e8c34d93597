package org.hedgerow.cli.bench;

/**
 * Whether the bench's clients check peers' certificates against a federation CA, as enrolled silos
 * do in service mode, and how much of that a silo has already done in earlier rounds.
 */
public enum FederationCaMode {
  /** Open registration: the roster is trusted as sent, no certificates (the historical bench). */
  NONE,
  /**
   * Every silo starts with no certificate verified: a silo's first round. A lower bound: the JDK's
   * {@code CertificateFactory} keeps recently parsed certificates with their last verification result
   * per JVM, and here all simulated silos share one JVM, so a certificate checked by one silo is nearly
   * free for the next (SignatureCheckBenchmark measures the uncached cost).
   */
  FIRST_ROUND,
  /**
   * Every certificate's signature was verified in an earlier round and is remembered
   * ({@code VerifiedCertificates}); validity and the roster key are still checked: later rounds.
   */
  STEADY_STATE
}
