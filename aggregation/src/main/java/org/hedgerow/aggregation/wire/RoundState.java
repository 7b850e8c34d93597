package org.hedgerow.aggregation.wire;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * {@code GET /v1/round} (and {@code round} of the status): where the federation is.
 *
 * @param state {@link #WAITING_FOR_CLIENTS}, {@link #TRAINING} or {@link #FINISHED}
 * @param privacy what the federation declares: {@code none}, or {@code local} (an update needs a
 *     signed spend of its round)
 * @param config what the open round asks (only while training)
 * @param selectedClients clients asked in the open round (only while training)
 * @param selected whether the authenticated caller is asked this round (only while training, and
 *     only to a caller the coordinator recognised as a participant)
 */
public record RoundState(String state, int round, int targetRounds, int modelVersion, int registeredClients,
    int activeClients, int expectedClients, String privacy,
    @JsonInclude(JsonInclude.Include.NON_NULL) RoundConfig config,
    @JsonInclude(JsonInclude.Include.NON_NULL) Integer selectedClients,
    @JsonInclude(JsonInclude.Include.NON_NULL) Boolean selected) {
  public static final String WAITING_FOR_CLIENTS = "waiting_for_clients";
  public static final String TRAINING = "training";
  public static final String FINISHED = "finished";

  public boolean finished() {
    return FINISHED.equals(state);
  }

  public boolean training() {
    return TRAINING.equals(state);
  }
}
