package org.hedgerow.edge.dp;

/**
 * Per-customer gradients at given parameters: what {@link UserLevelDpTrainer} needs from a model.
 * An implementation must compute customer k's gradient from customer k's examples only — that is
 * what makes clipping bound one customer's influence.
 */
public interface GradientSource {
  /** Number of parameters. */
  int dimension();

  /** Customers whose examples are available (indices 0 … customers − 1). */
  int customers();

  /** Sets the parameters subsequent gradients are taken at. */
  void setParameters(float[] parameters);

  /** Customer k's gradient at the current parameters (a new array of {@link #dimension()} values). */
  double[] gradient(int customer);
}
