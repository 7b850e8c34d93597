package org.hedgerow.aggregation.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * What the open round asks of a client ({@code config} of the round state).
 *
 * @param secureAggregation the round's secure-aggregation terms as the coordinator's workflow
 *     announces them ({@code mode}, and once a session runs {@code session}, {@code num_clients},
 *     {@code neighbours}, {@code threshold}, {@code bits}, ...); null: updates go in the clear. Kept as
 *     the workflow's map so that terms it adds reach the silos unchanged.
 */
public record RoundConfig(int localEpochs, int batchSize, long seed,
    @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Object> secureAggregation) {}
