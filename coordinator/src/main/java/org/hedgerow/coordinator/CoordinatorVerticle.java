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
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.BiConsumer;
import org.hedgerow.aggregation.model.ModelSpec;
import org.hedgerow.aggregation.strategy.FitConfig;
import org.hedgerow.aggregation.strategy.Strategy;
import org.hedgerow.aggregation.wire.ParameterCodec;
import org.hedgerow.aggregation.wire.Wire;
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

  private final CoordinatorOptions options;
  private final Strategy strategy;
  private final Federation federation;
  private final List<Waiter> waiters = new ArrayList<>();
  private final List<BiConsumer<RoundRecord, float[]>> roundListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final List<java.util.function.Consumer<String>> finishListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
  private HttpServer server;
  private long deadlineTimer = -1;
  private final org.hedgerow.coordinator.secagg.SecureAggregationWorkflow secagg;

  private record Waiter(int afterRound, RoutingContext ctx, long timer) {}

  public CoordinatorVerticle(CoordinatorOptions options, Strategy strategy) {
    this(options, strategy, null);
  }

  /**
   * With secure aggregation when {@code secureAggregation} is not null: updates then arrive only
   * through the stage endpoints and the strategy receives one unmasked sum per round.
   *
   * @throws IllegalArgumentException the strategy needs individual updates (e.g. central DP clips each one)
   */
  public CoordinatorVerticle(CoordinatorOptions options, Strategy strategy,
      org.hedgerow.coordinator.secagg.SecureAggregationOptions secureAggregation) {
    this.options = options;
    this.strategy = strategy;
    this.federation = new Federation(options, strategy);
    if (secureAggregation != null && strategy instanceof org.hedgerow.aggregation.strategy.PrivacyAccounted) {
      throw new IllegalArgumentException("secure aggregation hides individual updates, but this strategy ("
          + strategy.getClass().getSimpleName() + ") clips or noises each one at the coordinator; use local DP instead");
    }
    this.secagg = secureAggregation == null ? null : new org.hedgerow.coordinator.secagg.SecureAggregationWorkflow(
        federation, secureAggregation, options.spec().parameterCount(), new SecureOutcome());
  }

  /** The secure-aggregation workflow, or null when updates are sent in the clear. */
  public org.hedgerow.coordinator.secagg.SecureAggregationWorkflow secureAggregation() {
    return secagg;
  }

  /** Applies a secure round's outcome exactly as a plain round close would. */
  private final class SecureOutcome implements org.hedgerow.coordinator.secagg.SecureAggregationWorkflow.Outcome {
    @Override
    public void completed(int round, org.hedgerow.aggregation.secagg.SecureSumEncoding.Decoded sum, long bytesUp) {
      close(() -> federation.closeRoundWithSum(sum.weightedDeltaSum(), sum.totalWeight(), sum.summands(), bytesUp));
    }

    @Override
    public void aborted(int round, String reason, boolean fatal) {
      if (federation.phase() == Federation.Phase.TRAINING && federation.round() == round) {
        close(() -> {
          federation.abortRound(reason, fatal);
          return java.util.Optional.empty();
        });
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
    router.get(Wire.HEALTH).handler(ctx -> json(ctx, 200, new JsonObject().put("status", "ok")));
    router.route().handler(BodyHandler.create(false).setBodyLimit(options.maxUploadBytes()));
    router.post(Wire.CLIENTS).handler(this::register);
    router.get(Wire.ROUND).handler(this::round);
    router.get(Wire.MODEL).handler(this::modelInfo);
    router.get(Wire.MODEL_PARAMETERS).handler(this::modelParameters);
    router.put("/v1/rounds/:round/update").handler(this::upload);
    router.post("/v1/rounds/:round/decline").handler(this::decline);
    if (secagg != null) {
      secagg.mount(vertx, router);
    }
    router.get(Wire.STATUS).handler(this::status);
    router.route().failureHandler(this::failure);
    return vertx.createHttpServer()
        .requestHandler(router)
        .listen(options.port(), options.host())
        .onSuccess(s -> {
          server = s;
          log.info("coordinator listening on http://{}:{} ({} rounds, {} clients expected)", options.host(),
              s.actualPort(), options.targetRounds(), options.expectedClients());
        });
  }

  /** The bound port (useful with port 0). */
  public int port() {
    return server.actualPort();
  }

  private void register(RoutingContext ctx) {
    JsonObject body = jsonBody(ctx);
    int before = federation.round();
    byte[] identityKey = secagg == null ? null
        : org.hedgerow.coordinator.secagg.SecureAggregationWorkflow.parseIdentityKey(body); // before registering anyone
    Federation.Client c = federation.register(body.getString("silo"));
    if (secagg != null) {
      secagg.enrol(c.id(), identityKey);
    }
    log.info("registered client '{}' ({} of {})", c.id(), federation.registeredClients(), options.expectedClients());
    json(ctx, 201, new JsonObject().put("client_id", c.id()).put("token", c.token()));
    if (federation.round() != before) {
      roundOpened();
    } else if (federation.phase() == Federation.Phase.FINISHED) {
      finished();
    }
  }

  private void round(RoutingContext ctx) {
    String after = ctx.request().getParam("after");
    if (after != null) {
      int a = parseInt(after, "after");
      if (federation.phase() != Federation.Phase.FINISHED
          && (federation.phase() == Federation.Phase.WAITING_FOR_CLIENTS || federation.round() <= a)) {
        long timer = vertx.setTimer(LONG_POLL_MILLIS, id -> answerWaiters(true));
        waiters.add(new Waiter(a, ctx, timer));
        return;
      }
    }
    json(ctx, 200, roundJson());
  }

  private JsonObject roundJson() {
    JsonObject o = new JsonObject()
        .put("state", federation.phase().name().toLowerCase())
        .put("round", federation.round())
        .put("target_rounds", options.targetRounds())
        .put("model_version", federation.modelVersion())
        .put("registered_clients", federation.registeredClients())
        .put("active_clients", federation.activeClients())
        .put("expected_clients", options.expectedClients());
    if (federation.phase() == Federation.Phase.TRAINING) {
      FitConfig f = strategy.configureFit(federation.round());
      o.put("config", new JsonObject().put("local_epochs", f.localEpochs()).put("batch_size", f.batchSize())
          .put("seed", f.seed()));
      if (secagg != null) {
        o.getJsonObject("config").put("secure_aggregation", secagg.describe(federation.round()));
      }
    }
    return o;
  }

  private void modelInfo(RoutingContext ctx) {
    ModelSpec s = options.spec();
    json(ctx, 200, new JsonObject()
        .put("version", federation.modelVersion())
        .put("spec_hash", s.hash())
        .put("parameter_count", s.parameterCount())
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
    byte[] bytes = ParameterCodec.encode(federation.model());
    federation.servedBytes(bytes.length);
    ctx.response()
        .putHeader("Content-Type", Wire.OCTET_STREAM)
        .putHeader(Wire.HEADER_MODEL_VERSION, Integer.toString(federation.modelVersion()))
        .putHeader(Wire.HEADER_SPEC_HASH, options.spec().hash())
        .end(Buffer.buffer(bytes));
  }

  private void upload(RoutingContext ctx) {
    Federation.Client client = federation.authenticate(ctx.request().getHeader("Authorization"));
    if (secagg != null) {
      throw new RejectedException(409, "this federation uses secure aggregation: updates go through "
          + "/v1/rounds/{r}/secagg/{stage}, never in the clear");
    }
    int round = parseInt(ctx.pathParam("round"), "round");
    int version = parseInt(requiredHeader(ctx, Wire.HEADER_MODEL_VERSION), Wire.HEADER_MODEL_VERSION);
    long examples = parseLong(requiredHeader(ctx, Wire.HEADER_EXAMPLES), Wire.HEADER_EXAMPLES);
    String hash = requiredHeader(ctx, Wire.HEADER_SPEC_HASH);
    String ts = ctx.request().getHeader(Wire.HEADER_TRAIN_SECONDS);
    double trainSeconds = ts == null ? 0 : parseDouble(ts, Wire.HEADER_TRAIN_SECONDS);
    String tl = ctx.request().getHeader(Wire.HEADER_TRAIN_LOSS);
    double trainLoss = tl == null ? Double.NaN : parseDouble(tl, Wire.HEADER_TRAIN_LOSS);
    byte[] body = ctx.body() == null || ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
    org.hedgerow.privacy.budget.Spend spend = spendHeaders(ctx, client, round);
    boolean complete = federation.submit(client, round, version, hash, examples, body, trainSeconds, trainLoss, spend);
    json(ctx, 202, new JsonObject().put("accepted", true).put("round", round)
        .put("updates", federation.updatesThisRound()).put("expected", federation.activeClients()));
    if (complete) {
      close();
    }
  }

  /** The DP spend headers of an update: all of them or none (then null). */
  private static org.hedgerow.privacy.budget.Spend spendHeaders(RoutingContext ctx, Federation.Client client, int round) {
    List<String> names = List.of(Wire.HEADER_DP_MECHANISM, Wire.HEADER_DP_NOISE_MULTIPLIER, Wire.HEADER_DP_SAMPLE_RATE,
        Wire.HEADER_DP_STEPS, Wire.HEADER_DP_EPSILON, Wire.HEADER_DP_DELTA, Wire.HEADER_DP_CAP);
    long present = names.stream().filter(n -> ctx.request().getHeader(n) != null).count();
    if (present == 0) {
      return null;
    }
    if (present != names.size()) {
      throw new RejectedException(400, "privacy spend headers must come all together: " + names);
    }
    double sigma = positive(ctx, Wire.HEADER_DP_NOISE_MULTIPLIER);
    double q = positive(ctx, Wire.HEADER_DP_SAMPLE_RATE);
    long steps = parseLong(ctx.request().getHeader(Wire.HEADER_DP_STEPS), Wire.HEADER_DP_STEPS);
    double epsilon = parseDouble(ctx.request().getHeader(Wire.HEADER_DP_EPSILON), Wire.HEADER_DP_EPSILON);
    double delta = positive(ctx, Wire.HEADER_DP_DELTA);
    double cap = positive(ctx, Wire.HEADER_DP_CAP);
    if (q > 1 || delta >= 1 || steps < 1 || !(epsilon >= 0 && Double.isFinite(epsilon))) {
      throw new RejectedException(400, "privacy spend out of range: q in (0, 1], delta in (0, 1), steps >= 1, "
          + "epsilon >= 0 and finite");
    }
    if (epsilon > cap) {
      throw new RejectedException(400, "reported epsilon " + epsilon + " exceeds the reported cap " + cap);
    }
    return new org.hedgerow.privacy.budget.Spend(round, client.id(), ctx.request().getHeader(Wire.HEADER_DP_MECHANISM),
        sigma, q, steps, epsilon, delta, cap);
  }

  private static double positive(RoutingContext ctx, String header) {
    double v = parseDouble(ctx.request().getHeader(header), header);
    if (!(v > 0 && Double.isFinite(v))) {
      throw new RejectedException(400, header + " must be > 0 and finite. Provided value: " + v);
    }
    return v;
  }

  private void decline(RoutingContext ctx) {
    Federation.Client client = federation.authenticate(ctx.request().getHeader("Authorization"));
    int round = parseInt(ctx.pathParam("round"), "round");
    JsonObject body = jsonBody(ctx);
    String reason;
    double epsilon;
    double cap;
    try {
      reason = body.getString("reason");
      epsilon = body.getDouble("epsilon", Double.NaN);
      cap = body.getDouble("cap", Double.NaN);
    } catch (ClassCastException e) {
      throw new RejectedException(400, "decline body: 'reason' must be a string, 'epsilon' and 'cap' numbers");
    }
    boolean complete = federation.decline(client, round, reason, epsilon, cap);
    log.warn("'{}' declined round {} and leaves the federation: {}", client.id(), round, reason);
    json(ctx, 200, new JsonObject().put("declined", true).put("round", round)
        .put("active_clients", federation.activeClients()));
    if (complete) {
      close();
    } else if (secagg != null) {
      secagg.clientLeft();
    }
  }

  private void close() {
    close(federation::closeRound);
  }

  private void close(java.util.function.Supplier<java.util.Optional<RoundRecord>> closer) {
    java.util.Optional<RoundRecord> closed = closer.get();
    closed.ifPresent(rec -> {
      log.info("round {} closed: {} clients, {} examples, {}s", rec.round(), rec.clients(), rec.examples(),
          String.format("%.1f", rec.seconds()));
      roundListeners.forEach(l -> l.accept(rec, federation.model()));
    });
    if (federation.phase() == Federation.Phase.TRAINING) {
      roundOpened();
    } else {
      finished();
    }
    answerWaiters(false);
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
    cancelDeadline();
    int r = federation.round();
    deadlineTimer = vertx.setTimer(options.roundDeadlineMillis(), id -> {
      if (federation.deadlineReached(r)) {
        log.warn("round {} deadline passed with {} of {} updates: closing with what arrived", r,
            federation.updatesThisRound(), federation.activeClients());
        close();
      } else if (federation.phase() == Federation.Phase.TRAINING && federation.round() == r) {
        log.warn("round {} deadline passed with {} updates, fewer than the minimum {}: waiting another deadline", r,
            federation.updatesThisRound(), options.minClients());
        roundOpened();
      }
    });
    if (secagg != null) {
      secagg.roundOpened(r); // idempotent when the deadline is merely re-armed
    }
    answerWaiters(false);
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
        if (!w.ctx().response().ended() && !w.ctx().response().closed()) {
          json(w.ctx(), 200, roundJson());
        }
      }
    }
  }

  private void status(RoutingContext ctx) {
    JsonArray rounds = new JsonArray();
    for (RoundRecord r : federation.history()) {
      rounds.add(new JsonObject().put("round", r.round()).put("clients", r.clients()).put("examples", r.examples())
          .put("bytes_up", r.bytesUp()).put("bytes_down", r.bytesDown()).put("seconds", r.seconds())
          .put("aggregation_seconds", r.aggregationSeconds()).put("client_train_seconds", r.clientTrainSeconds())
          .put("train_loss", Double.isNaN(r.trainLoss()) ? null : r.trainLoss()));
    }
    json(ctx, 200, new JsonObject()
        .put("completed_rounds", federation.history().size())
        .put("target_rounds", options.targetRounds())
        .put("round", roundJson())
        .put("aggregation_seconds", federation.aggregationSecondsTotal())
        .put("history", rounds)
        .put("finish_reason", federation.finishReason())
        .put("privacy", privacyJson()));
  }

  private JsonObject privacyJson() {
    JsonArray spends = new JsonArray();
    for (org.hedgerow.privacy.budget.Spend s : federation.spends()) {
      spends.add(new JsonObject().put("round", s.round()).put("silo", s.holder()).put("mechanism", s.mechanism())
          .put("noise_multiplier", s.noiseMultiplier()).put("sample_rate", s.sampleRate()).put("steps", s.steps())
          .put("epsilon", s.epsilon()).put("delta", s.delta()).put("cap", s.cap()));
    }
    JsonObject declined = new JsonObject();
    federation.declined().forEach((id, d) -> declined.put(id, new JsonObject().put("round", d.round())
        .put("reason", d.reason()).put("epsilon", Double.isFinite(d.epsilon()) ? d.epsilon() : null)
        .put("cap", Double.isFinite(d.cap()) ? d.cap() : null)));
    return new JsonObject().put("spends", spends).put("declined", declined);
  }

  private void failure(RoutingContext ctx) {
    Throwable t = ctx.failure();
    if (t instanceof RejectedException r) {
      json(ctx, r.status(), new JsonObject().put("error", r.getMessage()));
    } else if (ctx.statusCode() == 413) {
      json(ctx, 413, new JsonObject().put("error", "request body larger than the limit of " + options.maxUploadBytes() + " bytes"));
    } else if (ctx.statusCode() >= 400 && ctx.statusCode() < 500) {
      json(ctx, ctx.statusCode(), new JsonObject().put("error", "bad request"));
    } else {
      log.error("unexpected failure on {} {}", ctx.request().method(), ctx.request().path(), t);
      json(ctx, 500, new JsonObject().put("error", "internal error: " + (t == null ? "unknown" : t.getClass().getSimpleName())));
    }
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
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
  }
}
