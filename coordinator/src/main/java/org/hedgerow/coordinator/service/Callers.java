package org.hedgerow.coordinator.service;

import io.vertx.ext.web.RoutingContext;
import org.hedgerow.aggregation.wire.Wire;
import org.hedgerow.coordinator.AccessControl;
import org.hedgerow.coordinator.Federation;
import org.hedgerow.coordinator.auth.Authenticator;
import org.hedgerow.coordinator.auth.Principal;
import org.hedgerow.coordinator.auth.Role;
import org.hedgerow.coordinator.http.RejectedException;

/**
 * Who is calling: in service mode the authenticated principal (client certificate, or bearer token
 * with TLS off); in development mode the holder of an open-registration bearer token.
 */
final class Callers {
  private final Federation federation;
  /** Null: open registration (development mode). */
  private final AccessControl access;

  Callers(Federation federation, AccessControl access) {
    this.federation = federation;
    this.access = access;
  }

  boolean serviceMode() {
    return access != null;
  }

  /**
   * The participant making this request: in service mode the authenticated client, which must have
   * joined; otherwise the holder of the open-registration bearer token. Refusals are 401 (who are
   * you?) or 403 (not allowed / not joined).
   */
  Federation.Client participant(RoutingContext ctx) {
    if (access == null) {
      return federation.tokens().authenticate(ctx.request().getHeader("Authorization"));
    }
    // The upload route's handler already authenticated (before the body was read): don't do it twice.
    Principal known = ctx.get(Authenticator.PRINCIPAL);
    Principal p = Authenticator.require(known != null ? known : access.authenticator().authenticate(ctx), Role.CLIENT);
    return federation.participant(p.name()).orElseThrow(() -> new RejectedException(403, "client '" + p.name()
        + "' has not joined this federation: POST " + Wire.CLIENTS + " first"));
  }

  /** The authenticated caller of a read, or null (reads need no credentials; a bad token just identifies no one). */
  Federation.Client reader(RoutingContext ctx) {
    if (access != null) {
      // Service mode: reads need credentials of any role; a client sees whether it is selected.
      Principal p = access.authenticator().authenticate(ctx);
      return p.role() == Role.CLIENT ? federation.participant(p.name()).orElse(null) : null;
    }
    String auth = ctx.request().getHeader("Authorization");
    if (auth == null) {
      return null;
    }
    try {
      return federation.tokens().authenticate(auth);
    } catch (RejectedException e) {
      return null;
    }
  }

  /** In service mode, refuses callers without one of {@code roles}; in development mode anyone may. */
  void requireRole(RoutingContext ctx, Role... roles) {
    if (access != null) {
      Authenticator.require(access.authenticator().authenticate(ctx), roles);
    }
  }

  /** The enrolled client an authenticated service-mode request comes from (client role required). */
  Principal enrolledClient(RoutingContext ctx) {
    return Authenticator.require(access.authenticator().authenticate(ctx), Role.CLIENT);
  }
}
