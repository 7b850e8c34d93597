package org.hedgerow.aggregation.wire;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * {@code POST /v1/enrol}: a silo redeems its one-time token.
 *
 * @param token the enrolment token (required)
 * @param csr PEM certificate signing request (required over TLS: the coordinator issues the client
 *     certificate for it)
 * @param identityKey base64 of the silo's 32-byte Ed25519 identity key, certified in its certificate; or null
 * @param identityProof base64 Ed25519 signature proving possession of {@code identityKey}; or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EnrolmentRequest(String token, String csr, String identityKey, String identityProof) {}
