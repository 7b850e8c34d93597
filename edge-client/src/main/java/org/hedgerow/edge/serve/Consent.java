package org.hedgerow.edge.serve;

/**
 * What a customer allows: {@code training} — their data in the silo's training set, item statistics and
 * DP releases; {@code personalisation} — recommendations computed from their own history.
 */
public record Consent(boolean training, boolean personalisation) {
  /** Until a customer says otherwise (the shop's legal basis decides whether this default is right). */
  public static final Consent DEFAULT = new Consent(true, true);
}
