package org.hedgerow.coordinator.auth;

/**
 * An authenticated caller.
 *
 * @param role what it may do
 * @param name the client id for {@link Role#CLIENT}; "operator" or "auditor" otherwise
 */
public record Principal(Role role, String name) {
  public Principal {
    if (role == null || name == null || name.isBlank()) {
      throw new IllegalArgumentException("a principal needs a role and a name");
    }
  }
}
