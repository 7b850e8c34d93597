package org.hedgerow.coordinator;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import org.hedgerow.aggregation.model.ModelSpec;
import org.hedgerow.aggregation.strategy.FitConfig;
import org.hedgerow.aggregation.strategy.PrivacyAccounted;
import org.hedgerow.aggregation.strategy.Strategy;
import org.hedgerow.aggregation.wire.ParameterCodec;
import org.hedgerow.aggregation.wire.Wire;
import org.hedgerow.coordinator.auth.Authenticator;
import org.hedgerow.coordinator.auth.Principal;
import org.hedgerow.coordinator.auth.Role;
import org.hedgerow.coordinator.secagg.SecureAggregationOptions;
import org.hedgerow.coordinator.store.CoordinatorStore;
import org.hedgerow.coordinator.store.JdbcCoordinatorStore;
import org.hedgerow.coordinator.store.RoundClose;
import org.hedgerow.coordinator.store.StoreLocation;
import org.hedgerow.coordinator.store.StoredDecline;
import org.hedgerow.coordinator.store.StoredParticipant;
import org.hedgerow.coordinator.store.StoredState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator's HTTP API (see docs/wire-format.md). Every handler runs on this verticle's event
 * loop, which is what makes {@link Federation} safe without locks.
 */
public final class CoordinatorVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(CoordinatorVerticle.class);
  /** Longest a {@code GET /v1/round?after=N} waits for a change before answering anyway. */
  static final long LONG_POLL_MILLIS = 20_000;
  /** Retry-After of a long poll refused because too many are waiting. */
  static final long LONG_POLL_RETRY_SECONDS = 5;
  /**
   * Largest example count one update may claim (2^40): far above any silo, and low enough that a
   * round's sums of counts (and of loss × count) cannot overflow however many clients report it.
   */
  public static final long MAX_EXAMPLES = 1L << 40;
  /** Largest {@code POST /v1/spends} body: a silo's whole log of a long run is a few hundred bytes per spend. */
  public static final long MAX_SPENDS_BODY_BYTES = 64 * 1024;

  private final CoordinatorOptions options;
  private final Strategy strategy;
  private final Federation federation;
  private final CoordinatorStore store;
  private final Path ownedStoreDir;
  private final List<Waiter> waiters = new ArrayList<>();
  private final List<BiConsumer<RoundRecord, float[]>> roundListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final List<java.util.function.Consumer<String>> finishListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
  private HttpServer server;
  private long deadlineTimer = -1;
  private final org.hedgerow.coordinator.secagg.SecureAggregationWorkflow secagg;
  /** Enrolment, authentication and roles when run as a service; null: open registration (in-process runs). */
  private final AccessControl access;
  private final org.hedgerow.coordinator.metrics.CoordinatorMetrics metrics =
      new org.hedgerow.coordinator.metrics.CoordinatorMetrics();
  private org.hedgerow.coordinator.ops.InFlightRequests inFlight;
  private ServiceLimits limits = ServiceLimits.DEFAULTS;
  /** Open connections by remote address, and those over the per-address cap (event loop only). */
  private final java.util.Map<String, Integer> connectionsByAddress = new java.util.HashMap<>();
  private final java.util.Set<io.vertx.core.http.HttpConnection> overCap = new java.util.HashSet<>();
  /** Clients with an upload being received or stored, with its upload id ("" if none). */
  private final java.util.Map<String, String> uploadsInFlight = new java.util.HashMap<>();

  private record Waiter(int afterRound, RoutingContext ctx, long timer, Federation.Client caller) {}

  /** Plain updates, with an SQLite store in a temporary directory deleted when the verticle stops. */
  public CoordinatorVerticle(CoordinatorOptions options, Strategy strategy) {
    this(options, strategy, null, null);
  }

  /** As {@link #CoordinatorVerticle(CoordinatorOptions, Strategy, SecureAggregationOptions, CoordinatorStore)} with a temporary store. */
  public CoordinatorVerticle(CoordinatorOptions options, Strategy strategy, SecureAggregationOptions secureAggregation) {
    this(options, strategy, secureAggregation, null);
  }

  /**
   * A coordinator keeping its state in {@code store}, resuming the federation the store holds if
   * any. Blocking (it reads the store): construct it off any event loop. With secure aggregation
   * when {@code secureAggregation} is not null: updates then arrive only through the stage
   * endpoints and the strategy receives one unmasked mean per round.
   *
   * @param store where to keep the state, closed by the caller after the verticle stopped; null: an
   *     SQLite file in a temporary directory, owned (closed and deleted) by this verticle
   * @throws IllegalArgumentException the strategy needs individual updates (e.g. central DP clips
   *     each one) but secure aggregation hides them, or client sampling is combined with a
   *     strategy or protocol that assumes every client in every round
   * @throws org.hedgerow.coordinator.store.StoreException the store belongs to another federation
   *     or cannot be read
   */
  public CoordinatorVerticle(CoordinatorOptions options, Strategy strategy, SecureAggregationOptions secureAggregation,
      CoordinatorStore store) {
    this(options, strategy, secureAggregation, store, null);
  }

  /**
   * As above, run as a service when {@code access} is not null: only enrolled silos take part (by
   * client certificate under TLS), the operator and auditor use bearer tokens, and the admin,
   * ledger and metrics routes are served.
   */
  public CoordinatorVerticle(CoordinatorOptions options, Strategy strategy, SecureAggregationOptions secureAggregation,
      CoordinatorStore store, AccessControl access) {
    this.access = access;
    this.options = options;
    this.strategy = strategy;
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
    Path dir = null;
    if (store == null) {
      try {
        dir = Files.createTempDirectory("hedgerow-coordinator-");
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create a temporary directory for the coordinator's store", e);
      }
      store = JdbcCoordinatorStore.open(StoreLocation.sqlite(dir.resolve("coordinator.db")));
    }
    this.store = store;
    this.ownedStoreDir = dir;
    Federation fresh = new Federation(options, strategy);
    StoredState saved;
    try {
      saved = store.open(fresh.identity(), fresh.model(), strategy.state());
    } catch (RuntimeException e) {
      if (dir != null) {
        store.close();
      }
      throw e;
    }
    this.federation = saved == null ? fresh : Federation.resume(options, strategy, saved);
    if (access != null) {
      federation.countEnrolledWith(access::activeEnrolments);
    }
    if (saved != null) {
      log.info("resuming from {}: {}, round {}, model version {}, {} participants, {} updates of the open round",
          store.location(), saved.phase().toLowerCase(), saved.round(), saved.modelVersion(),
          saved.participants().size(), saved.openRoundUpdates().size());
    }
    this.secagg = secureAggregation == null ? null : new org.hedgerow.coordinator.secagg.SecureAggregationWorkflow(
        federation, secureAggregation, options.spec().parameterCount(), new SecureOutcome(), this::clientOf);
    if (secagg != null && saved != null) {
      for (StoredParticipant p : saved.participants()) {
        if (p.identityKey() != null) {
          secagg.enrol(p.clientId(), p.identityKey());
        }
      }
    }
  }

  /** The store this coordinator writes to. */
  public CoordinatorStore store() {
    return store;
  }

  /** The secure-aggregation workflow, or null when updates are sent in the clear. */
  public org.hedgerow.coordinator.secagg.SecureAggregationWorkflow secureAggregation() {
    return secagg;
  }

  /** Applies a secure round's outcome exactly as a plain round close would. */
  private final class SecureOutcome implements org.hedgerow.coordinator.secagg.SecureAggregationWorkflow.Outcome {
    @Override
    public void completed(int round, org.hedgerow.aggregation.secagg.SecureSumEncoding.Decoded sum, long bytesUp) {
      persistClose(federation.prepareCloseWithSum(sum.weightedDeltaSum(), sum.totalWeight(), sum.summands(), bytesUp,
          System.currentTimeMillis()));
    }

    @Override
    public void aborted(int round, String reason, boolean fatal) {
      if (federation.phase() == Federation.Phase.TRAINING && federation.round() == round) {
        federation.prepareAbort(reason, fatal, System.currentTimeMillis()).ifPresent(CoordinatorVerticle.this::persistClose);
      }
    }
  }

  /** Called on the event loop after each round closes, with the new global model (do not modify it). */
  public void onRoundClosed(BiConsumer<RoundRecord, float[]> listener) {
    roundListeners.add(listener);
  }

  /** Called on the event loop once, when the federation finishes (with the reason). */
  public void onFinished(java.util.function.Consumer<String> listener) {
    finishListeners.add(listener);
  }

  /**
   * The privacy spends the coordinator recorded, in order. Read it from another thread only after
   * the federation finished (the event loop no longer changes it then).
   */
  public List<org.hedgerow.privacy.budget.Spend> spends() {
    return federation.spends();
  }

  /** Clients that declined a round, by id (read after the federation finished). */
  public java.util.Map<String, Federation.Declined> declined() {
    return federation.declined();
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    org.hedgerow.coordinator.metrics.HttpMetricsHandler.mount(router, metrics);
    inFlight = org.hedgerow.coordinator.ops.InFlightRequests.mount(router);
    router.route().handler(this::connectionLimits);
    if (access != null) { // the operator's and auditor's dashboard (/ui/) and the two facts it adds to the API
      new org.hedgerow.coordinator.ui.DashboardRoutes(vertx, access, federation::ledger).mount(router);
    }
    router.get(Wire.HEALTH).handler(ctx -> json(ctx, 200, new JsonObject().put("status", "ok")));
    org.hedgerow.coordinator.ops.OpenApiEndpoint.mount(router);
    String secAggPost = "/v1/rounds/:round/secagg/:stage";
    // Every route that takes a body authenticates before it is read: the handlers below run before any body
    // handler, and refusals close the connection with the body unread (see json()).
    if (access != null) {
      org.hedgerow.coordinator.metrics.MetricsEndpoint.mount(router, metrics.registry(),
          access.authenticator().handler(Role.OPERATOR, Role.AUDITOR));
      access.watchTokens(vertx); // rotated operator/auditor tokens take effect without a restart
      // Enrolment needs no credentials: rate-limited per address, then the token is looked up before the CSR is parsed.
      router.post(Wire.ENROL).handler(org.hedgerow.coordinator.ratelimit.RateLimitHandler.byRemoteAddress(
          org.hedgerow.coordinator.ratelimit.RateLimiter.of("enrolment", limits.enrolPerSecond(), limits.enrolBurst(),
              100_000), metrics::rateLimited));
      new org.hedgerow.coordinator.auth.AdminRoutes(vertx, access.enrolment(), access.authenticator(),
          limits.maxJsonBodyBytes(), metrics::bodyRead).mount(router);
      router.put("/v1/rounds/:round/update").handler(access.authenticator().handler(Role.CLIENT))
          .handler(org.hedgerow.coordinator.ratelimit.RateLimitHandler.create(access.uploads(),
              ctx -> Authenticator.principal(ctx).name(), metrics::rateLimited));
      router.get(Wire.LEDGER).handler(access.authenticator().handler(Role.OPERATOR, Role.AUDITOR))
          .handler(this::ledger);
      router.post(Wire.SPENDS).handler(access.authenticator().handler(Role.CLIENT));
      router.post(Wire.CLIENTS).handler(access.authenticator().handler(Role.CLIENT));
      router.post("/v1/rounds/:round/decline").handler(access.authenticator().handler(Role.CLIENT));
      router.post(secAggPost).handler(access.authenticator().handler(Role.CLIENT));
    } else {
      org.hedgerow.coordinator.metrics.MetricsEndpoint.mount(router, metrics.registry(),
          org.hedgerow.coordinator.metrics.MetricsEndpoint.open());
      // Open registration: the bearer token, before any of the body is read (joining itself needs none).
      for (String path : new String[] {Wire.SPENDS, "/v1/rounds/:round/decline", secAggPost}) {
        router.post(path).handler(ctx -> {
          clientOf(ctx);
          ctx.next();
        });
      }
    }
    // Signed spends: a small body of their own limit (before the router-wide one).
    router.post(Wire.SPENDS).handler(body(MAX_SPENDS_BODY_BYTES));
    router.post(Wire.SPENDS).handler(this::postSpends);
    // Updates skip the router-wide BodyHandler: one upload in flight per client, then read once into an array
    // of exactly the update's size.
    int updateBytes = 4 * options.spec().parameterCount();
    router.put("/v1/rounds/:round/update").handler(this::oneUploadPerClient)
        .handler(new UploadBodyReader(updateBytes, options.spec().parameterCount() + " float32 values",
            () -> metrics.bodyRead("/v1/rounds/:round/update"), this::upload));
    if (secagg != null) {
      // Stage messages are sized by the round's clients, neighbours and dimension (secAggBodyLimit).
      router.post(secAggPost).handler(ctx -> body(secAggBodyLimit(ctx.pathParam("stage"))).handle(ctx));
    }
    router.route().handler(body(limits.maxJsonBodyBytes()));
    router.post(Wire.CLIENTS).handler(this::register);
    router.get(Wire.ROUND).handler(this::round);
    router.get(Wire.MODEL).handler(this::modelInfo);
    router.get(Wire.MODEL_PARAMETERS).handler(this::modelParameters);
    router.post("/v1/rounds/:round/decline").handler(this::decline);
    if (secagg != null) {
      secagg.mount(vertx, router);
    }
    router.get(Wire.STATUS).handler(this::status);
    // The upload path's PUT routes sit before the router-wide body handler, which then matches every other
    // method on this path; name the method instead of answering "not found". The same for the POST-only routes.
    for (String path : new String[] {"/v1/rounds/:round/update", Wire.ENROL, Wire.SPENDS, Wire.ADMIN_ENROLMENT_TOKENS}) {
      router.route(path).handler(ctx -> ctx.fail(new RejectedException(405, notAllowed(ctx))));
    }
    router.route().failureHandler(this::failure);
    // Without these, Vert.x answers unmatched paths and methods with an HTML page.
    router.errorHandler(404, ctx -> json(ctx, 404, new JsonObject().put("error", notFound(ctx))));
    router.errorHandler(405, ctx -> json(ctx, 405, new JsonObject().put("error", notAllowed(ctx))));
    io.vertx.core.http.HttpServerOptions serverOptions = access != null && access.tls()
        ? org.hedgerow.coordinator.auth.TlsServerOptions.https(access.state())
            // All silos of a round connect at once and their handshakes queue on this one event loop: with
            // Vert.x's 10 s default the tail of 1000 concurrent mutual-TLS handshakes timed out (bin/loadbench).
            .setSslHandshakeTimeout(60).setSslHandshakeTimeoutUnit(java.util.concurrent.TimeUnit.SECONDS)
        : new io.vertx.core.http.HttpServerOptions();
    // Idle connections (nothing read or written) are closed; longer than a long poll so waiting clients stay.
    serverOptions.setIdleTimeout((int) limits.idleTimeoutSeconds())
        .setIdleTimeoutUnit(java.util.concurrent.TimeUnit.SECONDS);
    return vertx.createHttpServer(serverOptions)
        .invalidRequestHandler(req -> invalidRequest(req, serverOptions))
        .connectionHandler(this::connected)
        .requestHandler(router)
        .listen(options.port(), options.host())
        .onSuccess(s -> {
          server = s;
          log.info("coordinator listening on {}://{}:{} ({} rounds, {} clients expected, store {})",
              access != null && access.tls() ? "https" : "http", options.host(),
              s.actualPort(), options.targetRounds(), federation.expectedClients(), store.location());
          resume();
        });
  }

  /** Service limits in force; set before the verticle is deployed. */
  public CoordinatorVerticle limits(ServiceLimits l) {
    if (server != null) {
      throw new IllegalStateException("set the service limits before deploying the coordinator");
    }
    this.limits = java.util.Objects.requireNonNull(l);
    return this;
  }

  /** A body handler with {@code limit} that counts the bodies it reads (by route). */
  private io.vertx.core.Handler<RoutingContext> body(long limit) {
    BodyHandler h = BodyHandler.create(false).setBodyLimit(limit);
    return ctx -> {
      if (ctx.get(BODY_LIMIT) == null) {
        ctx.put(BODY_LIMIT, limit);
      }
      if (ctx.get(BODY_COUNTED) == null) {
        ctx.put(BODY_COUNTED, true);
        metrics.bodyRead(routeLabel(ctx));
      }
      h.handle(ctx);
    };
  }

  private static final String BODY_COUNTED = "hedgerow.body.counted";

  /** The route template of a request, for metric labels (the router-wide handler has none; raw paths would be unbounded). */
  private static String routeLabel(RoutingContext ctx) {
    if (ctx.currentRoute() != null && ctx.currentRoute().getPath() != null) {
      return ctx.currentRoute().getPath();
    }
    String p = ctx.request().path();
    if (p == null) {
      return "other";
    }
    if (p.equals(Wire.CLIENTS) || p.equals(Wire.SPENDS) || p.equals(Wire.ENROL)) {
      return p;
    }
    if (p.matches("/v1/rounds/[^/]+/decline")) {
      return "/v1/rounds/:round/decline";
    }
    if (p.matches("/v1/rounds/[^/]+/secagg/[^/]+")) {
      return "/v1/rounds/:round/secagg/:stage";
    }
    return "other";
  }
  private static final String BODY_LIMIT = "hedgerow.body.limit";

  /**
   * Largest body of a secure-aggregation stage, from the round's clients n (k ≤ n − 1 neighbours) and the
   * dimension d: key advertisements are fixed-size, encrypted shares and unmasking shares grow with k, the
   * masked input is 4·(d + 1) bytes.
   */
  private long secAggBodyLimit(String stage) {
    long n = Math.max(2, federation.registeredClients());
    long d = options.spec().parameterCount() + 1L;
    return switch (stage == null ? "" : stage) {
      case "advertise-keys" -> 4 * 1024;
      case "share-keys" -> 512 * n + 4 * 1024;
      case "masked-input" -> 4 * d + 4 * 1024;
      case "unmask" -> 256 * n + 4 * 1024;
      default -> 4 * 1024; // refused as an unknown stage by the workflow
    };
  }

  /** Connections per remote address; those beyond the cap are answered 503 (connectionLimits) and closed. */
  private void connected(io.vertx.core.http.HttpConnection conn) {
    String host = conn.remoteAddress() == null ? "unknown" : conn.remoteAddress().hostAddress();
    int n = connectionsByAddress.merge(host, 1, Integer::sum);
    if (n > limits.maxConnectionsPerAddress()) {
      overCap.add(conn);
    }
    conn.closeHandler(v -> {
      connectionsByAddress.computeIfPresent(host, (k, c) -> c <= 1 ? null : c - 1);
      overCap.remove(conn);
    });
  }

  /** First handler of every request: the per-address connection cap and the body-read deadline. */
  private void connectionLimits(RoutingContext ctx) {
    if (overCap.contains(ctx.request().connection())) {
      metrics.shed("connections-per-address");
      ctx.response().putHeader("Retry-After", "5");
      json(ctx, 503, new JsonObject().put("error", "too many connections from " + ctx.request().remoteAddress()
          .hostAddress() + " (limit " + limits.maxConnectionsPerAddress() + " per address); close idle ones and retry"));
      ctx.request().connection().close();
      return;
    }
    if (!ctx.request().isEnded()) {
      // A body that trickles in (slowloris) must not hold the connection and its buffer for ever; a large
      // declared body gets extra time at a slow link's rate, so a big model's update is not cut off.
      long declared = contentLength(ctx);
      long deadline = limits.bodyReadTimeoutMillis() + Math.max(0, declared) / ServiceLimits.SLOW_LINK_BYTES_PER_MILLI;
      long timer = vertx.setTimer(deadline, id -> {
        if (!ctx.request().isEnded() && !ctx.response().ended() && !ctx.response().closed()) {
          ctx.response().setStatusCode(408).putHeader("Content-Type", "application/json").putHeader("Connection", "close")
              .end(new JsonObject().put("error", "request body not received within " + deadline
                  + " ms of the headers; the connection is closed").encode())
              .onComplete(x -> ctx.request().connection().close());
        }
      });
      ctx.addEndHandler(v -> vertx.cancelTimer(timer));
    }
    ctx.next();
  }

  /** The declared Content-Length, or -1 (none or not a number). */
  private static long contentLength(RoutingContext ctx) {
    String cl = ctx.request().getHeader("Content-Length");
    try {
      return cl == null ? -1 : Long.parseLong(cl.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /**
   * One upload in flight per client: a second one while the first is still being received or stored is
   * refused before its body is read (503 for a retry of the same upload id, 409 otherwise).
   */
  private void oneUploadPerClient(RoutingContext ctx) {
    Federation.Client client = clientOf(ctx); // open registration: the bearer token, before any of the body is read
    if (secagg != null) {
      throw new RejectedException(409, "this federation uses secure aggregation: updates go through "
          + "/v1/rounds/{r}/secagg/{stage}, never in the clear");
    }
    String id = ctx.request().getHeader(Wire.HEADER_UPLOAD_ID);
    String key = id == null ? "" : id;
    String current = uploadsInFlight.get(client.id());
    if (current != null) {
      if (!key.isEmpty() && key.equals(current)) {
        throw new RejectedException(503, "upload '" + id + "' of '" + client.id() + "' is still in flight on another "
            + "request; retry");
      }
      throw new RejectedException(409, "another upload from '" + client.id() + "' is in flight; one upload at a time "
          + "per client");
    }
    uploadsInFlight.put(client.id(), key);
    ctx.addEndHandler(v -> uploadsInFlight.remove(client.id(), key));
    ctx.next();
  }

  /** Picks up where the store left off: re-arms the open round, closes it if complete, or finishes. */
  private void resume() {
    switch (federation.phase()) {
      case TRAINING -> {
        roundOpened();
        afterWrite();
      }
      case FINISHED -> finished();
      case WAITING_FOR_CLIENTS -> advance();
    }
  }

  @Override
  public Future<?> stop() {
    cancelDeadline();
    if (ownedStoreDir == null) {
      return Future.succeededFuture();
    }
    return vertx.executeBlocking(() -> {
      store.close();
      try (var files = Files.walk(ownedStoreDir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
      return null;
    });
  }

  /** A store future, completed back on this verticle's context. */
  private <T> Future<T> stored(CompletableFuture<T> f) {
    return Future.fromCompletionStage(f, context);
  }

  private static RejectedException storeFailure(String what, Throwable cause) {
    log.error("could not store {}", what, cause);
    return new RejectedException(503, "could not store " + what + " (" + cause.getMessage() + "); retry");
  }

  /** The bound port (useful with port 0). */
  public int port() {
    return server.actualPort();
  }

  private void register(RoutingContext ctx) {
    if (access != null) {
      joinAuthenticated(ctx);
      return;
    }
    JsonObject body = jsonBody(ctx);
    byte[] identityKey = identityKey(body); // before registering anyone
    Object silo = body.getValue("silo");
    Federation.PendingJoin j = federation.prepareRegister(silo instanceof String str ? str : null, identityKey,
        System.currentTimeMillis());
    stored(store.join(j.participant(), j.credential())).onComplete(ar -> {
      if (ar.failed()) {
        federation.joinFailed(j);
        ctx.fail(storeFailure("the registration of '" + j.client().id() + "'", ar.cause()));
        return;
      }
      federation.joined(j);
      if (secagg != null) {
        secagg.enrol(j.client().id(), identityKey);
      }
      log.info("registered client '{}' ({} of {})", j.client().id(), federation.registeredClients(),
          federation.expectedClients());
      JsonObject answer = new JsonObject().put("client_id", j.client().id()).put("token", j.client().token());
      // Answered once a round this join opens is durable too, so the caller finds it open.
      advance().onComplete(x -> json(ctx, 201, answer));
    });
  }

  /** Service mode: an enrolled silo, identified by its certificate (or TLS-off bearer token), joins. */
  private void joinAuthenticated(RoutingContext ctx) {
    Principal p = Authenticator.require(access.authenticator().authenticate(ctx), Role.CLIENT);
    JsonObject body = ctx.body() == null || ctx.body().buffer() == null || ctx.body().length() <= 0
        ? new JsonObject() : jsonBody(ctx);
    byte[] identityKey = identityKey(body);
    join(p.name(), identityKey).onComplete(ar -> {
      if (ar.failed()) {
        ctx.fail(ar.cause());
      } else {
        json(ctx, 201, new JsonObject().put("client_id", ar.result().id()));
      }
    });
  }

  /**
   * The Ed25519 identity key of a registration or join ({@code "identity_key"}, base64 of 32 bytes):
   * required under secure aggregation, optional otherwise (a silo that posts signed spends needs one).
   */
  private byte[] identityKey(JsonObject body) {
    if (secagg == null && body.getValue("identity_key") == null) {
      return null;
    }
    return org.hedgerow.coordinator.secagg.SecureAggregationWorkflow.parseIdentityKey(body);
  }

  /**
   * The participant making this request: in service mode the authenticated client (certificate or
   * TLS-off bearer token), which must have joined; otherwise the holder of the open-registration
   * bearer token. Refusals are 401 (who are you?) or 403 (not allowed / not joined).
   */
  public Federation.Client clientOf(RoutingContext ctx) {
    if (access == null) {
      return federation.authenticate(ctx.request().getHeader("Authorization"));
    }
    // The upload route's handler already authenticated (before the body was read): don't do it twice.
    Principal known = ctx.get(Authenticator.PRINCIPAL);
    Principal p = Authenticator.require(known != null ? known : access.authenticator().authenticate(ctx), Role.CLIENT);
    return federation.participant(p.name()).orElseThrow(() -> new RejectedException(403, "client '" + p.name()
        + "' has not joined this federation: POST " + Wire.CLIENTS + " first"));
  }

  /**
   * Lets an enrolled, authenticated client take part (for callers that authenticate by
   * certificate or enrolment: the client's credential is already in the store). Idempotent: a
   * client that already takes part is simply returned. Call on this verticle's context.
   *
   * @param identityKey its Ed25519 identity key under secure aggregation, else null
   */
  public Future<Federation.Client> join(String clientId, byte[] identityKey) {
    java.util.Optional<Federation.PendingJoin> pending;
    try {
      pending = federation.prepareJoin(clientId, identityKey, System.currentTimeMillis());
    } catch (RejectedException e) {
      return Future.failedFuture(e);
    }
    if (pending.isEmpty()) {
      return Future.succeededFuture(federation.participant(clientId).orElseThrow());
    }
    Federation.PendingJoin j = pending.get();
    return stored(store.join(j.participant(), null)).transform(ar -> {
      if (ar.failed()) {
        federation.joinFailed(j);
        return Future.failedFuture(storeFailure("the join of '" + clientId + "'", ar.cause()));
      }
      federation.joined(j);
      if (secagg != null && identityKey != null) {
        secagg.enrol(clientId, identityKey);
      }
      log.info("client '{}' joined ({} of {})", clientId, federation.registeredClients(), federation.expectedClients());
      Federation.Client c = federation.participant(clientId).orElseThrow();
      return advance().transform(x -> Future.succeededFuture(c));
    });
  }

  /**
   * Stores and applies the phase change now due (round 1 opening, or the end), if any; the future
   * completes once it is applied (or failed, and is retried later).
   */
  private Future<Void> advance() {
    java.util.Optional<org.hedgerow.coordinator.store.Transition> due =
        federation.dueTransition(System.currentTimeMillis());
    if (due.isEmpty()) {
      return Future.succeededFuture();
    }
    org.hedgerow.coordinator.store.Transition t = due.get();
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

  private void round(RoutingContext ctx) {
    Federation.Client caller = caller(ctx);
    String after = ctx.request().getParam("after");
    if (after != null) {
      int a = parseInt(after, "after");
      if (federation.phase() != Federation.Phase.FINISHED
          && (federation.phase() == Federation.Phase.WAITING_FOR_CLIENTS || federation.round() <= a)) {
        if (waiters.size() >= limits.maxLongPollWaiters()) {
          metrics.shed("long-polls");
          ctx.response().putHeader("Retry-After", Long.toString(LONG_POLL_RETRY_SECONDS));
          throw new RejectedException(503, "too many long polls waiting (limit " + limits.maxLongPollWaiters()
              + "); retry after " + LONG_POLL_RETRY_SECONDS + " s");
        }
        long timer = vertx.setTimer(LONG_POLL_MILLIS, id -> answerWaiters(true));
        waiters.add(new Waiter(a, ctx, timer, caller));
        metrics.longPollOpened();
        return;
      }
    }
    json(ctx, 200, roundJson(caller));
  }

  /** The authenticated caller of a read, or null (reads need no credentials; a bad token just identifies no one). */
  private Federation.Client caller(RoutingContext ctx) {
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
      return federation.authenticate(auth);
    } catch (RejectedException e) {
      return null;
    }
  }

  private JsonObject roundJson() {
    return roundJson(null);
  }

  /** The round state; with a caller, whether it is asked for an update this round ({@code selected}). */
  private JsonObject roundJson(Federation.Client caller) {
    JsonObject o = new JsonObject()
        .put("state", federation.phase().name().toLowerCase())
        .put("round", federation.round())
        .put("target_rounds", options.targetRounds())
        .put("model_version", federation.modelVersion())
        .put("registered_clients", federation.registeredClients())
        .put("active_clients", federation.activeClients())
        .put("expected_clients", federation.expectedClients())
        .put("privacy", options.privacy());
    if (federation.phase() == Federation.Phase.TRAINING) {
      FitConfig f = strategy.configureFit(federation.round());
      o.put("config", new JsonObject().put("local_epochs", f.localEpochs()).put("batch_size", f.batchSize())
          .put("seed", f.seed()));
      if (secagg != null) {
        o.getJsonObject("config").put("secure_aggregation", secagg.describe(federation.round()));
      }
      o.put("selected_clients", federation.selectedClients());
      if (caller != null) {
        o.put("selected", federation.isSelected(caller.id()));
      }
    }
    return o;
  }

  private void modelInfo(RoutingContext ctx) {
    caller(ctx);
    ModelSpec s = options.spec();
    json(ctx, 200, new JsonObject()
        .put("version", federation.modelVersion())
        .put("spec_hash", s.hash())
        .put("parameter_count", s.parameterCount())
        .put("privacy", options.privacy())
        .put("spec", new JsonObject()
            .put("feature_schema", s.featureSchema())
            .put("layer_sizes", new JsonArray(new ArrayList<>(s.layerSizes())))
            .put("hidden_activation", s.hiddenActivation())
            .put("output_activation", s.outputActivation())
            .put("dropout", s.dropout())
            .put("loss", s.loss())
            .put("learning_rate", s.learningRate())));
  }

  private void modelParameters(RoutingContext ctx) {
    caller(ctx);
    byte[] bytes = ParameterCodec.encode(federation.model());
    federation.servedBytes(bytes.length);
    metrics.modelServed(bytes.length);
    ctx.response()
        .putHeader("Content-Type", Wire.OCTET_STREAM)
        .putHeader(Wire.HEADER_MODEL_VERSION, Integer.toString(federation.modelVersion()))
        .putHeader(Wire.HEADER_SPEC_HASH, options.spec().hash())
        .end(Buffer.buffer(bytes));
  }

  private void upload(RoutingContext ctx, byte[] body) {
    Federation.Client client = clientOf(ctx);
    int round = parseInt(ctx.pathParam("round"), "round");
    int version = parseInt(requiredHeader(ctx, Wire.HEADER_MODEL_VERSION), Wire.HEADER_MODEL_VERSION);
    long examples = parseLong(requiredHeader(ctx, Wire.HEADER_EXAMPLES), Wire.HEADER_EXAMPLES);
    if (examples > MAX_EXAMPLES) {
      throw new RejectedException(400, Wire.HEADER_EXAMPLES + " must be at most " + MAX_EXAMPLES + " (2^40). Provided value: "
          + examples);
    }
    String hash = requiredHeader(ctx, Wire.HEADER_SPEC_HASH);
    String ts = ctx.request().getHeader(Wire.HEADER_TRAIN_SECONDS);
    double trainSeconds = ts == null ? 0 : parseDouble(ts, Wire.HEADER_TRAIN_SECONDS);
    String tl = ctx.request().getHeader(Wire.HEADER_TRAIN_LOSS);
    double trainLoss = tl == null ? Double.NaN : parseDouble(tl, Wire.HEADER_TRAIN_LOSS);
    String counterHeader = ctx.request().getHeader(Wire.HEADER_DP_SPEND_COUNTER);
    Long spendCounter = counterHeader == null ? null : parseLong(counterHeader, Wire.HEADER_DP_SPEND_COUNTER);
    String uploadId = ctx.request().getHeader(Wire.HEADER_UPLOAD_ID);
    if (uploadId != null && !uploadId.matches("[A-Za-z0-9._-]{1,128}")) {
      throw new RejectedException(400, Wire.HEADER_UPLOAD_ID + " must be 1-128 characters of letters, digits, '.', "
          + "'_' or '-'. Provided value: " + uploadId);
    }
    federation.requireRoundSpend(client, round, spendCounter);
    Federation.Admission a = federation.admit(client, round, version, hash, examples, body, trainSeconds, trainLoss,
        uploadId, uploadId == null ? null : uploadHash(ctx, body), System.currentTimeMillis());
    if (a.alreadyAccepted()) {
      json(ctx, 202, uploadAnswer(a.round()).put("duplicate", true));
      return;
    }
    Federation.PendingUpdate p = a.pending();
    stored(store.saveUpdate(p.stored())).onComplete(ar -> {
      if (ar.succeeded() && ar.result()) {
        federation.accepted(p);
        metrics.updateAccepted(body.length);
        JsonObject answer = uploadAnswer(round);
        // The update that completes a round is answered once the next model is durable and served.
        afterWrite().onComplete(x -> json(ctx, 202, answer));
      } else {
        federation.uploadFailed(p);
        ctx.fail(ar.succeeded() ? new RejectedException(409, "round " + round + " closed before the update of '"
            + client.id() + "' was stored; it was not counted") : storeFailure("the update of '" + client.id() + "'",
            ar.cause()));
        afterWrite();
      }
    });
  }

  /** Headers an upload's meaning depends on; with the round and the body they make the hash its upload id is bound to. */
  private static final String[] HASHED_HEADERS = {Wire.HEADER_MODEL_VERSION, Wire.HEADER_SPEC_HASH, Wire.HEADER_EXAMPLES,
      Wire.HEADER_TRAIN_SECONDS, Wire.HEADER_TRAIN_LOSS, Wire.HEADER_DP_SPEND_COUNTER};

  /** SHA-256 (hex) of the round, the hashed headers (raw, as sent: a retry resends them as they were) and the body. */
  static String uploadHash(RoutingContext ctx, byte[] body) {
    try {
      java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
      StringBuilder head = new StringBuilder("hedgerow/upload/v1\n").append(ctx.pathParam("round")).append('\n');
      for (String h : HASHED_HEADERS) {
        String v = ctx.request().getHeader(h);
        head.append(h).append(v == null ? "\u0000" : ": " + v).append('\n');
      }
      md.update(head.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
      md.update(body);
      return java.util.HexFormat.of().formatHex(md.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  private JsonObject uploadAnswer(int round) {
    return new JsonObject().put("accepted", true).put("round", round)
        .put("updates", federation.round() == round ? federation.updatesThisRound() : null)
        .put("expected", federation.round() == round ? federation.expectedUpdates() : null);
  }

  /**
   * After a write settled: closes the round if it is complete, or if its deadline passed and nothing
   * is in flight. The future completes when any close this started is durable and applied.
   */
  private Future<Void> afterWrite() {
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

  /**
   * {@code POST /v1/spends}: a silo's signed spends, checked against its recorded log and stored
   * before the answer {@code {"recorded": n, "next_counter": k}}. Spends already recorded with the same
   * bytes are skipped (a retry is safe); any refusal records nothing.
   */
  private void postSpends(RoutingContext ctx) {
    Federation.Client client = clientOf(ctx);
    if (ctx.body() == null || ctx.body().length() <= 0) {
      throw new RejectedException(400, "expected a JSON body {\"spends\": [...]}");
    }
    if (ctx.body().length() > MAX_SPENDS_BODY_BYTES) { // a router-wide body handler with a larger limit ran first
      throw new RejectedException(413, "request body of " + ctx.body().length() + " bytes is larger than the limit of "
          + MAX_SPENDS_BODY_BYTES + " bytes; post fewer spends at a time");
    }
    java.util.List<org.hedgerow.privacy.budget.SignedSpend> batch;
    try {
      batch = org.hedgerow.aggregation.wire.SpendJson.parseBatch(ctx.body().asString());
    } catch (IllegalArgumentException e) {
      throw new RejectedException(400, "spends body: " + e.getMessage());
    }
    Federation.PendingSpends p = federation.prepareSpends(client, batch);
    if (p.toStore().isEmpty()) {
      json(ctx, 200, new JsonObject().put("recorded", 0).put("next_counter", p.nextCounter()));
      return;
    }
    stored(store.recordSpends(p.toStore())).onComplete(ar -> {
      if (ar.failed()) {
        federation.spendsFailed(p);
        ctx.fail(storeFailure("the spends of '" + client.id() + "'", ar.cause()));
        return;
      }
      federation.spendsRecorded(p);
      log.atInfo().addKeyValue("event", "spends_recorded").addKeyValue("client", client.id())
          .addKeyValue("recorded", p.toStore().size()).addKeyValue("next_counter", p.nextCounter())
          .log("recorded {} signed spends of '{}'", p.toStore().size(), client.id());
      json(ctx, 200, new JsonObject().put("recorded", p.toStore().size()).put("next_counter", p.nextCounter()));
    });
  }

  private void decline(RoutingContext ctx) {
    Federation.Client client = clientOf(ctx);
    int round = parseInt(ctx.pathParam("round"), "round");
    JsonObject body = jsonBody(ctx);
    String reason;
    double epsilon;
    double cap;
    // JsonObject.getString turns any value into its text, so a number or array would pass as a reason.
    if (body.getValue("reason") != null && !(body.getValue("reason") instanceof String)) {
      throw new RejectedException(400, "decline body: 'reason' must be a string. Provided value: "
          + body.getValue("reason"));
    }
    try {
      reason = body.getString("reason");
      epsilon = body.getDouble("epsilon", Double.NaN);
      cap = body.getDouble("cap", Double.NaN);
    } catch (ClassCastException e) {
      throw new RejectedException(400, "decline body: 'reason' must be a string, 'epsilon' and 'cap' numbers");
    }
    StoredDecline d = federation.prepareDecline(client, round, reason, epsilon, cap, System.currentTimeMillis());
    stored(store.decline(d)).onComplete(ar -> {
      if (ar.failed()) {
        federation.declineFailed(d);
        ctx.fail(storeFailure("the decline of '" + client.id() + "'", ar.cause()));
        afterWrite();
        return;
      }
      federation.declined(d);
      log.warn("'{}' declined round {} and leaves the federation: {}", client.id(), round, reason);
      JsonObject answer = new JsonObject().put("declined", true).put("round", round)
          .put("active_clients", federation.activeClients());
      if (!federation.roundComplete() && secagg != null) {
        secagg.clientLeft();
      }
      afterWrite().onComplete(x -> json(ctx, 200, answer));
    });
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
      java.util.Optional<RoundRecord> closed = federation.closed(c);
      if (closed.isEmpty()) {
        metrics.roundAborted();
      }
      closed.ifPresent(rec -> {
        metrics.roundCompleted(rec.clients());
        log.atInfo().addKeyValue("event", "round_closed").addKeyValue("round", rec.round())
            .addKeyValue("clients", rec.clients()).addKeyValue("examples", rec.examples())
            .addKeyValue("seconds", String.format(java.util.Locale.ROOT, "%.1f", rec.seconds()))
            .log("round {} closed", rec.round());
        roundListeners.forEach(l -> l.accept(rec, federation.model()));
      });
      if (federation.phase() == Federation.Phase.TRAINING) {
        roundOpened();
      } else {
        finished();
      }
      answerWaiters(false);
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
    answerWaiters(false);
  }

  private void roundOpened() {
    metrics.roundOpened(federation.round());
    metrics.activeClients(federation.activeClients());
    armDeadline();
    if (secagg != null) {
      secagg.roundOpened(federation.round()); // idempotent when the deadline is merely re-armed
    }
    answerWaiters(false);
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

  private void cancelDeadline() {
    if (deadlineTimer >= 0) {
      vertx.cancelTimer(deadlineTimer);
      deadlineTimer = -1;
    }
  }

  /** Answers long polls whose condition now holds (or all of them, on timeout). */
  private void answerWaiters(boolean timedOut) {
    Iterator<Waiter> it = waiters.iterator();
    while (it.hasNext()) {
      Waiter w = it.next();
      boolean changed = federation.phase() == Federation.Phase.FINISHED
          || (federation.phase() == Federation.Phase.TRAINING && federation.round() > w.afterRound());
      if (changed || timedOut) {
        vertx.cancelTimer(w.timer());
        it.remove();
        metrics.longPollClosed();
        if (!w.ctx().response().ended() && !w.ctx().response().closed()) {
          json(w.ctx(), 200, roundJson(w.caller()));
        }
      }
    }
  }

  /**
   * The privacy ledger as JSON Lines: every spend the coordinator recorded, in order, hash-chained and
   * countersigned with the ledger key. Ed25519 signatures are deterministic, so the same spends always
   * give the same links and head (returned in a header: an auditor who keeps it detects any rewrite).
   */
  private void ledger(RoutingContext ctx) {
    org.hedgerow.privacy.ledger.PrivacyLedger l =
        org.hedgerow.coordinator.ledger.Ledgers.of(federation.ledger(), access.ledgerKey().privateKey());
    ctx.response().putHeader("Content-Type", "application/x-ndjson")
        .putHeader("X-Hedgerow-Ledger-Head", l.head())
        .putHeader("X-Hedgerow-Ledger-Key", org.hedgerow.privacy.crypto.Hex.encode(access.ledgerKey().publicKey()))
        .end(org.hedgerow.aggregation.wire.LedgerJson.toJsonLines(l.entries()));
  }

  /** Requests in flight, for graceful shutdown. */
  public org.hedgerow.coordinator.ops.InFlightRequests inFlight() {
    return inFlight;
  }

  /**
   * Answers the pending long polls, stops accepting connections and waits up to {@code timeout} for
   * open ones to finish. Callable from any thread (the SIGTERM hook calls it from its own).
   */
  public Future<Void> shutdown(long timeout, java.util.concurrent.TimeUnit unit) {
    if (server == null) {
      return Future.succeededFuture();
    }
    // The waiters and the federation belong to the event loop: touching them from the hook's thread
    // raced with requests still being handled there.
    io.vertx.core.Promise<Void> answered = io.vertx.core.Promise.promise();
    context.runOnContext(x -> {
      answerWaiters(true);
      answered.complete();
    });
    return answered.future().compose(x -> server.shutdown(timeout, unit));
  }

  /** The coordinator's Prometheus metrics. */
  public org.hedgerow.coordinator.metrics.CoordinatorMetrics metrics() {
    return metrics;
  }

  private void status(RoutingContext ctx) {
    if (access != null) {
      Authenticator.require(access.authenticator().authenticate(ctx), Role.OPERATOR, Role.AUDITOR);
    }
    JsonArray rounds = new JsonArray();
    for (RoundRecord r : federation.history()) {
      rounds.add(new JsonObject().put("round", r.round()).put("clients", r.clients())
          .put("examples", r.examples() == RoundRecord.SUPPRESSED ? null : r.examples())
          .put("bytes_up", r.bytesUp()).put("bytes_down", r.bytesDown()).put("seconds", r.seconds())
          .put("aggregation_seconds", r.aggregationSeconds())
          .put("client_train_seconds", Double.isNaN(r.clientTrainSeconds()) ? null : r.clientTrainSeconds())
          .put("train_loss", Double.isNaN(r.trainLoss()) ? null : r.trainLoss()));
    }
    json(ctx, 200, new JsonObject()
        .put("completed_rounds", federation.history().size())
        .put("target_rounds", options.targetRounds())
        .put("round", roundJson())
        .put("aborted_rounds", federation.abortedRounds())
        .put("aggregation_seconds", federation.aggregationSecondsTotal())
        .put("history", rounds)
        .put("finish_reason", federation.finishReason())
        .put("secure_aggregation", secagg == null ? null : secagg.mode())
        .put("central_dp", strategy instanceof PrivacyAccounted)
        .put("privacy", privacyJson()));
  }

  private JsonObject privacyJson() {
    JsonArray spends = new JsonArray();
    for (org.hedgerow.privacy.budget.Spend s : federation.spends()) {
      spends.add(new JsonObject().put("counter", s.counter()).put("round", s.round()).put("silo", s.holder())
          .put("mechanism", s.mechanism()).put("noise_multiplier", s.noiseMultiplier()).put("clip_norm", s.clipNorm())
          .put("sample_rate", s.sampleRate()).put("steps", s.steps()).put("epsilon", s.epsilon())
          .put("delta", s.delta()).put("cap", s.cap()));
    }
    JsonObject declined = new JsonObject();
    federation.declined().forEach((id, d) -> declined.put(id, new JsonObject().put("round", d.round())
        .put("reason", d.reason()).put("epsilon", Double.isFinite(d.epsilon()) ? d.epsilon() : null)
        .put("cap", Double.isFinite(d.cap()) ? d.cap() : null)));
    return new JsonObject().put("spends", spends).put("declined", declined);
  }

  private void failure(RoutingContext ctx) {
    Throwable t = ctx.failure();
    if (t instanceof io.vertx.core.http.HttpClosedException || ctx.response().closed()) {
      // The caller went away (e.g. closed the connection mid-body): nobody to answer, nothing went wrong
      // here, and logging it as an error would let anyone fill the error log.
      log.debug("{} {}: the client closed the connection ({})", ctx.request().method(), ctx.request().path(),
          t == null ? "no cause" : t.toString());
      return;
    }
    if (ctx.request().method() == io.vertx.core.http.HttpMethod.PUT && ctx.request().path().endsWith("/update")) {
      int code = t instanceof RejectedException r ? r.status() : ctx.statusCode();
      metrics.updateRejected(org.hedgerow.coordinator.metrics.UpdateRejection.forStatus(code < 0 ? 500 : code));
    }
    if (t instanceof RejectedException r) {
      if ((r.status() == 503 || r.status() == 429) && ctx.response().headers().get("Retry-After") == null) {
        ctx.response().putHeader("Retry-After", "1");
      }
      json(ctx, r.status(), new JsonObject().put("error", r.getMessage()));
    } else if (ctx.statusCode() == 413 && Wire.SPENDS.equals(ctx.request().path())) {
      json(ctx, 413, new JsonObject().put("error", "request body larger than the limit of " + MAX_SPENDS_BODY_BYTES
          + " bytes; post fewer spends at a time"));
    } else if (ctx.statusCode() == 413) {
      Object limit = ctx.get(BODY_LIMIT);
      json(ctx, 413, new JsonObject().put("error", "request body larger than the limit of "
          + (limit != null ? limit : limits.maxJsonBodyBytes()) + " bytes for " + abbreviate(ctx.request().path())));
    } else if (ctx.statusCode() == 404) {
      json(ctx, 404, new JsonObject().put("error", notFound(ctx)));
    } else if (ctx.statusCode() == 405) {
      json(ctx, 405, new JsonObject().put("error", notAllowed(ctx)));
    } else if (ctx.statusCode() >= 400 && ctx.statusCode() < 500) {
      json(ctx, ctx.statusCode(), new JsonObject().put("error", "bad request (HTTP " + ctx.statusCode() + ")"
          + (t != null && t.getMessage() != null ? ": " + t.getMessage() : "")));
    } else {
      log.error("unexpected failure on {} {}", ctx.request().method(), ctx.request().path(), t);
      json(ctx, 500, new JsonObject().put("error", "internal error: " + (t == null ? "unknown" : t.getClass().getSimpleName())));
    }
  }

  private static String notFound(RoutingContext ctx) {
    return "not found: no route for " + ctx.request().method() + " " + abbreviate(ctx.request().path())
        + " (the API is described at /openapi.json)";
  }

  private static String notAllowed(RoutingContext ctx) {
    return "method " + ctx.request().method() + " is not allowed on " + abbreviate(ctx.request().path())
        + " (the API is described at /openapi.json)";
  }

  private static String abbreviate(String s) {
    return s == null || s.length() <= 200 ? s : s.substring(0, 200) + "…";
  }

  /**
   * A request HTTP/1.1 could not even parse (request line or headers over the limits, garbage):
   * answered with a JSON error naming the problem, then the connection is closed, as Vert.x's
   * default handler does (it answers with an empty body).
   */
  private static void invalidRequest(io.vertx.core.http.HttpServerRequest req,
      io.vertx.core.http.HttpServerOptions serverOptions) {
    Throwable cause = req.decoderResult().cause();
    int status;
    String message;
    if (cause instanceof io.netty.handler.codec.http.TooLongHttpLineException) {
      status = 414;
      message = "request line (method, URI and version) longer than the limit of "
          + serverOptions.getMaxInitialLineLength() + " bytes";
    } else if (cause instanceof io.netty.handler.codec.http.TooLongHttpHeaderException) {
      status = 431;
      message = "request header fields larger than the limit of " + serverOptions.getMaxHeaderSize() + " bytes";
    } else {
      status = 400;
      message = "malformed HTTP request" + (cause == null || cause.getMessage() == null ? ""
          : ": " + abbreviate(cause.getMessage()));
    }
    req.response().setStatusCode(status).putHeader("Content-Type", "application/json").putHeader("Connection", "close")
        .end(new JsonObject().put("error", message).encode())
        .onComplete(x -> req.connection().close());
  }

  private static JsonObject jsonBody(RoutingContext ctx) {
    try {
      JsonObject o = ctx.body() == null ? null : ctx.body().asJsonObject();
      if (o == null) {
        throw new RejectedException(400, "expected a JSON object body");
      }
      return o;
    } catch (io.vertx.core.json.DecodeException | ClassCastException e) {
      throw new RejectedException(400, "body is not valid JSON: " + e.getMessage());
    }
  }

  private static String requiredHeader(RoutingContext ctx, String name) {
    String v = ctx.request().getHeader(name);
    if (v == null) {
      throw new RejectedException(400, "missing header " + name);
    }
    return v;
  }

  private static int parseInt(String s, String what) {
    try {
      return Integer.parseInt(s.trim());
    } catch (NumberFormatException | NullPointerException e) {
      throw new RejectedException(400, what + " must be an integer. Provided value: " + s);
    }
  }

  private static long parseLong(String s, String what) {
    try {
      return Long.parseLong(s.trim());
    } catch (NumberFormatException | NullPointerException e) {
      throw new RejectedException(400, what + " must be an integer. Provided value: " + s);
    }
  }

  private static double parseDouble(String s, String what) {
    try {
      return Double.parseDouble(s.trim());
    } catch (NumberFormatException e) {
      throw new RejectedException(400, what + " must be a number. Provided value: " + s);
    }
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    if (org.hedgerow.coordinator.ops.UnreadBodies.largeBodyPending(ctx.request())) {
      // Answered before a large body was read (a refusal): close rather than read and discard the rest of it.
      ctx.response().putHeader("Connection", "close");
      ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode())
          .onComplete(x -> ctx.request().connection().close());
      return;
    }
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
  }
}
