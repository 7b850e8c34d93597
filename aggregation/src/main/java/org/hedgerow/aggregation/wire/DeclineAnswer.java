package org.hedgerow.aggregation.wire;

/** {@code 200} to {@code POST /v1/rounds/{r}/decline}. */
public record DeclineAnswer(boolean declined, int round, int activeClients) {}
