package org.hedgerow.coordinator;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import org.hedgerow.aggregation.wire.ParameterCodec;
import org.hedgerow.aggregation.wire.Wire;

/**
 * A scripted silo that rides out coordinator outages the way the edge client does. The coordinator
 * module cannot use the real {@code CoordinatorClient} (edge-client depends on DL4J, and on nothing
 * of the coordinator), so this copies its behaviour: the same loop as {@code EdgeClient.run} (join,
 * long-poll the round, download the model, train, upload) and the same retry rule as
 * {@code CoordinatorClient.send}: connection failures and 5xx answers are retried with exponential
 * backoff from 100 ms, doubling, capped at 4 s, for at least 8 attempts and up to a 2-minute budget;
 * a 4xx is raised at once. Each upload carries one random upload id kept across its retries.
 *
 * <p>Its deltas are a deterministic function of the downloaded model, the round and its index, so
 * a run's final model depends only on what the coordinator counted; before each update it charges
 * a DP spend of the round to its budget (once, kept across retries), signs it with its identity key
 * and posts its whole log to {@code /v1/spends} (idempotent), then names the spend in the upload.
 */
final class RetryingFakeSilo implements Callable<Void> {
  /** Where the silo is, for labelling the moment of a kill. */
  enum Phase { ENROLLED, JOINING, POLLING, DOWNLOADING, TRAINING, UPLOADING, DONE }

  static final long INITIAL_BACKOFF_MILLIS = 100;
  static final long MAX_BACKOFF_MILLIS = 4_000;
  static final int MAX_ATTEMPTS = 8;
  static final Duration RETRY_BUDGET = Duration.ofMinutes(2);

  private final String name;
  private final int index;
  private final String bearer;
  private final URI base;
  private final long trainMillis;
  private final AtomicLong lastAnswerNanos;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
      .version(HttpClient.Version.HTTP_1_1).build();
  private final SecureRandom random = new SecureRandom();
  private volatile Phase phase = Phase.ENROLLED;
  private volatile int round;
  private volatile int acknowledgedRound;
  private volatile int duplicates;
  private volatile int retries;
  private final SiloSpends spends;

  /**
   * @param bearer the token this silo got at enrolment
   * @param trainMillis how long its "training" takes: spreads the uploads of a round apart
   * @param lastAnswerNanos set to {@link System#nanoTime()} whenever any answer arrives
   */
  RetryingFakeSilo(String name, int index, String bearer, URI base, long trainMillis, AtomicLong lastAnswerNanos) {
    this.name = name;
    this.index = index;
    this.bearer = bearer;
    this.base = base;
    this.trainMillis = trainMillis;
    this.lastAnswerNanos = lastAnswerNanos;
    this.spends = new SiloSpends(name);
  }

