package org.hedgerow.aggregation.wire;

/** {@code 200} to {@code POST /v1/admin/clients/{id}/revoke}: when it was revoked, and whether this call did it. */
public record RevokeAnswer(String clientId, String revokedAt, boolean changed) {}
