package org.hedgerow.coordinator.store;

/**
 * What makes a store belong to one federation. Reopening a store with a different identity is
 * refused: resuming someone else's rounds with another model or strategy would silently mix them.
 *
 * @param specHash the model spec's hash
 * @param parameterCount parameters of the model
 * @param targetRounds rounds the federation runs
 * @param seed seed of the initial model
 * @param strategy description of the strategy and its aggregator (class names and settings)
 */
public record FederationIdentity(String specHash, int parameterCount, int targetRounds, long seed, String strategy) {
  /** The differences from {@code other}, one per field, or an empty string if they are the same. */
  public String differencesFrom(FederationIdentity other) {
    StringBuilder b = new StringBuilder();
    diff(b, "spec hash", specHash, other.specHash);
    diff(b, "parameter count", parameterCount, other.parameterCount);
    diff(b, "target rounds", targetRounds, other.targetRounds);
    diff(b, "seed", seed, other.seed);
    diff(b, "strategy", strategy, other.strategy);
    return b.toString();
  }

  private static void diff(StringBuilder b, String what, Object stored, Object given) {
    if (!stored.equals(given)) {
      b.append(b.isEmpty() ? "" : "; ").append(what).append(": store has ").append(stored).append(", this run ")
          .append(given);
    }
  }
}
