package org.hedgerow.coordinator.service;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import org.hedgerow.aggregation.wire.UploadAnswer;
import org.hedgerow.aggregation.wire.Wire;
import org.hedgerow.coordinator.CoordinatorOptions;
import org.hedgerow.coordinator.Federation;
import org.hedgerow.coordinator.http.RejectedException;
import org.hedgerow.coordinator.metrics.CoordinatorMetrics;
import org.hedgerow.coordinator.store.CoordinatorStore;

/** {@code PUT /v1/rounds/{r}/update}: a plain (not secure-aggregated) update, stored before it is counted. */
final class UploadRoutes {
  /**
   * Largest example count one update may claim (2^40): far above any silo, and low enough that a
   * round's sums of counts (and of loss × count) cannot overflow however many clients report it.
   */
  static final long MAX_EXAMPLES = 1L << 40;
  /** Headers an upload's meaning depends on; with the round and the body they make the hash its upload id is bound to. */
  private static final String[] HASHED_HEADERS = {Wire.HEADER_MODEL_VERSION, Wire.HEADER_SPEC_HASH, Wire.HEADER_EXAMPLES,
      Wire.HEADER_TRAIN_SECONDS, Wire.HEADER_TRAIN_LOSS, Wire.HEADER_DP_SPEND_COUNTER};

  private final Federation federation;
  private final CoordinatorOptions options;
  private final CoordinatorStore store;
  private final Callers callers;
  private final RoundDriver driver;
  private final CoordinatorMetrics metrics;
  private final boolean secureAggregation;
  /** Clients with an upload being received or stored, with its upload id ("" if none). */
  private final Map<String, String> uploadsInFlight = new HashMap<>();

  UploadRoutes(Federation federation, CoordinatorOptions options, CoordinatorStore store, Callers callers,
      RoundDriver driver, CoordinatorMetrics metrics, boolean secureAggregation) {
    this.federation = federation;
    this.options = options;
    this.store = store;
    this.callers = callers;
    this.driver = driver;
    this.metrics = metrics;
    this.secureAggregation = secureAggregation;
  }

  /** Reads the body once into an array of exactly the update's size, then hands it to {@link #upload}. */
  Handler<RoutingContext> bodyReader() {
    return new UploadBodyReader(4 * options.spec().parameterCount(), options.spec().parameterCount()
        + " float32 values", () -> metrics.bodyRead("/v1/rounds/:round/update"), this::upload);
  }