  @Override
  public Void call() throws Exception {
    phase = Phase.JOINING;
    send(authorized(HttpRequest.newBuilder(base.resolve(Wire.CLIENTS)))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
            new JsonObject().put("identity_key", spends.identityKey()).encode())), 201);
    int last = 0;
    while (true) {
      phase = Phase.POLLING;
      JsonObject state = new JsonObject(new String(send(authorized(HttpRequest.newBuilder(
          base.resolve(Wire.ROUND + "?after=" + last))).timeout(Duration.ofSeconds(60)).GET(), 200).body(),
          StandardCharsets.UTF_8));
      if (state.getString("state").equals("finished")) {
        phase = Phase.DONE;
        return null;
      }
      int r = state.getInteger("round");
      if (!state.getString("state").equals("training") || r <= last) {
        continue;
      }
      round = r;
      phase = Phase.DOWNLOADING;
      HttpResponse<byte[]> m = send(authorized(HttpRequest.newBuilder(base.resolve(Wire.MODEL_PARAMETERS))).GET(), 200);
      int version = Integer.parseInt(m.headers().firstValue(Wire.HEADER_MODEL_VERSION).orElseThrow());
      float[] model = ParameterCodec.decode(m.body(), CrashTestCoordinatorMain.SPEC.parameterCount());
      phase = Phase.TRAINING;
      Thread.sleep(trainMillis);
      float[] delta = new float[model.length];
      for (int i = 0; i < delta.length; i++) {
        delta[i] = 0.01f * (index + 1) * (float) Math.sin(i + r) - 0.1f * model[i];
      }
      byte[] id = new byte[16];
      random.nextBytes(id);
      phase = Phase.UPLOADING;
      if (spends.budget.rounds() == 0 || spends.budget.log().get(spends.budget.log().size() - 1).round() != r) {
        spends.budget.spend(r, Federation.ROUND_MECHANISM, 1.25, 0.05, 20, 1.0); // charged once per round
      }
      long counter = spends.budget.log().size() - 1;
      send(authorized(HttpRequest.newBuilder(base.resolve(Wire.SPENDS))).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(org.hedgerow.aggregation.wire.SpendJson.batch(spends.log()))), 200);
      HttpResponse<byte[]> up = send(authorized(HttpRequest.newBuilder(base.resolve(Wire.update(r))))
          .header(Wire.HEADER_UPLOAD_ID, HexFormat.of().formatHex(id)) // one per update, kept across retries
          .header("Content-Type", Wire.OCTET_STREAM)
          .header(Wire.HEADER_MODEL_VERSION, Integer.toString(version))
          .header(Wire.HEADER_SPEC_HASH, CrashTestCoordinatorMain.SPEC.hash())
          .header(Wire.HEADER_EXAMPLES, Integer.toString(10 * (index + 1)))
          .header(Wire.HEADER_DP_SPEND_COUNTER, Long.toString(counter))
          .PUT(HttpRequest.BodyPublishers.ofByteArray(ParameterCodec.encode(delta))), 202);
      if (Boolean.TRUE.equals(new JsonObject(new String(up.body(), StandardCharsets.UTF_8)).getBoolean("duplicate"))) {
        duplicates++;
      }
      acknowledgedRound = r;
      last = r;
    }
  }

  private HttpRequest.Builder authorized(HttpRequest.Builder b) {
    return b.header("Authorization", "Bearer " + bearer);
  }

  /** {@code CoordinatorClient.send}'s retry rule (see the class comment). */
  private HttpResponse<byte[]> send(HttpRequest.Builder request, int expectedStatus) throws InterruptedException {
    HttpRequest req = request.build();
    long backoff = INITIAL_BACKOFF_MILLIS;
    long deadline = System.nanoTime() + RETRY_BUDGET.toNanos();
    for (int attempt = 1; ; attempt++) {
      boolean lastAttempt = attempt >= MAX_ATTEMPTS && System.nanoTime() + backoff * 1_000_000 > deadline;
      try {
        HttpResponse<byte[]> r = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
        lastAnswerNanos.set(System.nanoTime());
        if (r.statusCode() == expectedStatus) {
          return r;
        }
        if (r.statusCode() < 500) {
          throw new IllegalStateException(name + ": " + req.method() + " " + req.uri().getPath() + " refused ("
              + r.statusCode() + "): " + new String(r.body(), StandardCharsets.UTF_8));
        }
        if (lastAttempt) {
          throw new IllegalStateException(name + ": " + req.method() + " " + req.uri().getPath() + " failed with "
              + r.statusCode() + " after " + attempt + " attempts");
        }
      } catch (IOException e) {
        if (lastAttempt) {
          throw new IllegalStateException(name + ": cannot reach the coordinator at " + base + " after " + attempt
              + " attempts (" + e + ")", e);
        }
      }
      retries++;
      Thread.sleep(backoff);
      backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
    }
  }

  String name() {
    return name;
  }

  Phase phase() {
    return phase;
  }

  /** The round it is working on (0 before round 1). */
  int round() {
    return round;
  }

  /** The last round whose upload the coordinator acknowledged (202). */
  int acknowledgedRound() {
    return acknowledgedRound;
  }

  /** Uploads answered {@code "duplicate": true}: a retry of an update stored before the answer was lost. */
  int duplicates() {
    return duplicates;
  }

  /** Requests retried after a connection failure or a 5xx. */
  int retries() {
    return retries;
  }
}
