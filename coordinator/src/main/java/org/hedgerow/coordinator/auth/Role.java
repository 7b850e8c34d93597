package org.hedgerow.coordinator.auth;

/**
 * What an authenticated caller may do. A client touches only its own uploads; the operator runs the
 * admin API (enrolment tokens, revocation, status); the auditor reads the ledger, status and metrics.
 */
public enum Role {
  CLIENT,
  OPERATOR,
  AUDITOR
}
