package org.hedgerow.coordinator.store;

import java.util.List;
import org.hedgerow.coordinator.RoundRecord;
import org.hedgerow.privacy.budget.Spend;

/**
 * Everything that changes when a round ends, written in one transaction: the new model version
 * with the strategy's state, the round's record, the round's privacy spends, the removal of the
 * round's update bodies and the move to the next round (or the end).
 *
 * @param round the round that ends
 * @param record what happened in it; null if it ended without a new model (aborted, or no update)
 * @param modelVersion the new model's version (ignored without a record)
 * @param parameters the new model (null without a record)
 * @param strategyState {@code Strategy.state()} after aggregating (null without a record)
 * @param clientSpends the spends the clients reported with the round's updates, in acceptance order
 * @param coordinatorSpends the coordinator's own spends for the round (central DP), in order
 * @param note why the round ended without a model, or null
 * @param next the round that opens, or the federation finishing
 */
public record RoundClose(int round, RoundRecord record, int modelVersion, float[] parameters, byte[] strategyState,
    List<Spend> clientSpends, List<Spend> coordinatorSpends, String note, Transition next) {
  /** True if the round produced a new model. */
  public boolean producedModel() {
    return record != null;
  }
}
