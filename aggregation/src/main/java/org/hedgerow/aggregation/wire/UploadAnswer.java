package org.hedgerow.aggregation.wire;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * {@code 202} to {@code PUT /v1/rounds/{r}/update}.
 *
 * @param updates updates the round holds (null once the round closed)
 * @param expected updates the round waits for (null once it closed)
 * @param duplicate true for a retry of an upload already stored (absent otherwise)
 */
public record UploadAnswer(boolean accepted, int round, Integer updates, Integer expected,
    @JsonInclude(JsonInclude.Include.NON_NULL) Boolean duplicate) {}
