package org.hedgerow.coordinator.service;

import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.hedgerow.coordinator.CoordinatorOptions;
import org.hedgerow.coordinator.Federation;
import org.hedgerow.coordinator.ServiceLimits;
import org.hedgerow.coordinator.http.RejectedException;
import org.hedgerow.coordinator.metrics.CoordinatorMetrics;
import org.hedgerow.coordinator.secagg.SecureAggregationWorkflow;

/**
 * How the secure-aggregation stages ({@code /v1/rounds/{r}/secagg/{stage}}) are served: bodies
 * limited by stage, stage polls capped, then the workflow's own handlers.
 */
final class SecureAggregationRoutes {
  static final String STAGE_PATH = "/v1/rounds/:round/secagg/:stage";
  /** Retry-After of a stage poll refused because too many are waiting. */
  static final long RETRY_SECONDS = 5;

  private final SecureAggregationWorkflow workflow;
  private final Federation federation;
  private final CoordinatorOptions options;
  private final BodyLimits bodies;
  private final ServiceLimits limits;
  private final CoordinatorMetrics metrics;
  /** Stage GETs being answered or waiting for their stage (event loop only). */
  private int stagePolls;

  SecureAggregationRoutes(SecureAggregationWorkflow workflow, Federation federation, CoordinatorOptions options,
      BodyLimits bodies, ServiceLimits limits, CoordinatorMetrics metrics) {
    this.workflow = workflow;
    this.federation = federation;
    this.options = options;
    this.bodies = bodies;
    this.limits = limits;
    this.metrics = metrics;
  }

  /** Stage messages are sized by the round's clients, neighbours and dimension; before the router-wide body handler. */
  void mountBodyLimits(Router router) {
    router.post(STAGE_PATH).handler(ctx -> bodies.limit(bodyLimit(ctx.pathParam("stage"))).handle(ctx));
  }

  /** The stage routes, after the body handlers. */
  void mount(Vertx vertx, Router router) {
    router.get(STAGE_PATH).handler(this::capStagePolls);
    workflow.mount(vertx, router);
  }

  /**
   * A stage GET may wait up to 20 s for its stage (the workflow's long poll): at most {@link
   * ServiceLimits#maxLongPollWaiters()} at once, as for the round's long polls; beyond it 503 with
   * {@code Retry-After}.
   */
  private void capStagePolls(RoutingContext ctx) {
    if (stagePolls >= limits.maxLongPollWaiters()) {
      metrics.shed("secagg-long-polls");
      ctx.response().putHeader("Retry-After", Long.toString(RETRY_SECONDS));
      throw new RejectedException(503, "too many secure-aggregation stage polls waiting (limit "
          + limits.maxLongPollWaiters() + "); retry after " + RETRY_SECONDS + " s");
    }
    stagePolls++;
    ctx.addEndHandler(v -> stagePolls--);
    ctx.next();
  }

  /**
   * Largest body of a secure-aggregation stage, from the round's clients n (k ≤ n − 1 neighbours) and the
   * dimension d: key advertisements are fixed-size, encrypted shares and unmasking shares grow with k, the
   * masked input is 4·(d + 1) bytes.
   */
  private long bodyLimit(String stage) {
    long n = Math.max(2, federation.registeredClients());
    long d = options.spec().parameterCount() + 1L;
    return switch (stage == null ? "" : stage) {
      case "advertise-keys" -> 4 * 1024;
      case "share-keys" -> 512 * n + 4 * 1024;
      case "masked-input" -> 4 * d + 4 * 1024;
      case "unmask" -> 256 * n + 4 * 1024;
      default -> 4 * 1024; // refused as an unknown stage by the workflow
    };
  }
}
