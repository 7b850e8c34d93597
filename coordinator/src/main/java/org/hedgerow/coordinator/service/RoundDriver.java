package org.hedgerow.coordinator.service;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.hedgerow.aggregation.secagg.SecureSumEncoding;
import org.hedgerow.coordinator.CoordinatorOptions;
import org.hedgerow.coordinator.Federation;
import org.hedgerow.coordinator.http.RejectedException;
import org.hedgerow.coordinator.metrics.CoordinatorMetrics;
import org.hedgerow.coordinator.secagg.SecureAggregationWorkflow;
import org.hedgerow.coordinator.store.CoordinatorStore;
import org.hedgerow.coordinator.store.RoundClose;
import org.hedgerow.coordinator.store.RoundRecord;
import org.hedgerow.coordinator.store.Transition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves the federation through its rounds: opens round 1 once everyone joined, closes a round when
 * it is complete or its deadline passed, makes each change durable in the store before applying it,
 * and tells the long polls, the secure-aggregation workflow and the listeners. Event loop only.
 */
final class RoundDriver {
  private static final Logger log = LoggerFactory.getLogger(RoundDriver.class);

  private final Vertx vertx;
  private final Context context;
  private final CoordinatorOptions options;
  private final Federation federation;
  private final CoordinatorStore store;
  private final CoordinatorMetrics metrics;
  /** Null when updates are sent in the clear. */
  private final SecureAggregationWorkflow secagg;
  private final RoundLongPolls longPolls;
  private final List<BiConsumer<RoundRecord, float[]>> roundListeners;
  private final List<Consumer<String>> finishListeners;
  private long deadlineTimer = -1;

  RoundDriver(Vertx vertx, Context context, CoordinatorOptions options, Federation federation, CoordinatorStore store,
      CoordinatorMetrics metrics, SecureAggregationWorkflow secagg, RoundLongPolls longPolls,
      List<BiConsumer<RoundRecord, float[]>> roundListeners, List<Consumer<String>> finishListeners) {
    this.vertx = vertx;
    this.context = context;
    this.options = options;
    this.federation = federation;
    this.store = store;
    this.metrics = metrics;
    this.secagg = secagg;
    this.longPolls = longPolls;
    this.roundListeners = roundListeners;
    this.finishListeners = finishListeners;
  }

  /** A store future, completed back on the coordinator's context. */
  <T> Future<T> stored(CompletableFuture<T> f) {
    return Future.fromCompletionStage(f, context);
  }

  /** The 503 a request gets when what it changes could not be stored (it may retry). */
  static RejectedException storeFailure(String what, Throwable cause) {
    log.error("could not store {}", what, cause);
    return new RejectedException(503, "could not store " + what + " (" + cause.getMessage() + "); retry");
  }

  /** Picks up where the store left off: re-arms the open round, closes it if complete, or finishes. */
  void resume() {
    switch (federation.phase()) {
      case TRAINING -> {
        roundOpened();
        afterWrite();
      }
      case FINISHED -> finished();
      case WAITING_FOR_CLIENTS -> advance();
    }
  }

  /**
   * Stores and applies the phase change now due (round 1 opening, or the end), if any; the future
   * completes once it is applied (or failed, and is retried later).
   */
  Future<Void> advance() {
    Optional<Transition> due = federation.dueTransition(System.currentTimeMillis());
    if (due.isEmpty()) {
      return Future.succeededFuture();
    }
    Transition t = due.get();
    return stored(store.transition(t)).transform(ar -> {
      if (ar.failed()) {
        federation.transitionFailed();
        log.error("could not store the start of round {}; retrying in 1 s", t.round(), ar.cause());
        vertx.setTimer(1000, id -> advance());
        return Future.succeededFuture();
      }
      federation.apply(t);
      if (federation.phase() == Federation.Phase.TRAINING) {
        roundOpened();
      } else {
        finished();
      }
      return Future.succeededFuture();
    });
  }

