package org.hedgerow.aggregation.wire;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * {@code POST /v1/rounds/{r}/decline}: why the silo leaves, and (for a budget refusal) what it spent
 * and its cap; null numbers are omitted (JSON has no NaN).
 */
public record DeclineRequest(String reason,
    @JsonInclude(JsonInclude.Include.NON_NULL) Double epsilon,
    @JsonInclude(JsonInclude.Include.NON_NULL) Double cap) {

  /** A decline with {@code epsilon} and {@code cap} omitted where not finite. */
  public static DeclineRequest of(String reason, double epsilon, double cap) {
    return new DeclineRequest(reason, Double.isFinite(epsilon) ? epsilon : null, Double.isFinite(cap) ? cap : null);
  }
}
