package org.hedgerow.privacy.accounting;

/**
 * What a mechanism did, described so that an accountant can bound its privacy loss — the closed
 * family of Google's {@code dp_accounting} ({@code DpEvent}): base mechanisms, Poisson sampling,
 * self-composition and composition.
 *
 * <p>Events are immutable values; the aggregator that ran a mechanism emits one and the
 * accountant composes it. Each accountant says which events it {@code supports}.
 */
public sealed interface DpEvent
    permits NoOpEvent,
        GaussianEvent,
        LaplaceEvent,
        DiscreteGaussianEvent,
        PoissonSampledEvent,
        SelfComposedEvent,
        ComposedEvent {

  /**
   * DP-SGD / DP-FedAvg: {@code steps} rounds of a Gaussian with the given noise multiplier over a
   * Poisson sample with probability q.
   */
  static DpEvent sampledGaussian(double noiseMultiplier, double samplingProbability, long steps) {
    AccountingChecks.checkAtLeastOne("steps", steps);
    return new SelfComposedEvent(
        new PoissonSampledEvent(samplingProbability, new GaussianEvent(noiseMultiplier)), steps);
  }
}
