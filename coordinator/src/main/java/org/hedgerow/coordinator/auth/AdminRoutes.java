package org.hedgerow.coordinator.auth;

import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.hedgerow.aggregation.wire.EnrolledClientsAnswer;
import org.hedgerow.aggregation.wire.EnrolmentAnswer;
import org.hedgerow.aggregation.wire.EnrolmentRequest;
import org.hedgerow.aggregation.wire.EnrolmentTokenAnswer;
import org.hedgerow.aggregation.wire.EnrolmentTokenRequest;
import org.hedgerow.aggregation.wire.RevokeAnswer;
import org.hedgerow.aggregation.wire.Wire;
import org.hedgerow.aggregation.wire.WireJson;
import org.hedgerow.coordinator.http.RejectedException;

/**
 * The enrolment and admin API, mounted on the coordinator's router:
 * <ul>
 *   <li>{@code POST /v1/admin/enrolment-tokens} (operator) {@code {"client_id"[, "ttl_seconds"]}} →
 *       201 {@code {"client_id", "token", "expires_at"}}</li>
 *   <li>{@code POST /v1/enrol} (no credentials) {@code {"token", "csr"}} → 201
 *       {@code {"client_id", "certificate", "ca"}}, or {@code {"client_id", "token"}} without TLS</li>
 *   <li>{@code POST /v1/admin/clients/{id}/revoke} (operator) → 200 {@code {"client_id", "revoked_at", "changed"}}</li>
 *   <li>{@code GET /v1/admin/clients} (operator or auditor) → 200 {@code {"clients": [...]}} (no secrets)</li>
 * </ul>
 * Store calls run on worker threads. Refusals fail the routing context with a
 * {@link RejectedException}; the router's failure handler turns them into {@code {"error": …}}.
 */
public final class AdminRoutes {
  /** Largest request body these routes accept (a CSR is well under 1 KiB). */
  public static final int MAX_BODY_BYTES = 16 * 1024;

  private final Vertx vertx;
  private final EnrolmentService enrolment;
  private final Authenticator auth;
  private final int maxBodyBytes;
  private final java.util.function.Consumer<String> onBodyRead;

  public AdminRoutes(Vertx vertx, EnrolmentService enrolment, Authenticator auth) {
    this(vertx, enrolment, auth, MAX_BODY_BYTES, route -> {});
  }

  /**
   * @param maxBodyBytes largest request body, at most {@link #MAX_BODY_BYTES}
   * @param onBodyRead called with the route when a body starts being read (a metric)
   */
  public AdminRoutes(Vertx vertx, EnrolmentService enrolment, Authenticator auth, int maxBodyBytes,
      java.util.function.Consumer<String> onBodyRead) {
    this.vertx = vertx;
    this.enrolment = enrolment;
    this.auth = auth;
    this.maxBodyBytes = Math.min(maxBodyBytes, MAX_BODY_BYTES);
    this.onBodyRead = onBodyRead;
  }

  /** Adds the routes to {@code router} (which should have a failure handler for {@link RejectedException}). */
  public void mount(Router router) {
    // Credentials are checked on a route of their own, before the body is read (vertx-web wants a route's
    // BodyHandler first), so an unauthenticated caller cannot make us buffer a body.
    BodyHandler handler = BodyHandler.create(false).setBodyLimit(maxBodyBytes);
    io.vertx.core.Handler<RoutingContext> body = ctx -> {
      ctx.put("hedgerow.body.limit", (long) maxBodyBytes);
      if (ctx.get("hedgerow.body.counted") == null) {
        ctx.put("hedgerow.body.counted", true);
        onBodyRead.accept(ctx.currentRoute().getPath());
      }
      handler.handle(ctx);
    };
    router.post(Wire.ADMIN_ENROLMENT_TOKENS).handler(auth.handler(Role.OPERATOR));
    router.post(Wire.ADMIN_ENROLMENT_TOKENS).handler(body).handler(this::issueToken);
    router.post(Wire.ENROL).handler(body).handler(this::enrol);
    router.post(Wire.ADMIN_CLIENTS + "/:id/revoke").handler(auth.handler(Role.OPERATOR)).handler(this::revoke);
    router.get(Wire.ADMIN_CLIENTS).handler(auth.handler(Role.OPERATOR, Role.AUDITOR)).handler(this::list);
  }

