package org.hedgerow.privacy.accounting;

/**
 * The inner event applied to a Poisson sample: each record (here, each customer) is included
 * independently with probability {@code samplingProbability}.
 */
public record PoissonSampledEvent(double samplingProbability, DpEvent event) implements DpEvent {

  public PoissonSampledEvent {
    AccountingChecks.checkProbability("samplingProbability", samplingProbability);
    AccountingChecks.checkNotNull("event", event);
  }
}
