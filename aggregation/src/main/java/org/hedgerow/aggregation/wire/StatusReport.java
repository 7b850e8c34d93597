package org.hedgerow.aggregation.wire;

import java.util.List;

/**
 * {@code GET /v1/status} (operator or auditor in service mode).
 *
 * @param finishReason why the federation finished (null while it runs)
 * @param secureAggregation the secure-aggregation mode ({@code secagg}, {@code secagg+}) or null
 * @param centralDp whether the coordinator adds central DP noise
 */
public record StatusReport(int completedRounds, int targetRounds, RoundState round, int abortedRounds,
    double aggregationSeconds, List<RoundSummary> history, String finishReason, String secureAggregation,
    boolean centralDp, PrivacyStatus privacy) {}
