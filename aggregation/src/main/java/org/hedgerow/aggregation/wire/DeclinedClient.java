package org.hedgerow.aggregation.wire;

/** A client that declined a round, in the status's {@code privacy.declined} (null numbers: not a budget refusal). */
public record DeclinedClient(int round, String reason, Double epsilon, Double cap) {}
