package org.hedgerow.aggregation.secagg;

import java.math.BigInteger;
import org.hedgerow.privacy.crypto.ShamirSecretSharing;

/**
 * A Shamir share of one of {@code ownerId}'s secrets, revealed to the server in stage 3 by the
 * neighbour that held it. The evaluation point is the revealer's id + 1, so it is not sent.
 */
public record RevealedShare(int ownerId, ShareKind kind, BigInteger y) {
  public RevealedShare {
    if (ownerId < 0) {
      throw new MalformedMessageException("ownerId must be >= 0. Provided value: " + ownerId);
    }
    if (kind == null || y == null) {
      throw new MalformedMessageException("kind and y must not be null");
    }
    if (y.signum() < 0 || y.compareTo(ShamirSecretSharing.PRIME) >= 0) {
      throw new MalformedMessageException("y must be a field element");
    }
  }

  @Override
  public String toString() {
    return "RevealedShare[owner=" + ownerId + ", kind=" + kind + "]";
  }
}
