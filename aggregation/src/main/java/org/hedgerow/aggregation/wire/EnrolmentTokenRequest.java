package org.hedgerow.aggregation.wire;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * {@code POST /v1/admin/enrolment-tokens} (operator): a one-time token for {@code clientId}, valid
 * {@code ttlSeconds} (null: the coordinator's default).
 */
public record EnrolmentTokenRequest(String clientId, @JsonInclude(JsonInclude.Include.NON_NULL) Long ttlSeconds) {}
