package org.hedgerow.coordinator.store;

/**
 * What happened in one closed round.
 *
 * @param round round number (1-based)
 * @param clients updates aggregated
 * @param examples total training examples behind them
 * @param bytesUp request bytes of accepted updates
 * @param bytesDown parameter bytes served while the round was open
 * @param seconds from opening to the new model
 * @param aggregationSeconds time spent in the strategy's aggregation
 * @param clientTrainSeconds local training time the clients reported, summed
 * (Under central DP, examples is {@link #SUPPRESSED} and clientTrainSeconds and trainLoss are NaN:
 * they are un-noised functions of the clients' data.)
 * @param trainLoss example-weighted mean of the clients' reported training loss (NaN if none reported)
 */
public record RoundRecord(int round, int clients, long examples, long bytesUp, long bytesDown, double seconds,
    double aggregationSeconds, double clientTrainSeconds, double trainLoss) {
  /** {@link #examples} of a round whose client reports are not published (central DP). */
  public static final long SUPPRESSED = -1;
}
