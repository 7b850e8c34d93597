package org.hedgerow.coordinator.ops;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Orderly stop on SIGTERM (a JVM shutdown hook): refuse new requests, stop listening, wait a bounded
 * time for the requests in flight, then run the close action (the store's close), logging each step.
 * Runs at most once, whether from the hook or from {@link #run()}.
 *
 * <p>{@code kill -9} skips all of this by design; the store's durability covers that case.
 */
public final class GracefulShutdown implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(GracefulShutdown.class);

  private final InFlightRequests inFlight;
  private final Supplier<Future<?>> stopListening;
  private final Duration drainTimeout;
  private final AutoCloseable close;
  private final AtomicBoolean ran = new AtomicBoolean();
  private Thread hook;

  /**
   * @param inFlight the router's request counter
   * @param stopListening closes the listening socket, e.g. {@code () -> server.close()} or
   *     {@code () -> vertx.undeploy(id)}; called after draining starts and before waiting; may be null
   * @param drainTimeout longest wait for requests in flight (long polls end at their own timeout)
   * @param close run last, e.g. the store's {@code close} then {@code vertx.close()}
   */
  public GracefulShutdown(InFlightRequests inFlight, Supplier<Future<?>> stopListening, Duration drainTimeout,
      AutoCloseable close) {
    if (inFlight == null || drainTimeout == null || drainTimeout.isNegative() || close == null) {
      throw new IllegalArgumentException("graceful shutdown needs the request counter, a drain timeout >= 0 and a close "
          + "action. Provided value: inFlight=" + inFlight + ", drainTimeout=" + drainTimeout + ", close=" + close);
    }
    this.inFlight = inFlight;
    this.stopListening = stopListening;
    this.drainTimeout = drainTimeout;
    this.close = close;
  }

  /** Registers {@link #run()} as a JVM shutdown hook (SIGTERM, SIGINT, normal exit); returns this. */
  public synchronized GracefulShutdown installHook() {
    if (hook == null) {
      hook = new Thread(this, "hedgerow-shutdown");
      Runtime.getRuntime().addShutdownHook(hook);
    }
    return this;
  }

  /** Removes the hook (after a shutdown run by hand, or in tests). */
  public synchronized void removeHook() {
    if (hook != null && Thread.currentThread() != hook) {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException alreadyShuttingDown) {
        // the JVM is exiting: the hook runs or has run
      }
      hook = null;
    }
  }

  /** The shutdown sequence; blocking, never on an event loop. Later calls do nothing. */
  @Override
  public void run() {
    if (!ran.compareAndSet(false, true)) {
      return;
    }
    long start = System.nanoTime();
    log.atInfo().addKeyValue("event", "shutdown_started").addKeyValue("in_flight", inFlight.count())
        .log("shutting down: refusing new requests");
    inFlight.drain();
    if (stopListening != null) {
      try {
        stopListening.get().toCompletionStage().toCompletableFuture().get(drainTimeout.toMillis() + 1000,
            TimeUnit.MILLISECONDS);
        log.atInfo().addKeyValue("event", "shutdown_listener_closed").log("stopped listening");
      } catch (Exception e) {
        log.atWarn().addKeyValue("event", "shutdown_listener_close_failed").setCause(e)
            .log("could not stop listening cleanly; carrying on");
      }
    }
    boolean idle;
    try {
      idle = inFlight.awaitIdle(drainTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      idle = false;
    }
    if (idle) {
      log.atInfo().addKeyValue("event", "shutdown_drained").log("no request in flight");
    } else {
      log.atWarn().addKeyValue("event", "shutdown_drain_timeout").addKeyValue("in_flight", inFlight.count())
          .addKeyValue("timeout_ms", drainTimeout.toMillis()).log("requests still in flight at the drain timeout; closing anyway");
    }
    try {
      close.close();
      log.atInfo().addKeyValue("event", "shutdown_closed")
          .addKeyValue("seconds", String.format(java.util.Locale.ROOT, "%.3f", (System.nanoTime() - start) / 1e9))
          .log("closed");
    } catch (Exception e) {
      log.atError().addKeyValue("event", "shutdown_close_failed").setCause(e).log("close action failed");
    }
  }
}
