package org.hedgerow.coordinator.ops;

import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.hedgerow.aggregation.wire.ErrorBody;
import org.hedgerow.aggregation.wire.WireJson;

/**
 * Counts the requests a router is working on and, once {@link #drain()} is called, refuses new ones
 * with {@code 503} and {@code Connection: close} (so keep-alive connections do not bring in more work
 * while the server shuts down). {@link GracefulShutdown} waits on it.
 */
public final class InFlightRequests implements Handler<RoutingContext> {
  /** Route order: just after the metrics timer, before every endpoint. */
  public static final int ORDER = -999_999;
  private final AtomicBoolean draining = new AtomicBoolean();
  private final Object lock = new Object();
  private int inFlight;

  private InFlightRequests() {}

  /** Adds the counter as the router's first route (just after any metrics timer). */
  public static InFlightRequests mount(Router router) {
    InFlightRequests h = new InFlightRequests();
    router.route().order(ORDER).handler(h);
    return h;
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (draining.get()) {
      ctx.response().setStatusCode(503).putHeader("Connection", "close").putHeader("Retry-After", "5")
          .putHeader("Content-Type", "application/json")
          .end(WireJson.encode(new ErrorBody("the coordinator is shutting down; retry against its restart")));
      return;
    }
    synchronized (lock) {
      inFlight++;
    }
    ctx.addEndHandler(ar -> {
      synchronized (lock) {
        inFlight--;
        lock.notifyAll();
      }
    });
    ctx.next();
  }

  /** From now on, refuse new requests. */
  public void drain() {
    draining.set(true);
  }

  public boolean draining() {
    return draining.get();
  }

  public int count() {
    synchronized (lock) {
      return inFlight;
    }
  }

  /** Blocks (never call it on an event loop) until no request is in flight or the timeout passes; true if none is left. */
  public boolean awaitIdle(long timeout, TimeUnit unit) throws InterruptedException {
    long deadline = System.nanoTime() + unit.toNanos(timeout);
    synchronized (lock) {
      while (inFlight > 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(lock, left);
      }
      return true;
    }
  }
}