  private void issueToken(RoutingContext ctx) {
    EnrolmentTokenRequest in = body(ctx, EnrolmentTokenRequest.class, "enrolment token request");
    String clientId = required(in.clientId(), "client_id");
    Duration ttl = in.ttlSeconds() == null ? null : Duration.ofSeconds(in.ttlSeconds());
    blocking(ctx, 201, () -> enrolment.issueToken(clientId, ttl),
        r -> new EnrolmentTokenAnswer(r.clientId(), r.token(), r.expiresAt().toString()));
  }

  private void enrol(RoutingContext ctx) {
    EnrolmentRequest in = body(ctx, EnrolmentRequest.class, "enrolment request");
    String token = required(in.token(), "token");
    String csr = enrolment.tls() ? required(in.csr(), "csr") : in.csr();
    // Optional: the silo's Ed25519 identity key and its proof of possession, certified in its certificate.
    byte[] identityKey = base64(in.identityKey(), "identity_key");
    byte[] identityProof = base64(in.identityProof(), "identity_proof");
    blocking(ctx, 201, () -> enrolment.enrol(token, csr, identityKey, identityProof), e -> e.certificatePem() != null
        ? EnrolmentAnswer.certified(e.clientId(), e.certificatePem(), e.caPem())
        : EnrolmentAnswer.bearer(e.clientId(), e.bearerToken()));
  }

  private static byte[] base64(String v, String field) {
    if (v == null) {
      return null;
    }
    try {
      return java.util.Base64.getDecoder().decode(v);
    } catch (IllegalArgumentException e) {
      throw new org.hedgerow.coordinator.http.RejectedException(400, field + " is not valid base64: " + e.getMessage());
    }
  }

  private void revoke(RoutingContext ctx) {
    String id = EnrolmentService.checkClientId(ctx.pathParam("id"));
    blocking(ctx, 200, () -> enrolment.revoke(id),
        r -> new RevokeAnswer(r.client().clientId(), r.client().revokedAt().toString(), r.changed()));
  }

  private void list(RoutingContext ctx) {
    blocking(ctx, 200, enrolment::clients, clients -> {
      List<EnrolledClientsAnswer.Entry> entries = new ArrayList<>();
      for (EnrolledClient c : clients) {
        entries.add(new EnrolledClientsAnswer.Entry(c.clientId(), c.certificateFingerprint(),
            c.enrolledAt().toString(), c.revokedAt() == null ? null : c.revokedAt().toString()));
      }
      return new EnrolledClientsAnswer(entries);
    });
  }

  /** Runs {@code work} off the event loop and answers with its result as a wire record. */
  private <T> void blocking(RoutingContext ctx, int status, Callable<T> work, Function<T, Object> answer) {
    vertx.executeBlocking(work, false).onComplete(r -> {
      if (r.failed()) {
        ctx.fail(r.cause());
        return;
      }
      ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
          .end(WireJson.encode(answer.apply(r.result())));
    });
  }

  /** The body as the wire record {@code type}; a refusal names the field that was wrong. */
  private static <T> T body(RoutingContext ctx, Class<T> type, String what) {
    if (ctx.body() == null || ctx.body().buffer() == null || ctx.body().length() == 0) {
      throw new RejectedException(400, "expected a JSON object body");
    }
    if (ctx.body().length() > MAX_BODY_BYTES) { // a router-wide BodyHandler with a larger limit may have run first
      throw new RejectedException(413, "request body of " + ctx.body().length() + " bytes is larger than the limit of "
          + MAX_BODY_BYTES + " bytes for " + ctx.request().path());
    }
    try {
      return WireJson.decode(ctx.body().asString(), type);
    } catch (IllegalArgumentException e) {
      throw new RejectedException(400, what + ": " + e.getMessage());
    }
  }

  private static String required(String v, String field) {
    if (v == null) {
      throw new RejectedException(400, "missing '" + field + "'");
    }
    return v;
  }
}
