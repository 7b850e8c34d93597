package org.hedgerow.coordinator.service;

import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.hedgerow.coordinator.Federation;
import org.hedgerow.coordinator.ServiceLimits;
import org.hedgerow.coordinator.http.RejectedException;
import org.hedgerow.coordinator.metrics.CoordinatorMetrics;

/**
 * {@code GET /v1/round?after=N} requests waiting for a later round or the end, at most {@link
 * ServiceLimits#maxLongPollWaiters()} at once. Event loop only.
 */
final class RoundLongPolls {
  /** Longest a long poll waits for a change before answering anyway. */
  static final long LONG_POLL_MILLIS = 20_000;
  /** Retry-After of a long poll refused because too many are waiting. */
  static final long LONG_POLL_RETRY_SECONDS = 5;

  private record Waiter(int afterRound, RoutingContext ctx, long timer, Federation.Client caller) {}

  private final List<Waiter> waiters = new ArrayList<>();
  private final Vertx vertx;
  private final Federation federation;
  private final RoundStates states;
  private final ServiceLimits limits;
  private final CoordinatorMetrics metrics;

  RoundLongPolls(Vertx vertx, Federation federation, RoundStates states, ServiceLimits limits,
      CoordinatorMetrics metrics) {
    this.vertx = vertx;
    this.federation = federation;
    this.states = states;
    this.limits = limits;
    this.metrics = metrics;
  }

  /** Holds {@code ctx} until a round after {@code afterRound} opens or the federation finishes (or 20 s pass). */
  void await(int afterRound, RoutingContext ctx, Federation.Client caller) {
    if (waiters.size() >= limits.maxLongPollWaiters()) {
      metrics.shed("long-polls");
      ctx.response().putHeader("Retry-After", Long.toString(LONG_POLL_RETRY_SECONDS));
      throw new RejectedException(503, "too many long polls waiting (limit " + limits.maxLongPollWaiters()
          + "); retry after " + LONG_POLL_RETRY_SECONDS + " s");
    }
    long timer = vertx.setTimer(LONG_POLL_MILLIS, id -> answer(true));
    waiters.add(new Waiter(afterRound, ctx, timer, caller));
    metrics.longPollOpened();
  }

  /** Answers long polls whose condition now holds (or all of them, on timeout or shutdown). */
  void answer(boolean all) {
    Iterator<Waiter> it = waiters.iterator();
    while (it.hasNext()) {
      Waiter w = it.next();
      boolean changed = federation.phase() == Federation.Phase.FINISHED
          || (federation.phase() == Federation.Phase.TRAINING && federation.round() > w.afterRound());
      if (changed || all) {
        vertx.cancelTimer(w.timer());
        it.remove();
        metrics.longPollClosed();
        if (!w.ctx().response().ended() && !w.ctx().response().closed()) {
          Responses.json(w.ctx(), 200, states.of(w.caller()));
        }
      }
    }
  }
}
