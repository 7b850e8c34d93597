package org.hedgerow.aggregation.wire;

/** {@code POST /v1/rounds/{r}/secagg/{stage}} answered 202: the stage message was taken. */
public record StageAccepted(boolean accepted, int round, String stage) {}
