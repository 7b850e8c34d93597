package org.hedgerow.coordinator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.hedgerow.coordinator.auth.Authenticator;
import org.hedgerow.coordinator.auth.ClientRegistry;
import org.hedgerow.coordinator.auth.EnrolmentService;
import org.hedgerow.coordinator.auth.StateDirectory;
import org.hedgerow.coordinator.ledger.LedgerKey;
import org.hedgerow.coordinator.ratelimit.RateLimiter;
import org.hedgerow.coordinator.store.CoordinatorStore;
import org.hedgerow.privacy.crypto.Ed25519KeyPair;

/**
 * What a coordinator run as a service needs to let in only enrolled silos: the state directory (CA,
 * server certificate, operator and auditor tokens), the enrolled clients, enrolment, the ledger key
 * and the per-client upload rate limit. Without one (in-process demos and simulations) the verticle
 * keeps its open registration on loopback.
 *
 * @param tls serve HTTPS and let silos in by client certificate only; false: plain HTTP with
 *     bearer tokens (benchmarks, trusted networks)
 */
public record AccessControl(StateDirectory state, ClientRegistry registry, Authenticator authenticator,
    EnrolmentService enrolment, Ed25519KeyPair ledgerKey, RateLimiter uploads, boolean tls) {
  /** Uploads per second each client may make, and the burst: far above what a round needs. */
  public static final double UPLOADS_PER_SECOND = 5;
  public static final double UPLOAD_BURST = 20;

  /**
   * Loads the state directory {@code dir} (made by {@code hedgerow coordinator init}) and the clients
   * enrolled in {@code store}. Blocking.
   */
  public static AccessControl load(Path dir, CoordinatorStore store, boolean tls) {
    StateDirectory state = StateDirectory.load(dir);
    if (store.location().kind() == org.hedgerow.coordinator.store.StoreLocation.Kind.SQLITE) {
      org.hedgerow.coordinator.auth.SecretFiles.requireOwnerOnly(store.location().sqliteFile(),
          "the coordinator's database: token hashes, the ledger, updates");
    }
    ClientRegistry registry = ClientRegistry.load(store);
    Authenticator auth = tls ? Authenticator.forTls(state, registry)
        : new Authenticator(registry, state.operatorTokenHash(), state.auditorTokenHash(), true);
    EnrolmentService enrolment = tls && state.offlineCa() ? EnrolmentService.withOfflineCa(store, registry)
        : new EnrolmentService(store, registry, tls ? state.ca() : null);
    Ed25519KeyPair ledgerKey;
    try {
      ledgerKey = LedgerKey.loadOrCreate(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create the ledger key in " + dir, e);
    }
    return new AccessControl(state, registry, auth, enrolment, ledgerKey,
        RateLimiter.of("uploads", UPLOADS_PER_SECOND, UPLOAD_BURST, 100_000), tls);
  }

  /** How often a running coordinator re-reads the operator and auditor token files (rotation without restart). */
  public static final long TOKEN_RELOAD_MILLIS = 1000;

  /** Re-reads the token files every {@link #TOKEN_RELOAD_MILLIS} on a worker thread; call from the verticle's start. */
  public void watchTokens(io.vertx.core.Vertx vertx) {
    vertx.setPeriodic(TOKEN_RELOAD_MILLIS, id -> vertx.executeBlocking(() -> authenticator.reloadTokens(state.dir()), false)
        .onSuccess(changed -> {
          if (!changed.isEmpty()) {
            org.slf4j.LoggerFactory.getLogger(AccessControl.class).atInfo().addKeyValue("event", "tokens_rotated")
                .addKeyValue("roles", String.join(",", changed)).log("new {} token(s) in force", changed);
          }
        }));
  }

  /** Enrolled clients not revoked: whom a federation started without a client count waits for. */
  public int activeEnrolments() {
    return (int) registry.all().stream().filter(c -> !c.revoked()).count();
  }
}
