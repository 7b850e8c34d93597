package org.hedgerow.coordinator.ui;

import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.hedgerow.coordinator.http.RejectedException;
import org.hedgerow.coordinator.auth.Authenticator;
import org.hedgerow.coordinator.auth.Principal;
import org.hedgerow.coordinator.auth.Role;

/**
 * When each enrolled silo last made a successful request (any route, status below 400), for the
 * dashboard's participant list. Kept in memory only: after a restart a silo is "not seen" until its
 * next request, which is what an operator watching the live federation needs to know.
 */
final class LastSeen {
  private final Authenticator auth;
  private final Clock clock;
  private final Map<String, Instant> seen = new ConcurrentHashMap<>();

  LastSeen(Authenticator auth, Clock clock) {
    this.auth = auth;
    this.clock = clock;
  }

  /** A router-wide handler: records the caller when its request ends, then passes the request on. */
  void handle(RoutingContext ctx) {
    ctx.addEndHandler(done -> {
      if (done.succeeded() && ctx.response().getStatusCode() < 400) {
        record(ctx);
      }
    });
    ctx.next();
  }

  private void record(RoutingContext ctx) {
    Principal p = ctx.get(Authenticator.PRINCIPAL);
    if (p == null) {
      // Routes that authenticate inside their handler (round polls, model downloads) leave no principal.
      try {
        p = auth.authenticate(ctx);
      } catch (RejectedException e) {
        return;
      }
    }
    if (p.role() == Role.CLIENT) {
      seen.put(p.name(), clock.instant());
    }
  }

  /** Client id → when it was last seen, sorted by id. */
  Map<String, Instant> snapshot() {
    return new TreeMap<>(seen);
  }
}
