package org.hedgerow.aggregation.wire;

/** {@code POST /v1/admin/enrolment-tokens} (operator): a one-time token for {@code clientId}, valid {@code ttlSeconds}. */
public record EnrolmentTokenRequest(String clientId, long ttlSeconds) {}
