package org.hedgerow.aggregation.wire;

/** {@code 200} to {@code POST /v1/spends}: how many spends were recorded now, and the counter expected next. */
public record SpendsAnswer(int recorded, long nextCounter) {}
