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
  private HttpServer server;
  private long deadlineTimer = -1;

  private record Waiter(int afterRound, RoutingContext ctx, long timer) {}

  public CoordinatorVerticle(CoordinatorOptions options, Strategy strategy) {
    this.options = options;
    this.strategy = strategy;
    this.federation = new Federation(options, strategy);
  }

  /** Called on the event loop after each round closes, with the new global model (do not modify it). */
  public void onRoundClosed(BiConsumer<RoundRecord, float[]> listener) {
    roundListeners.add(listener);
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
    Federation.Client c = federation.register(body.getString("silo"));
    log.info("registered client '{}' ({} of {})", c.id(), federation.registeredClients(), options.expectedClients());
    json(ctx, 201, new JsonObject().put("client_id", c.id()).put("token", c.token()));
    if (federation.round() != before) {
      roundOpened();
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
        .put("expected_clients", options.expectedClients());
    if (federation.phase() == Federation.Phase.TRAINING) {
      FitConfig f = strategy.configureFit(federation.round());
      o.put("config", new JsonObject().put("local_epochs", f.localEpochs()).put("batch_size", f.batchSize())
          .put("seed", f.seed()));
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
    int round = parseInt(ctx.pathParam("round"), "round");
    int version = parseInt(requiredHeader(ctx, Wire.HEADER_MODEL_VERSION), Wire.HEADER_MODEL_VERSION);
    long examples = parseLong(requiredHeader(ctx, Wire.HEADER_EXAMPLES), Wire.HEADER_EXAMPLES);
    String hash = requiredHeader(ctx, Wire.HEADER_SPEC_HASH);
    String ts = ctx.request().getHeader(Wire.HEADER_TRAIN_SECONDS);
    double trainSeconds = ts == null ? 0 : parseDouble(ts, Wire.HEADER_TRAIN_SECONDS);
    String tl = ctx.request().getHeader(Wire.HEADER_TRAIN_LOSS);
    double trainLoss = tl == null ? Double.NaN : parseDouble(tl, Wire.HEADER_TRAIN_LOSS);
    byte[] body = ctx.body() == null || ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
    boolean complete = federation.submit(client, round, version, hash, examples, body, trainSeconds, trainLoss);
    json(ctx, 202, new JsonObject().put("accepted", true).put("round", round)
        .put("updates", federation.updatesThisRound()).put("expected", federation.registeredClients()));
    if (complete) {
      close();
    }
  }

  private void close() {
    RoundRecord rec = federation.closeRound();
    log.info("round {} closed: {} clients, {} examples, {}s", rec.round(), rec.clients(), rec.examples(),
        String.format("%.1f", rec.seconds()));
    roundListeners.forEach(l -> l.accept(rec, federation.model()));
    if (federation.phase() == Federation.Phase.TRAINING) {
      roundOpened();
    } else {
      cancelDeadline();
      log.info("federation finished after {} rounds", rec.round());
    }
    answerWaiters(false);
  }

  private void roundOpened() {
    cancelDeadline();
    int r = federation.round();
    deadlineTimer = vertx.setTimer(options.roundDeadlineMillis(), id -> {
      if (federation.deadlineReached(r)) {
        log.warn("round {} deadline passed with {} of {} updates: closing with what arrived", r,
            federation.updatesThisRound(), federation.registeredClients());
        close();
      } else if (federation.phase() == Federation.Phase.TRAINING && federation.round() == r) {
        log.warn("round {} deadline passed with {} updates, fewer than the minimum {}: waiting another deadline", r,
            federation.updatesThisRound(), options.minClients());
        roundOpened();
      }
    });
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
        .put("history", rounds));
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
