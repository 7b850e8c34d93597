package org.hedgerow.aggregation.wire;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * {@code 201} to {@code POST /v1/clients}.
 *
 * @param token the bearer token of an open registration (shown once); absent for a certificate join
 */
public record JoinAnswer(String clientId, @JsonInclude(JsonInclude.Include.NON_NULL) String token) {}