  /**
   * One upload in flight per client: a second one while the first is still being received or stored is
   * refused before its body is read (503 for a retry of the same upload id, 409 otherwise).
   */
  void oneUploadPerClient(RoutingContext ctx) {
    Federation.Client client = callers.participant(ctx); // open registration: the bearer token, before any of the body is read
    if (secureAggregation) {
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

  private void upload(RoutingContext ctx, byte[] body) {
    Federation.Client client = callers.participant(ctx);
    int round = Requests.parseInt(ctx.pathParam("round"), "round");
    int version = Requests.parseInt(Requests.requiredHeader(ctx, Wire.HEADER_MODEL_VERSION), Wire.HEADER_MODEL_VERSION);
    long examples = Requests.parseLong(Requests.requiredHeader(ctx, Wire.HEADER_EXAMPLES), Wire.HEADER_EXAMPLES);
    if (examples > MAX_EXAMPLES) {
      throw new RejectedException(400, Wire.HEADER_EXAMPLES + " must be at most " + MAX_EXAMPLES + " (2^40). Provided value: "
          + examples);
    }
    String hash = Requests.requiredHeader(ctx, Wire.HEADER_SPEC_HASH);
    String ts = ctx.request().getHeader(Wire.HEADER_TRAIN_SECONDS);
    double trainSeconds = ts == null ? 0 : Requests.parseDouble(ts, Wire.HEADER_TRAIN_SECONDS);
    String tl = ctx.request().getHeader(Wire.HEADER_TRAIN_LOSS);
    double trainLoss = tl == null ? Double.NaN : Requests.parseDouble(tl, Wire.HEADER_TRAIN_LOSS);
    String counterHeader = ctx.request().getHeader(Wire.HEADER_DP_SPEND_COUNTER);
    Long spendCounter = counterHeader == null ? null : Requests.parseLong(counterHeader, Wire.HEADER_DP_SPEND_COUNTER);
    String uploadId = ctx.request().getHeader(Wire.HEADER_UPLOAD_ID);
    if (uploadId != null && !uploadId.matches("[A-Za-z0-9._-]{1,128}")) {
      throw new RejectedException(400, Wire.HEADER_UPLOAD_ID + " must be 1-128 characters of letters, digits, '.', "
          + "'_' or '-'. Provided value: " + uploadId);
    }
    federation.requireRoundSpend(client, round, spendCounter);
    if (uploadId == null) {
      admit(ctx, client, round, version, hash, examples, body, trainSeconds, trainLoss, null, null);
      return;
    }
    // Hashing 4·d bytes (1 MiB at the bundled scale) would hold the event loop for milliseconds per
    // upload: it runs on a worker thread, and admission (which reads and changes the federation's
    // state) continues on the event loop. The client has one upload in flight (oneUploadPerClient).
    String head = hashedHead(ctx);
    ctx.vertx().executeBlocking(() -> uploadHash(head, body), false).onComplete(h -> {
      if (h.failed()) {
        ctx.fail(h.cause());
        return;
      }
      try {
        admit(ctx, client, round, version, hash, examples, body, trainSeconds, trainLoss, uploadId, h.result());
      } catch (RuntimeException e) {
        ctx.fail(e);
      }
    });
  }

  private void admit(RoutingContext ctx, Federation.Client client, int round, int version, String hash, long examples,
      byte[] body, double trainSeconds, double trainLoss, String uploadId, String uploadHash) {
    Federation.Admission a = federation.admit(client, round, version, hash, examples, body, trainSeconds, trainLoss,
        uploadId, uploadHash, System.currentTimeMillis());
    if (a.alreadyAccepted()) {
      Responses.json(ctx, 202, answer(a.round(), true));
      return;
    }
    Federation.PendingUpdate p = a.pending();
    driver.stored(store.saveUpdate(p.stored())).onComplete(ar -> {
      if (ar.succeeded() && ar.result()) {
        federation.accepted(p);
        metrics.updateAccepted(body.length);
        UploadAnswer answer = answer(round, null);
        // The update that completes a round is answered once the next model is durable and served.
        driver.afterWrite().onComplete(x -> Responses.json(ctx, 202, answer));
      } else {
        federation.uploadFailed(p);
        ctx.fail(ar.succeeded() ? new RejectedException(409, "round " + round + " closed before the update of '"
            + client.id() + "' was stored; it was not counted")
            : RoundDriver.storeFailure("the update of '" + client.id() + "'", ar.cause()));
        driver.afterWrite();
      }
    });
  }

  /** The round and the hashed headers, as the hash reads them (built on the event loop). */
  private static String hashedHead(RoutingContext ctx) {
    StringBuilder head = new StringBuilder("hedgerow/upload/v1\n").append(ctx.pathParam("round")).append('\n');
    for (String h : HASHED_HEADERS) {
      String v = ctx.request().getHeader(h);
      head.append(h).append(v == null ? "\u0000" : ": " + v).append('\n');
    }
    return head.toString();
  }

  /** SHA-256 (hex) of the round, the hashed headers (raw, as sent: a retry resends them as they were) and the body. */
  private static String uploadHash(String head, byte[] body) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(head.getBytes(StandardCharsets.UTF_8));
      md.update(body);
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  private UploadAnswer answer(int round, Boolean duplicate) {
    boolean open = federation.round() == round;
    return new UploadAnswer(true, round, open ? federation.updatesThisRound() : null,
        open ? federation.expectedUpdates() : null, duplicate);
  }
}
