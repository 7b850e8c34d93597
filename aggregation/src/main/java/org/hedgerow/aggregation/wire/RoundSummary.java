package org.hedgerow.aggregation.wire;

/**
 * One closed round in the status's {@code history}.
 *
 * @param examples null when suppressed (DP: a count of examples would leak)
 * @param clientTrainSeconds null when no client reported its time
 * @param trainLoss null when no client reported its loss
 */
public record RoundSummary(int round, int clients, Long examples, long bytesUp, long bytesDown, double seconds,
    double aggregationSeconds, Double clientTrainSeconds, Double trainLoss) {}
