package org.hedgerow.aggregation.strategy;

import java.util.Optional;
import org.hedgerow.privacy.budget.PrivacyBudget;

/**
 * A strategy that spends privacy itself (central DP): the coordinator asks it before opening each
 * round whether the budget allows one more, and records its ledger entries.
 */
public interface PrivacyAccounted {
  /** The budget charged by {@link Strategy#aggregateFit}. */
  PrivacyBudget budget();

  /** Why round {@code round} must not run (it would exceed the cap), or empty if it may. */
  Optional<String> refusal(int round);
}
