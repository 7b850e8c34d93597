package org.hedgerow.edge.dp;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.hedgerow.privacy.budget.SignedSpend;
import org.hedgerow.privacy.budget.Spend;
import org.hedgerow.privacy.crypto.Ed25519;
import org.hedgerow.privacy.crypto.Ed25519KeyPair;

/**
 * A {@link SpendLog} that lives only as long as its process: for in-process simulations (each
 * simulated silo is an object in one JVM, so a "restart" cannot happen) and tests. A silo process
 * that can be restarted keeps its log in its state directory instead.
 */
public final class InMemorySpendLog implements SpendLog {
  private final Ed25519KeyPair identity;
  private final List<SignedSpend> entries = new ArrayList<>();

  public InMemorySpendLog(Ed25519KeyPair identity) {
    this.identity = identity;
  }

  /** A log with a fresh identity key from {@link SecureRandom}. */
  public InMemorySpendLog() {
    this(Ed25519.generateKeyPair(new SecureRandom()));
  }

  @Override
  public Ed25519KeyPair identity() {
    return identity;
  }

  @Override
  public synchronized SignedSpend append(Spend spend) {
    SignedSpend s = SignedSpend.sign(spend, identity);
    entries.add(s);
    return s;
  }

  @Override
  public synchronized List<SignedSpend> entries() {
    return List.copyOf(entries);
  }
}
