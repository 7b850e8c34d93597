package org.hedgerow.coordinator.service;

import org.hedgerow.aggregation.strategy.FitConfig;
import org.hedgerow.aggregation.strategy.Strategy;
import org.hedgerow.aggregation.wire.RoundConfig;
import org.hedgerow.aggregation.wire.RoundState;
import org.hedgerow.coordinator.CoordinatorOptions;
import org.hedgerow.coordinator.Federation;
import org.hedgerow.coordinator.secagg.SecureAggregationWorkflow;

/** The round state as the wire has it ({@code GET /v1/round} and the status's {@code round}). */
final class RoundStates {
  private final Federation federation;
  private final CoordinatorOptions options;
  private final Strategy strategy;
  /** Null when updates are sent in the clear. */
  private final SecureAggregationWorkflow secagg;

  RoundStates(Federation federation, CoordinatorOptions options, Strategy strategy, SecureAggregationWorkflow secagg) {
    this.federation = federation;
    this.options = options;
    this.strategy = strategy;
    this.secagg = secagg;
  }

  /** The round state; with a caller, whether it is asked for an update this round ({@code selected}). */
  RoundState of(Federation.Client caller) {
    boolean training = federation.phase() == Federation.Phase.TRAINING;
    RoundConfig config = null;
    if (training) {
      FitConfig f = strategy.configureFit(federation.round());
      // The workflow's own description, passed on as it is: terms it adds reach the silos unchanged.
      config = new RoundConfig(f.localEpochs(), f.batchSize(), f.seed(),
          secagg == null ? null : secagg.describe(federation.round()));
    }
    return new RoundState(federation.phase().name().toLowerCase(), federation.round(), options.targetRounds(),
        federation.modelVersion(), federation.registeredClients(), federation.activeClients(),
        federation.expectedClients(), options.privacy(), config, training ? federation.selectedClients() : null,
        training && caller != null ? federation.isSelected(caller.id()) : null);
  }
}
