package org.hedgerow.coordinator.service;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import org.hedgerow.aggregation.model.ModelSpec;
import org.hedgerow.aggregation.wire.ModelInfo;
import org.hedgerow.aggregation.wire.ParameterCodec;
import org.hedgerow.aggregation.wire.Wire;
import org.hedgerow.coordinator.CoordinatorOptions;
import org.hedgerow.coordinator.Federation;
import org.hedgerow.coordinator.metrics.CoordinatorMetrics;

/** The reads a silo follows a federation with: {@code GET /v1/round[?after=N]}, {@code /v1/model}, {@code /v1/model/parameters}. */
final class RoundRoutes {
  private final Federation federation;
  private final CoordinatorOptions options;
  private final Callers callers;
  private final RoundStates states;
  private final RoundLongPolls longPolls;
  private final CoordinatorMetrics metrics;

  RoundRoutes(Federation federation, CoordinatorOptions options, Callers callers, RoundStates states,
      RoundLongPolls longPolls, CoordinatorMetrics metrics) {
    this.federation = federation;
    this.options = options;
    this.callers = callers;
    this.states = states;
    this.longPolls = longPolls;
    this.metrics = metrics;
  }

  void round(RoutingContext ctx) {
    Federation.Client caller = callers.reader(ctx);
    String after = ctx.request().getParam("after");
    if (after != null) {
      int a = Requests.parseInt(after, "after");
      if (federation.phase() != Federation.Phase.FINISHED
          && (federation.phase() == Federation.Phase.WAITING_FOR_CLIENTS || federation.round() <= a)) {
        longPolls.await(a, ctx, caller);
        return;
      }
    }
    Responses.json(ctx, 200, states.of(caller));
  }

  void modelInfo(RoutingContext ctx) {
    callers.reader(ctx);
    ModelSpec s = options.spec();
    Responses.json(ctx, 200, new ModelInfo(federation.modelVersion(), s.hash(), s.parameterCount(), options.privacy(), s));
  }

  void modelParameters(RoutingContext ctx) {
    callers.reader(ctx);
    byte[] bytes = ParameterCodec.encode(federation.model());
    federation.servedBytes(bytes.length);
    metrics.modelServed(bytes.length);
    ctx.response()
        .putHeader("Content-Type", Wire.OCTET_STREAM)
        .putHeader(Wire.HEADER_MODEL_VERSION, Integer.toString(federation.modelVersion()))
        .putHeader(Wire.HEADER_SPEC_HASH, options.spec().hash())
        .end(Buffer.buffer(bytes));
  }
}
