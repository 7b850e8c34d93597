package org.hedgerow.coordinator.service;

import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hedgerow.aggregation.strategy.PrivacyAccounted;
import org.hedgerow.aggregation.strategy.Strategy;
import org.hedgerow.aggregation.wire.DeclinedClient;
import org.hedgerow.aggregation.wire.HealthAnswer;
import org.hedgerow.aggregation.wire.PrivacyStatus;
import org.hedgerow.aggregation.wire.RoundSummary;
import org.hedgerow.aggregation.wire.StatusReport;
import org.hedgerow.coordinator.CoordinatorOptions;
import org.hedgerow.coordinator.Federation;
import org.hedgerow.coordinator.auth.Role;
import org.hedgerow.coordinator.secagg.SecureAggregationWorkflow;
import org.hedgerow.coordinator.store.RoundRecord;

/** {@code GET /health} and {@code GET /v1/status} (operator or auditor in service mode). */
final class StatusRoutes {
  private final Federation federation;
  private final CoordinatorOptions options;
  private final Strategy strategy;
  private final Callers callers;
  private final RoundStates states;
  /** Null when updates are sent in the clear. */
  private final SecureAggregationWorkflow secagg;

  StatusRoutes(Federation federation, CoordinatorOptions options, Strategy strategy, Callers callers,
      RoundStates states, SecureAggregationWorkflow secagg) {
    this.federation = federation;
    this.options = options;
    this.strategy = strategy;
    this.callers = callers;
    this.states = states;
    this.secagg = secagg;
  }

  void health(RoutingContext ctx) {
    Responses.json(ctx, 200, HealthAnswer.OK);
  }

  void status(RoutingContext ctx) {
    callers.requireRole(ctx, Role.OPERATOR, Role.AUDITOR);
    List<RoundSummary> rounds = new ArrayList<>();
    for (RoundRecord r : federation.history()) {
      rounds.add(new RoundSummary(r.round(), r.clients(), r.examples() == RoundRecord.SUPPRESSED ? null : r.examples(),
          r.bytesUp(), r.bytesDown(), r.seconds(), r.aggregationSeconds(),
          Double.isNaN(r.clientTrainSeconds()) ? null : r.clientTrainSeconds(),
          Double.isNaN(r.trainLoss()) ? null : r.trainLoss()));
    }
    Responses.json(ctx, 200, new StatusReport(federation.history().size(), options.targetRounds(), states.of(null),
        federation.abortedRounds(), federation.aggregationSecondsTotal(), rounds, federation.finishReason(),
        secagg == null ? null : secagg.mode(), strategy instanceof PrivacyAccounted, privacy()));
  }

  private PrivacyStatus privacy() {
    Map<String, DeclinedClient> declined = new LinkedHashMap<>();
    federation.declined().forEach((id, d) -> declined.put(id, new DeclinedClient(d.round(), d.reason(),
        Double.isFinite(d.epsilon()) ? d.epsilon() : null, Double.isFinite(d.cap()) ? d.cap() : null)));
    return new PrivacyStatus(federation.spends(), declined);
  }
}
