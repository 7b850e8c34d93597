package org.hedgerow.aggregation.wire;

import org.hedgerow.aggregation.model.ModelSpec;

/**
 * {@code GET /v1/model}: the served model's version and the spec every client must train ({@code spec}
 * has the {@link ModelSpec}'s fields: {@code feature_schema}, {@code layer_sizes}, ...).
 */
public record ModelInfo(int version, String specHash, int parameterCount, String privacy, ModelSpec spec) {}
