package org.hedgerow.aggregation.wire;

/** {@code 201} to {@code POST /v1/admin/enrolment-tokens}: the token, shown once, and when it expires (ISO-8601). */
public record EnrolmentTokenAnswer(String clientId, String token, String expiresAt) {}
