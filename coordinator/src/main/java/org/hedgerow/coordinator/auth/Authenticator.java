package org.hedgerow.coordinator.auth;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.security.cert.Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.hedgerow.coordinator.http.RejectedException;

/**
 * Who is calling: a silo by its client certificate (mutual TLS), the operator or auditor by their
 * bearer token, or (only when the coordinator runs without TLS) a silo by the bearer token it got at
 * enrolment. Works from the in-memory {@link ClientRegistry}, so revocation is checked on every
 * request without a database hit.
 *
 * <p>Refusals are {@link RejectedException}s: 401 when the caller is unknown, revoked or sent no
 * credentials; 403 when it is known but lacks the role.
 */
public final class Authenticator {
  /** Where {@link #handler} leaves the {@link Principal} in the routing context. */
  public static final String PRINCIPAL = "hedgerow.principal";

  private final ClientRegistry clients;
  // Volatile: replaced when the operator rotates the tokens (reloadTokens), read on every request.
  private volatile String operatorTokenHash;
  private volatile String auditorTokenHash;
  private final boolean clientBearerTokens;

  /**
   * @param clients the enrolled clients
   * @param operatorTokenHash {@link Tokens#hash} of the operator's token
   * @param auditorTokenHash {@link Tokens#hash} of the auditor's token
   * @param clientBearerTokens accept silos' bearer tokens (TLS-off mode); with TLS, silos must present
   *     their certificate
   */
  public Authenticator(ClientRegistry clients, String operatorTokenHash, String auditorTokenHash,
      boolean clientBearerTokens) {
    this.clients = clients;
    this.operatorTokenHash = operatorTokenHash;
    this.auditorTokenHash = auditorTokenHash;
    this.clientBearerTokens = clientBearerTokens;
  }

  /**
   * Re-reads {@code STATE/operator.token} and {@code STATE/auditor.token} and switches to the tokens
   * they hold now (after {@code hedgerow coordinator rotate-tokens}); the old ones stop working at
   * once. A file that cannot be read or is not owner-only keeps the token in force.
   *
   * @return the roles whose token changed (empty if none)
   */
  public java.util.List<String> reloadTokens(java.nio.file.Path stateDir) {
    java.util.List<String> changed = new java.util.ArrayList<>();
    String op = hashOf(stateDir.resolve(StateDirectory.OPERATOR_TOKEN));
    if (op != null && !op.equals(operatorTokenHash)) {
      operatorTokenHash = op;
      changed.add("operator");
    }
    String au = hashOf(stateDir.resolve(StateDirectory.AUDITOR_TOKEN));
    if (au != null && !au.equals(auditorTokenHash)) {
      auditorTokenHash = au;
      changed.add("auditor");
    }
    return changed;
  }

  private static String hashOf(java.nio.file.Path tokenFile) {
    try {
      SecretFiles.requireOwnerOnly(tokenFile, "a bearer token");
      return Tokens.hash(StateDirectory.readToken(tokenFile));
    } catch (IllegalStateException e) {
      org.slf4j.LoggerFactory.getLogger(Authenticator.class).error("not reloading {}: {}", tokenFile, e.getMessage());
      return null;
    }
  }

  /** For a coordinator serving HTTPS from {@code state}: silos authenticate by certificate only. */
  public static Authenticator forTls(StateDirectory state, ClientRegistry clients) {
    return new Authenticator(clients, state.operatorTokenHash(), state.auditorTokenHash(), false);
  }

  /** The caller of this request. */
  public Principal authenticate(RoutingContext ctx) {
    HttpServerRequest req = ctx.request();
    Certificate peer = peerCertificate(req);
    if (peer != null) {
      String fp = Fingerprints.sha256(peer);
      EnrolledClient c = clients.byFingerprint(fp)
          .orElseThrow(() -> new RejectedException(401, "unknown client certificate (SHA-256 " + fp + ")"));
      return client(c);
    }
    String header = req.getHeader(HttpHeaders.AUTHORIZATION);
    if (header == null) {
      throw new RejectedException(401, "no client certificate or bearer token");
    }
    if (header.length() < 7 || !header.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")
        || header.substring(7).isBlank()) {
      throw new RejectedException(401, "the Authorization header must be 'Bearer <token>'");
    }
    String hash = Tokens.hash(header.substring(7).strip());
    // Both comparisons always run, in constant time, so timing does not tell which token was close.
    boolean operator = Tokens.hashesEqual(hash, operatorTokenHash);
    boolean auditor = Tokens.hashesEqual(hash, auditorTokenHash);
    if (operator) {
      return new Principal(Role.OPERATOR, "operator");
    }
    if (auditor) {
      return new Principal(Role.AUDITOR, "auditor");
    }
    if (clientBearerTokens) {
      // A map look-up by hash leaks nothing useful: the hash of an unknown 256-bit token is unpredictable.
      EnrolledClient c = clients.byBearerTokenHash(hash).orElse(null);
      if (c != null) {
        return client(c);
      }
    }
    throw new RejectedException(401, "unknown bearer token");
  }

  /**
   * Refuses with 403 unless {@code p} has one of {@code allowed}.
   *
   * @return {@code p}
   */
  public static Principal require(Principal p, Role... allowed) {
    for (Role r : allowed) {
      if (p.role() == r) {
        return p;
      }
    }
    String needed = Arrays.stream(allowed).map(r -> r.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(" or "));
    throw new RejectedException(403, "this needs the " + needed + " role; the caller is "
        + (p.role() == Role.CLIENT ? "client '" + p.name() + "'" : "the " + p.name()));
  }

  /**
   * A route handler that authenticates, checks the role, leaves the principal under
   * {@link #PRINCIPAL} and passes on; refusals go to the router's failure handler.
   */
  public Handler<RoutingContext> handler(Role... allowed) {
    List<Role> roles = List.of(allowed);
    if (roles.isEmpty()) {
      throw new IllegalArgumentException("a protected route needs at least one role");
    }
    return ctx -> {
      ctx.put(PRINCIPAL, require(authenticate(ctx), allowed));
      ctx.next();
    };
  }

  /** The principal {@link #handler} authenticated for this request. */
  public static Principal principal(RoutingContext ctx) {
    Principal p = ctx.get(PRINCIPAL);
    if (p == null) {
      throw new IllegalStateException("route " + ctx.request().path() + " has no Authenticator handler before it");
    }
    return p;
  }

  private static Principal client(EnrolledClient c) {
    if (c.revoked()) {
      throw new RejectedException(401, "client '" + c.clientId() + "' is revoked");
    }
    return new Principal(Role.CLIENT, c.clientId());
  }

  /** The verified leaf certificate the peer presented, or null (plain HTTP, or none sent). */
  private static Certificate peerCertificate(HttpServerRequest req) {
    if (!req.isSSL()) {
      return null;
    }
    try {
      List<Certificate> chain = req.connection().peerCertificates();
      return chain == null || chain.isEmpty() ? null : chain.get(0);
    } catch (SSLPeerUnverifiedException e) {
      return null; // the client sent no certificate: it may still have a bearer token
    }
  }
}
