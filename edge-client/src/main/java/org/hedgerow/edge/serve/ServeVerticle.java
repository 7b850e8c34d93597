package org.hedgerow.edge.serve;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.hedgerow.edge.data.EventTime;
import org.hedgerow.edge.data.EventWeights;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The silo's serving API (docs/serving.md): recommendations, events, consent, erasure, health,
 * metrics and its OpenAPI description. Recommendations are answered on the event loop (they read
 * immutable state and cost microseconds); writes go to a worker thread and are answered only once
 * the store has committed them.
 */
public final class ServeVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(ServeVerticle.class);
  /** Longest accepted product id. */
  static final int MAX_ITEM_LENGTH = 64;

  private final Recommender recommender;
  private final ServeOptions options;
  private final EventWeights weights;
  private final ServeMetrics metrics = new ServeMetrics();
  private final byte[] tokenBytes;
  private HttpServer server;

  public ServeVerticle(Recommender recommender, EventWeights weights, ServeOptions options) {
    this.recommender = recommender;
    this.weights = weights;
    this.options = options;
    this.tokenBytes = options.token() == null ? null : options.token().getBytes(StandardCharsets.UTF_8);
  }

  /** The port actually bound (after deployment). */
  public int port() {
    return server.actualPort();
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    router.route().handler(this::timed);
    router.get("/health").handler(this::health);
    router.get("/openapi.json").handler(this::openapi);
    router.route("/v1/*").handler(this::authorised);
    router.route("/metrics").handler(this::authorised);
    router.get("/metrics").handler(ctx -> ctx.response().putHeader("content-type", "text/plain; version=0.0.4")
        .end(metrics.render(recommender)));
    router.get("/v1/recommendations/:customer").handler(this::recommendations);
    BodyHandler body = BodyHandler.create(false).setBodyLimit(ServeOptions.MAX_BODY_BYTES);
    router.post("/v1/events").handler(body).handler(this::events);
    router.put("/v1/consent/:customer").handler(body).handler(this::putConsent);
    router.get("/v1/consent/:customer").handler(this::getConsent);
    router.delete("/v1/customers/:customer").handler(this::erase);
    router.errorHandler(404, ctx -> error(ctx, 404, "no such route: " + ctx.request().method() + " " + ctx.request().path()));
    router.errorHandler(405, ctx -> error(ctx, 405, ctx.request().method() + " is not allowed on " + ctx.request().path()));
    router.errorHandler(413, ctx -> error(ctx, 413, "body larger than " + ServeOptions.MAX_BODY_BYTES + " bytes"));
    router.errorHandler(500, ctx -> {
      log.error("event=serve_error path={}", ctx.request().path(), ctx.failure());
      error(ctx, 500, "internal error");
    });
    HttpServerOptions http = new HttpServerOptions();
    if (options.tls()) {
      http.setSsl(true).setKeyCertOptions(new PemKeyCertOptions().setCertPath(options.tlsCert().toString())
          .setKeyPath(options.tlsKey().toString()));
      if (options.clientCa() != null) {
        http.setTrustOptions(new PemTrustOptions().addCertPath(options.clientCa().toString()))
            .setClientAuth(ClientAuth.REQUIRED);
      }
    }
    return vertx.createHttpServer(http).requestHandler(router).listen(options.port(), options.host())
        .onSuccess(s -> {
          server = s;
          log.info("event=serve_listening url={}://{}:{} model={} customers={} products={} epsilon={}",
              options.tls() ? "https" : "http", options.host(), s.actualPort(),
              recommender.snapshot().modelVersion(), recommender.customers(),
              recommender.snapshot().catalogue().size(), recommender.policy().epsilon());
        });
  }

  private void timed(RoutingContext ctx) {
    long t0 = System.nanoTime();
    ctx.addHeadersEndHandler(v -> {
      String route = ctx.currentRoute() == null || ctx.currentRoute().getPath() == null ? "other"
          : ctx.currentRoute().getPath();
      metrics.request(route, ctx.response().getStatusCode(), System.nanoTime() - t0);
    });
    ctx.next();
  }

  private void authorised(RoutingContext ctx) {
    if (tokenBytes == null) {
      ctx.next();
      return;
    }
    String h = ctx.request().getHeader("Authorization");
    byte[] got = h != null && h.startsWith("Bearer ") ? h.substring(7).getBytes(StandardCharsets.UTF_8) : null;
    if (got == null || !MessageDigest.isEqual(got, tokenBytes)) {
      ctx.response().putHeader("WWW-Authenticate", "Bearer");
      error(ctx, 401, got == null ? "missing 'Authorization: Bearer <token>'" : "wrong token");
      return;
    }
    ctx.next();
  }

  private void health(RoutingContext ctx) {
    json(ctx, 200, new JsonObject().put("status", "ok").put("model_version", recommender.snapshot().modelVersion())
        .put("customers", recommender.customers()).put("products", recommender.snapshot().catalogue().size()));
  }

  private void openapi(RoutingContext ctx) {
    try (InputStream in = ServeVerticle.class.getResourceAsStream("serve-openapi.json")) {
      ctx.response().putHeader("content-type", "application/json").end(Buffer.buffer(in.readAllBytes()));
    } catch (IOException | NullPointerException e) {
      error(ctx, 500, "the OpenAPI description is missing from the build");
    }
  }

  private void recommendations(RoutingContext ctx) {
    Integer customer = customer(ctx);
    if (customer == null) {
      return;
    }
    int k = 10;
    String rawK = ctx.request().getParam("k");
    if (rawK != null) {
      try {
        k = Integer.parseInt(rawK.trim());
      } catch (NumberFormatException e) {
        k = -1;
      }
      if (k < 1 || k > options.maxK()) {
        error(ctx, 400, "k must be an integer in [1, " + options.maxK() + "]. Provided value: " + rawK);
        return;
      }
    }
    // An erased customer has no profile left: the popular list, like any newcomer.
    Recommendation r = recommender.recommend(customer, k,
        new SplittableRandom(java.util.concurrent.ThreadLocalRandom.current().nextLong()));
    for (Recommendation.Item i : r.items()) {
      metrics.reason(i.reason());
    }
    ctx.response().putHeader("content-type", "application/json").end(r.json());
  }

  private void events(RoutingContext ctx) {
    List<ServeEvent> events;
    try {
      events = parseEvents(ctx.body().buffer());
    } catch (IllegalArgumentException e) {
      error(ctx, 400, e.getMessage());
      return;
    }
    blocking(ctx, () -> {
      recommender.record(events);
      return new JsonObject().put("accepted", events.size());
    }, 201, () -> metrics.events(events.size()));
  }

  private void putConsent(RoutingContext ctx) {
    Integer customer = customer(ctx);
    if (customer == null) {
      return;
    }
    JsonObject o;
    try {
      o = ctx.body().asJsonObject();
    } catch (DecodeException | ClassCastException e) {
      o = null;
    }
    if (o == null) {
      error(ctx, 400, "body must be a JSON object {\"training\": bool, \"personalisation\": bool}");
      return;
    }
    for (String key : o.fieldNames()) {
      if (!key.equals("training") && !key.equals("personalisation")) {
        error(ctx, 400, "unknown consent field '" + key + "' (known: training, personalisation)");
        return;
      }
      if (!(o.getValue(key) instanceof Boolean)) {
        error(ctx, 400, "consent field '" + key + "' must be true or false. Provided value: " + o.getValue(key));
        return;
      }
    }
    if (o.isEmpty()) {
      error(ctx, 400, "give at least one of 'training' and 'personalisation'");
      return;
    }
    Boolean training = o.getBoolean("training");
    Boolean personalisation = o.getBoolean("personalisation");
    blocking(ctx, () -> consentJson(customer, recommender.consent(customer, training, personalisation)), 200, null);
  }

  private void getConsent(RoutingContext ctx) {
    Integer customer = customer(ctx);
    if (customer != null) {
      json(ctx, 200, consentJson(customer, recommender.consentOf(customer)));
    }
  }

  private void erase(RoutingContext ctx) {
    Integer customer = customer(ctx);
    if (customer == null) {
      return;
    }
    blocking(ctx, () -> {
      Recommender.Erasure e = recommender.erase(customer);
      return new JsonObject().put("customer", Integer.toString(customer)).put("erased", true)
          .put("known", e.known()).put("stored_events_deleted", e.storedEventsDeleted())
          .put("log_lines_dropped", e.logLinesDropped())
          .put("released_models", "models already released keep their DP-bounded trace of this customer; "
              + "the next round trains without them (docs/serving.md)");
    }, 200, null);
  }

  private static JsonObject consentJson(int customer, Consent c) {
    return new JsonObject().put("customer", Integer.toString(customer)).put("training", c.training())
        .put("personalisation", c.personalisation());
  }

  /** Runs a write on a worker thread; refusals (IllegalArgumentException) become 409. */
  private void blocking(RoutingContext ctx, Callable<JsonObject> work, int status, Runnable onSuccess) {
    vertx.executeBlocking(work, false).onComplete(r -> {
      if (r.succeeded()) {
        if (onSuccess != null) {
          onSuccess.run();
        }
        json(ctx, status, r.result());
      } else if (r.cause() instanceof IllegalArgumentException) {
        error(ctx, 409, r.cause().getMessage());
      } else {
        ctx.fail(500, r.cause());
      }
    });
  }

  /** The path's customer id, or null after answering 400. */
  private static Integer customer(RoutingContext ctx) {
    String raw = ctx.pathParam("customer");
    Integer c = positiveInt(raw);
    if (c == null) {
      error(ctx, 400, "customer must be a positive integer id. Provided value: " + raw);
    }
    return c;
  }

  private static Integer positiveInt(String raw) {
    try {
      long v = Long.parseLong(raw.trim());
      return v > 0 && v <= Integer.MAX_VALUE ? (int) v : null;
    } catch (NumberFormatException | NullPointerException e) {
      return null;
    }
  }

  /** Parses one event, an array of them, or {"events": [...]}; every problem names the event and field. */
  List<ServeEvent> parseEvents(Buffer body) {
    if (body == null || body.length() == 0) {
      throw new IllegalArgumentException("empty body: expected an event {\"customer\", \"item\", \"type\", \"time\"} "
          + "or an array of them");
    }
    Object parsed;
    try {
      parsed = io.vertx.core.json.Json.decodeValue(body);
    } catch (DecodeException e) {
      throw new IllegalArgumentException("body is not JSON: " + e.getMessage());
    }
    JsonArray list;
    if (parsed instanceof JsonArray a) {
      list = a;
    } else if (parsed instanceof JsonObject o && o.getValue("events") instanceof JsonArray a) {
      list = a;
    } else if (parsed instanceof JsonObject o) {
      list = new JsonArray().add(o);
    } else {
      throw new IllegalArgumentException("expected a JSON object or array of events");
    }
    if (list.isEmpty()) {
      throw new IllegalArgumentException("no events in the batch");
    }
    if (list.size() > options.maxBatch()) {
      throw new IllegalArgumentException("a batch holds at most " + options.maxBatch() + " events, got " + list.size());
    }
    List<ServeEvent> out = new ArrayList<>(list.size());
    for (int n = 0; n < list.size(); n++) {
      if (!(list.getValue(n) instanceof JsonObject e)) {
        throw new IllegalArgumentException("event " + n + " is not a JSON object");
      }
      Object c = e.getValue("customer");
      Integer customer = c instanceof Number num && num.doubleValue() == Math.rint(num.doubleValue())
          ? positiveInt(Long.toString(num.longValue())) : c instanceof String s ? positiveInt(s) : null;
      if (customer == null) {
        throw new IllegalArgumentException("event " + n + ": customer must be a positive integer id. Provided value: " + c);
      }
      Object i = e.getValue("item");
      String item = i == null ? "" : i.toString().trim();
      if (item.isEmpty() || item.length() > MAX_ITEM_LENGTH || item.contains(",")) {
        throw new IllegalArgumentException("event " + n + ": item must be a product id of 1 to " + MAX_ITEM_LENGTH
            + " characters without commas. Provided value: " + i);
      }
      String type = e.getValue("type") instanceof String t ? t.trim().toLowerCase(java.util.Locale.ROOT) : null;
      double w = type == null ? 0 : weights.weight(type);
      if (w <= 0) {
        throw new IllegalArgumentException("event " + n + ": type must be one of the weighted event types "
            + weights.weights().keySet().stream().filter(k -> weights.weight(k) > 0).sorted().toList()
            + ". Provided value: " + e.getValue("type"));
      }
      Object t = e.getValue("time");
      LocalDateTime time;
      try {
        time = t == null ? LocalDateTime.now(ZoneOffset.UTC) : EventTime.parse(t.toString());
      } catch (IllegalArgumentException ex) {
        throw new IllegalArgumentException("event " + n + ": " + ex.getMessage());
      }
      for (String key : e.fieldNames()) {
        if (!List.of("customer", "item", "type", "time").contains(key)) {
          throw new IllegalArgumentException("event " + n + ": unknown field '" + key + "' (known: customer, item, type, time)");
        }
      }
      out.add(new ServeEvent(customer, item, type, w, time));
    }
    return out;
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(body.encode());
  }

  private static void error(RoutingContext ctx, int status, String message) {
    json(ctx, status, new JsonObject().put("error", message));
  }
}
