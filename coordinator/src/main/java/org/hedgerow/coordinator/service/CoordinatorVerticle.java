package org.hedgerow.coordinator.service;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.hedgerow.aggregation.secagg.SecureSumEncoding;
import org.hedgerow.aggregation.strategy.PrivacyAccounted;
import org.hedgerow.aggregation.strategy.Strategy;
import org.hedgerow.aggregation.wire.Wire;
import org.hedgerow.coordinator.AccessControl;
import org.hedgerow.coordinator.CoordinatorOptions;
import org.hedgerow.coordinator.Federation;
import org.hedgerow.coordinator.ServiceLimits;
import org.hedgerow.coordinator.auth.AdminRoutes;
import org.hedgerow.coordinator.auth.Authenticator;
import org.hedgerow.coordinator.auth.Role;
import org.hedgerow.coordinator.auth.TlsServerOptions;
import org.hedgerow.coordinator.http.RejectedException;
import org.hedgerow.coordinator.metrics.CoordinatorMetrics;
import org.hedgerow.coordinator.metrics.HttpMetricsHandler;
import org.hedgerow.coordinator.metrics.MetricsEndpoint;
import org.hedgerow.coordinator.ops.InFlightRequests;
import org.hedgerow.coordinator.ops.OpenApiEndpoint;
import org.hedgerow.coordinator.ratelimit.RateLimitHandler;
import org.hedgerow.coordinator.ratelimit.RateLimiter;
import org.hedgerow.coordinator.secagg.SecureAggregationOptions;
import org.hedgerow.coordinator.secagg.SecureAggregationWorkflow;
import org.hedgerow.coordinator.store.CoordinatorStore;
import org.hedgerow.coordinator.store.RoundRecord;
import org.hedgerow.coordinator.store.StoredParticipant;
import org.hedgerow.coordinator.store.StoredState;
import org.hedgerow.privacy.budget.Spend;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator's HTTP API (see docs/wire-format.md): wires the route classes, the {@link
 * RoundDriver} and the limits into one router and server. Every handler runs on this verticle's
 * event loop, which is what makes {@link Federation} safe without locks. Assembled by {@link
 * org.hedgerow.coordinator.assembly.CoordinatorBuilder}.
 */
