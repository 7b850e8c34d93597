package org.hedgerow.aggregation.secagg;

/**
 * How a client decides that an advertisement's identity key is genuine, beyond the server's roster.
 * {@link #TRUST_ROSTER} accepts the roster as the server sent it (open registration, development:
 * the server could substitute keys); {@link CertifiedIdentityKeys#federationCa} requires a credential
 * signed by the federation CA that binds the key to an enrolled client.
 */
@FunctionalInterface
public interface IdentityCertification {
  /** Accepts every roster key without a credential: trust on first use, no protection from key substitution. */
  IdentityCertification TRUST_ROSTER = (client, key, credential) -> { };

  /**
   * Checks that {@code identityKey}, the roster's key of {@code client}, is certified by {@code credential}.
   *
   * @param credential what the directory carried for this client (null: nothing)
   * @throws ProtocolViolationException naming what is wrong: missing, forged, expired or mismatched
   */
  void check(int client, byte[] identityKey, byte[] credential);
}
