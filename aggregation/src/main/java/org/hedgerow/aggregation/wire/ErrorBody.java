package org.hedgerow.aggregation.wire;

/** Every refusal's body: {@code {"error": "<what was wrong>"}}. */
public record ErrorBody(String error) {}
