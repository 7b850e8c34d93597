package org.hedgerow.coordinator.store;

/**
 * The federation moving to a new phase: a round opening or the federation finishing.
 *
 * @param phase {@code TRAINING} (round {@code round} opens) or {@code FINISHED}
 * @param round the round that opens, or the last round when finishing
 * @param finishReason why the federation finished (null when a round opens)
 * @param atMillis when, epoch milliseconds
 */
public record Transition(String phase, int round, String finishReason, long atMillis) {
  public static final String TRAINING = "TRAINING";
  public static final String FINISHED = "FINISHED";

  public static Transition open(int round, long atMillis) {
    return new Transition(TRAINING, round, null, atMillis);
  }

  public static Transition finish(int lastRound, String reason, long atMillis) {
    return new Transition(FINISHED, lastRound, reason, atMillis);
  }

  public boolean opensRound() {
    return phase.equals(TRAINING);
  }
}