  /**
   * After a write settled: closes the round if it is complete, or if its deadline passed and nothing
   * is in flight. The future completes when any close this started is durable and applied.
   */
  Future<Void> afterWrite() {
    if (federation.closing() || federation.phase() != Federation.Phase.TRAINING) {
      return Future.succeededFuture();
    }
    if (federation.roundComplete()) {
      return close();
    }
    if (federation.closingAtDeadline() && !federation.writesInFlight()) {
      if (federation.deadlineReached(federation.round())) {
        return close();
      }
      federation.deadlineMissed();
      armDeadline();
    }
    return Future.succeededFuture();
  }

  private Future<Void> close() {
    RoundClose c;
    try {
      c = federation.prepareClose(System.currentTimeMillis());
    } catch (RuntimeException e) {
      log.error("round {} could not be aggregated", federation.round(), e);
      return Future.succeededFuture();
    }
    return persistClose(c);
  }

  /** Makes a round's end durable, then applies it: new model served, next round opened (or the end). */
  private Future<Void> persistClose(RoundClose c) {
    cancelDeadline();
    return stored(store.closeRound(c)).transform(ar -> {
      if (ar.failed()) {
        // The strategy already advanced in memory; only a restart (which resumes from the store) is consistent.
        log.error("round {} could not be stored as closed; this coordinator no longer advances: restart it to resume "
            + "round {} from the store", c.round(), c.round(), ar.cause());
        return Future.succeededFuture();
      }
      Optional<RoundRecord> closed = federation.closed(c);
      if (closed.isEmpty()) {
        metrics.roundAborted();
      }
      closed.ifPresent(rec -> {
        metrics.roundCompleted(rec.clients());
        log.atInfo().addKeyValue("event", "round_closed").addKeyValue("round", rec.round())
            .addKeyValue("clients", rec.clients()).addKeyValue("examples", rec.examples())
            .addKeyValue("seconds", String.format(Locale.ROOT, "%.1f", rec.seconds()))
            .log("round {} closed", rec.round());
        roundListeners.forEach(l -> l.accept(rec, federation.model()));
      });
      if (federation.phase() == Federation.Phase.TRAINING) {
        roundOpened();
      } else {
        finished();
      }
      longPolls.answer(false);
      return Future.succeededFuture();
    });
  }

  private void finished() {
    cancelDeadline();
    if (secagg != null) {
      secagg.finished();
    }
    log.info("federation finished: {}", federation.finishReason());
    finishListeners.forEach(l -> l.accept(federation.finishReason()));
    longPolls.answer(false);
  }

  private void roundOpened() {
    metrics.roundOpened(federation.round());
    metrics.activeClients(federation.activeClients());
    armDeadline();
    if (secagg != null) {
      secagg.roundOpened(federation.round()); // idempotent when the deadline is merely re-armed
    }
    longPolls.answer(false);
  }

  private void armDeadline() {
    cancelDeadline();
    int r = federation.round();
    deadlineTimer = vertx.setTimer(options.roundDeadlineMillis(), id -> {
      deadlineTimer = -1;
      if (federation.deadlinePassed(r)) {
        log.warn("round {} deadline passed with {} of {} updates: closing with what arrived", r,
            federation.updatesThisRound(), federation.expectedUpdates());
        afterWrite();
      } else if (federation.phase() == Federation.Phase.TRAINING && federation.round() == r && !federation.closing()) {
        log.warn("round {} deadline passed with {} updates, fewer than the minimum {}: waiting another deadline", r,
            federation.updatesThisRound(), options.minClients());
        armDeadline();
      }
    });
  }

  void cancelDeadline() {
    if (deadlineTimer >= 0) {
      vertx.cancelTimer(deadlineTimer);
      deadlineTimer = -1;
    }
  }

  /** A secure round's sum is unmasked: applied exactly as a plain round close would be. */
  void secureRoundCompleted(SecureSumEncoding.Decoded sum, long bytesUp) {
    persistClose(federation.prepareCloseWithSum(sum.weightedDeltaSum(), sum.totalWeight(), sum.summands(), bytesUp,
        System.currentTimeMillis()));
  }

  /** A secure round aborted (below the threshold, or its stages failed): closed without a new model if still open. */
  void secureRoundAborted(int round, String reason, boolean fatal) {
    if (federation.phase() == Federation.Phase.TRAINING && federation.round() == round) {
      federation.prepareAbort(reason, fatal, System.currentTimeMillis()).ifPresent(this::persistClose);
    }
  }
}
