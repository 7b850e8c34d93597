package org.hedgerow.aggregation.wire;

import java.util.List;

/**
 * {@code GET /v1/rounds/{r}/secagg/advertise-keys}: the session a client joins — its index in the
 * roster, the roster's identity keys and the ring it encodes in, with the session's terms.
 *
 * @param clientIndex the caller's index in {@code roster}
 * @param modulusBits the ring is {@code Z_{2^modulusBits}}
 * @param dimension d + 1 coordinates per masked input (the parameters and the FedAvg weight)
 * @param roster base64 of every member's 32-byte Ed25519 identity key, by index
 * @param terms the session's secure-aggregation terms (with {@code session} and {@code num_clients})
 */
public record SecAggSession(int round, int clientIndex, int modulusBits, int dimension, List<String> roster,
    SecureAggregationTerms terms) {}
