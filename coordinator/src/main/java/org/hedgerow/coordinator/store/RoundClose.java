package org.hedgerow.coordinator.store;

import java.util.List;

/**
 * Everything that changes when a round ends, written in one transaction: the new model version
 * with the strategy's state, the round's record, the coordinator's own privacy spend (central DP),
 * the removal of the round's update bodies and the move to the next round (or the end). Silos'
 * spends are not part of it: they are recorded as they arrive ({@code POST /v1/spends}).
 *
 * @param round the round that ends
 * @param record what happened in it; null if it ended without a new model (aborted, or no update)
 * @param modelVersion the new model's version (ignored without a record)
 * @param parameters the new model (null without a record)
 * @param strategyState {@code Strategy.state()} after aggregating (null without a record)
 * @param coordinatorSpends the coordinator's own spends for the round (central DP), in order, with
 *     their ledger sequence
 * @param note why the round ended without a model, or null
 * @param next the round that opens, or the federation finishing
 */
public record RoundClose(int round, RoundRecord record, int modelVersion, float[] parameters, byte[] strategyState,
    List<StoredSpend> coordinatorSpends, String note, Transition next) {
  /** True if the round produced a new model. */
  public boolean producedModel() {
    return record != null;
  }
}
