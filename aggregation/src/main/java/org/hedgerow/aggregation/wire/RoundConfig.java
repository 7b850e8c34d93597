package org.hedgerow.aggregation.wire;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What the open round asks of a client ({@code config} of the round state).
 *
 * @param secureAggregation the round's secure-aggregation terms (just the mode until a session runs);
 *     null: updates go in the clear
 */
public record RoundConfig(int localEpochs, int batchSize, long seed,
    @JsonInclude(JsonInclude.Include.NON_NULL) SecureAggregationTerms secureAggregation) {}
