package org.hedgerow.aggregation.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.hedgerow.aggregation.secagg.DistributedDpTerms;

/**
 * What a round's secure aggregation announces ({@code config.secure_aggregation} of the round state,
 * and {@code terms} of a session): while no session runs only {@code mode}; once one does, the
 * session and its parameters. A silo runs its own session from these numbers, never from what it is
 * told later.
 *
 * @param mode {@code secagg} (complete graph) or {@code secagg+} (sparse graph)
 * @param session the session id, bound into every signature, key derivation and ciphertext; a new one
 *     means the coordinator restarted the round's stages
 * @param numClients n, the roster size
 * @param neighbours k, each client's neighbours in the masking graph
 * @param threshold t: no sum of fewer inputs is unmasked
 * @param bits quantisation bits of the secure sum
 * @param clip the secure sum's per-coordinate clip (with distributed DP it fixes the integer scale)
 * @param weightCap W, the largest FedAvg weight counted in full
 * @param distributedDp the distributed-DP terms of the session, or null when it runs without them
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SecureAggregationTerms(String mode, String session, Integer numClients, Integer neighbours,
    Integer threshold, Integer bits, Double clip, Long weightCap, DistributedDpTerms distributedDp) {

  /** Only the mode: no session runs yet. */
  public static SecureAggregationTerms modeOnly(String mode) {
    return new SecureAggregationTerms(mode, null, null, null, null, null, null, null, null);
  }

  /** These terms as announced for {@code session} of {@code numClients}. */
  public SecureAggregationTerms forSession(String sessionId, int clients) {
    return new SecureAggregationTerms(mode, sessionId, clients, neighbours, threshold, bits, clip, weightCap,
        distributedDp);
  }

  /** Whether a session's parameters are announced (not only the mode). */
  public boolean sessionAnnounced() {
    return numClients != null && neighbours != null && threshold != null && bits != null && clip != null
        && weightCap != null;
  }
}