public final class CoordinatorVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(CoordinatorVerticle.class);

  private final CoordinatorOptions options;
  private final Strategy strategy;
  private final Federation federation;
  private final CoordinatorStore store;
  /** The temporary directory of a store this verticle owns (closed and deleted on stop); null: the caller's. */
  private final Path ownedStoreDir;
  /** Null: updates are sent in the clear. */
  private final SecureAggregationWorkflow secagg;
  /** Enrolment, authentication and roles when run as a service; null: open registration (development). */
  private final AccessControl access;
  private final ServiceLimits limits;
  private final Callers callers;
  private final CoordinatorMetrics metrics = new CoordinatorMetrics();
  private final List<BiConsumer<RoundRecord, float[]>> roundListeners = new CopyOnWriteArrayList<>();
  private final List<Consumer<String>> finishListeners = new CopyOnWriteArrayList<>();
  private InFlightRequests inFlight;
  private HttpServer server;
  private RoundDriver driver;
  private RoundLongPolls longPolls;

  /**
   * A coordinator keeping its state in {@code store}, resuming the federation the store holds if
   * any. Blocking (it reads the store): construct it off any event loop. Use {@link
   * org.hedgerow.coordinator.assembly.CoordinatorBuilder}, which makes every argument.
   *
   * @param secureAggregation the secure-aggregation settings, or null for updates in the clear: with
   *     them updates arrive only through the stage endpoints and the strategy receives one unmasked
   *     mean per round
   * @param ownedStoreDir the temporary directory holding {@code store} when this verticle owns it
   *     (closes it and deletes the directory when it stops), or null when the caller closes the store
   * @param access enrolment, mutual TLS and roles (service mode), or null for open registration
   * @throws IllegalArgumentException the strategy needs individual updates (e.g. central DP clips
   *     each one) but secure aggregation hides them, or client sampling is combined with a
   *     strategy or protocol that assumes every client in every round
   * @throws org.hedgerow.coordinator.store.StoreException the store belongs to another federation
   *     or cannot be read
   */
  public CoordinatorVerticle(CoordinatorOptions options, Strategy strategy, SecureAggregationOptions secureAggregation,
      CoordinatorStore store, Path ownedStoreDir, AccessControl access, ServiceLimits limits) {
    this.options = Objects.requireNonNull(options, "options");
    this.strategy = Objects.requireNonNull(strategy, "strategy");
    this.store = Objects.requireNonNull(store, "store");
    this.limits = Objects.requireNonNull(limits, "limits");
    this.ownedStoreDir = ownedStoreDir;
    this.access = access;
    if (secureAggregation != null && (strategy instanceof PrivacyAccounted || strategy.needsIndividualUpdates())) {
      throw new IllegalArgumentException("secure aggregation hides individual updates, but this strategy ("
          + strategy.getClass().getSimpleName() + ") needs each one at the coordinator (e.g. it clips or noises "
          + "each one); use local DP or a mean-based strategy instead");
    }
    if (options.clientsPerRound() > 0 && (strategy instanceof PrivacyAccounted || secureAggregation != null)) {
      throw new IllegalArgumentException("client sampling (clients per round " + options.clientsPerRound()
          + ") cannot be combined with " + (secureAggregation != null ? "secure aggregation (its roster is every "
          + "active client)" : "central DP (its accounting assumes every client in every round)"));
    }
    Federation fresh = new Federation(options, strategy);
    StoredState saved = store.open(fresh.identity(), fresh.model(), strategy.state());
    this.federation = saved == null ? fresh : Federation.resume(options, strategy, saved);
    federation.readBodiesWith(store.updateBodies()); // rounds sum bodies as they come, reading back from the store
    if (access != null) {
      federation.countEnrolledWith(access::activeEnrolments);
    }
    if (saved != null) {
      log.info("resuming from {}: {}, round {}, model version {}, {} participants, {} updates of the open round",
          store.location(), saved.phase().toLowerCase(), saved.round(), saved.modelVersion(),
          saved.participants().size(), saved.openRoundUpdates().size());
    }
    this.callers = new Callers(federation, access);
    this.secagg = secureAggregation == null ? null : new SecureAggregationWorkflow(federation, secureAggregation,
        options.spec().parameterCount(), new DriverOutcome(), callers::participant);
    if (secagg != null && saved != null) {
      for (StoredParticipant p : saved.participants()) {
        if (p.identityKey() != null) {
          secagg.enrol(p.clientId(), p.identityKey());
        }
      }
    }
  }

  /** Hands the workflow's outcomes to the round driver (made in {@link #start}, before any stage runs). */
  private final class DriverOutcome implements SecureAggregationWorkflow.Outcome {
    @Override
    public void completed(int round, SecureSumEncoding.Decoded sum, long bytesUp) {
      driver.secureRoundCompleted(sum, bytesUp);
    }

    @Override
    public void aborted(int round, String reason, boolean fatal) {
      driver.secureRoundAborted(round, reason, fatal);
    }
  }

  @Override
  public Future<?> start() {
    org.hedgerow.coordinator.store.UpdateBodies stored = store.updateBodies();
    // Bodies that could not be held are read back on worker threads, never on the event loop.
    federation.readBodiesAheadWith((round, clientId, done) -> vertx.<byte[]>executeBlocking(
        () -> stored.read(round, clientId), false).onComplete(ar -> done.accept(ar.result(), ar.cause())));
    RoundStates states = new RoundStates(federation, options, strategy, secagg);
    longPolls = new RoundLongPolls(vertx, federation, states, limits, metrics);
    driver = new RoundDriver(vertx, context, options, federation, store, metrics, secagg, longPolls, roundListeners,
        finishListeners);
    BodyLimits bodies = new BodyLimits(metrics);
    Failures failures = new Failures(metrics, limits);
    ConnectionLimits connections = new ConnectionLimits(vertx, limits, metrics);
    ClientRoutes clients = new ClientRoutes(federation, store, callers, driver, secagg);
    RoundRoutes rounds = new RoundRoutes(federation, options, callers, states, longPolls, metrics);
    UploadRoutes uploads = new UploadRoutes(federation, options, store, callers, driver, metrics, secagg != null);
    SpendRoutes spends = new SpendRoutes(federation, store, callers, driver, access);
    StatusRoutes status = new StatusRoutes(federation, options, strategy, callers, states, secagg);
    SecureAggregationRoutes stages = secagg == null ? null
        : new SecureAggregationRoutes(secagg, federation, options, bodies, limits, metrics);

    Router router = Router.router(vertx);
    HttpMetricsHandler.mount(router, metrics);
    inFlight = InFlightRequests.mount(router);
    router.route().handler(connections::handle);
    if (access != null && access.tls() && access.state().offlineCa()) { // silos register by their CA-signed certificate
      router.route().handler(new org.hedgerow.coordinator.auth.CertificateRegistration(vertx, store, access.registry(),
          access.state().caCertificate(), java.time.Clock.systemUTC())::handle);
    }
    if (access != null) { // the operator's and auditor's dashboard (/ui/) and the two facts it adds to the API
      new org.hedgerow.coordinator.ui.DashboardRoutes(vertx, access, federation::ledger).mount(router);
    }
    router.get(Wire.HEALTH).handler(status::health);
    OpenApiEndpoint.mount(router);
    String update = "/v1/rounds/:round/update";
    String decline = "/v1/rounds/:round/decline";
    String stagePath = SecureAggregationRoutes.STAGE_PATH;
    // Every route that takes a body authenticates before it is read: the handlers below run before any body
    // handler, and refusals close the connection with the body unread (see Responses.json).
    if (access != null) {
      Authenticator auth = access.authenticator();
      MetricsEndpoint.mount(router, metrics.registry(), auth.handler(Role.OPERATOR, Role.AUDITOR));
      access.watchTokens(vertx); // rotated operator/auditor tokens take effect without a restart
      if (access.enrolment().offlineCa()) { // refused before the body is read: there is no CA key here to sign with
        router.post(Wire.ENROL).handler(ctx -> ctx.fail(new RejectedException(403,
            org.hedgerow.coordinator.auth.EnrolmentService.OFFLINE_ENROLMENT)));
      }
      // Enrolment needs no credentials: rate-limited per address, then the token is looked up before the CSR is parsed.
      router.post(Wire.ENROL).handler(RateLimitHandler.byRemoteAddress(RateLimiter.of("enrolment",
          limits.enrolPerSecond(), limits.enrolBurst(), 100_000), metrics::rateLimited));
      new AdminRoutes(vertx, access.enrolment(), auth, limits.maxJsonBodyBytes(), metrics::bodyRead).mount(router);
      router.put(update).handler(auth.handler(Role.CLIENT)).handler(RateLimitHandler.create(access.uploads(),
          ctx -> Authenticator.principal(ctx).name(), metrics::rateLimited));
      router.get(Wire.LEDGER).handler(auth.handler(Role.OPERATOR, Role.AUDITOR)).handler(spends::ledger);
      for (String path : new String[] {Wire.SPENDS, Wire.CLIENTS, decline, stagePath}) {
        router.post(path).handler(auth.handler(Role.CLIENT));
      }
    } else {
      MetricsEndpoint.mount(router, metrics.registry(), MetricsEndpoint.open());
      // Open registration: the bearer token, before any of the body is read (joining itself needs none).
      for (String path : new String[] {Wire.SPENDS, decline, stagePath}) {
        router.post(path).handler(ctx -> {
          callers.participant(ctx);
          ctx.next();
        });
      }
    }
    // Signed spends: a small body of their own limit (before the router-wide one).
    router.post(Wire.SPENDS).handler(bodies.limit(SpendRoutes.MAX_SPENDS_BODY_BYTES));
    router.post(Wire.SPENDS).handler(spends::postSpends);
    // Updates skip the router-wide BodyHandler: one upload in flight per client, then read once into an array
    // of exactly the update's size.
    router.put(update).handler(uploads::oneUploadPerClient).handler(uploads.bodyReader());
    if (stages != null) {
      stages.mountBodyLimits(router);
    }
    router.route().handler(bodies.limit(limits.maxJsonBodyBytes()));
    router.post(Wire.CLIENTS).handler(clients::register);
    router.get(Wire.ROUND).handler(rounds::round);
    router.get(Wire.MODEL).handler(rounds::modelInfo);
    router.get(Wire.MODEL_PARAMETERS).handler(rounds::modelParameters);
    router.post(decline).handler(clients::decline);
    if (stages != null) {
      stages.mount(vertx, router);
    }
    router.get(Wire.STATUS).handler(status::status);
    // The upload path's PUT routes sit before the router-wide body handler, which then matches every other
    // method on this path; name the method instead of answering "not found". The same for the POST-only routes.
    for (String path : new String[] {update, Wire.ENROL, Wire.SPENDS, Wire.ADMIN_ENROLMENT_TOKENS}) {
      router.route(path).handler(ctx -> ctx.fail(new RejectedException(405, Failures.notAllowed(ctx))));
    }
    router.route().failureHandler(failures::handle);
    // Without these, Vert.x answers unmatched paths and methods with an HTML page.
    router.errorHandler(404, ctx -> Responses.error(ctx, 404, Failures.notFound(ctx)));
    router.errorHandler(405, ctx -> Responses.error(ctx, 405, Failures.notAllowed(ctx)));
    HttpServerOptions serverOptions = access != null && access.tls()
        ? TlsServerOptions.https(access.state())
            // All silos of a round connect at once and their handshakes queue on this one event loop: with
            // Vert.x's 10 s default the tail of 1000 concurrent mutual-TLS handshakes timed out (bin/loadbench).
            .setSslHandshakeTimeout(60).setSslHandshakeTimeoutUnit(TimeUnit.SECONDS)
        : new HttpServerOptions();
    // Idle connections (nothing read or written) are closed; longer than a long poll so waiting clients stay.
    serverOptions.setIdleTimeout((int) limits.idleTimeoutSeconds()).setIdleTimeoutUnit(TimeUnit.SECONDS);
    return vertx.createHttpServer(serverOptions)
        .invalidRequestHandler(req -> Failures.invalidRequest(req, serverOptions))
        .connectionHandler(connections::connected)
        .requestHandler(router)
        .listen(options.port(), options.host())
        .onSuccess(s -> {
          server = s;
          log.info("coordinator listening on {}://{}:{} ({} rounds, {} clients expected, store {})",
              access != null && access.tls() ? "https" : "http", options.host(),
              s.actualPort(), options.targetRounds(), federation.expectedClients(), store.location());
          driver.resume();
        });
  }

  @Override
  public Future<?> stop() {
    if (driver != null) {
      driver.cancelDeadline();
    }
    if (ownedStoreDir == null) {
      return Future.succeededFuture();
    }
    return vertx.executeBlocking(() -> {
      store.close();
      try (var files = Files.walk(ownedStoreDir)) {
        files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
      return null;
    });
  }

  /**
   * Answers the pending long polls, stops accepting connections and waits up to {@code timeout} for
   * open ones to finish. Callable from any thread (the SIGTERM hook calls it from its own).
   */
  public Future<Void> shutdown(long timeout, TimeUnit unit) {
    if (server == null) {
      return Future.succeededFuture();
    }
    // The waiters and the federation belong to the event loop: touching them from the hook's thread
    // raced with requests still being handled there.
    Promise<Void> answered = Promise.promise();
    context.runOnContext(x -> {
      longPolls.answer(true);
      answered.complete();
    });
    return answered.future().compose(x -> server.shutdown(timeout, unit));
  }

  /** The store this coordinator writes to. */
  public CoordinatorStore store() {
    return store;
  }

  /** The secure-aggregation workflow, or null when updates are sent in the clear. */
  public SecureAggregationWorkflow secureAggregation() {
    return secagg;
  }

  /** Called on the event loop after each round closes, with the new global model (do not modify it). */
  public void onRoundClosed(BiConsumer<RoundRecord, float[]> listener) {
    roundListeners.add(listener);
  }

  /** Called on the event loop once, when the federation finishes (with the reason). */
  public void onFinished(Consumer<String> listener) {
    finishListeners.add(listener);
  }

  /**
   * The privacy spends the coordinator recorded, in order. Read it from another thread only after
   * the federation finished (the event loop no longer changes it then).
   */
  public List<Spend> spends() {
    return federation.spends();
  }

  /** Clients that declined a round, by id (read after the federation finished). */
  public Map<String, Federation.Declined> declined() {
    return federation.declined();
  }

  /** Requests in flight, for graceful shutdown. */
  public InFlightRequests inFlight() {
    return inFlight;
  }

  /** The coordinator's Prometheus metrics. */
  public CoordinatorMetrics metrics() {
    return metrics;
  }

  /** The bound port (useful with port 0). */
  public int port() {
    return server.actualPort();
  }
}
