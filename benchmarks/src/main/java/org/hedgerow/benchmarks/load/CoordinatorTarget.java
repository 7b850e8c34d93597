package org.hedgerow.benchmarks.load;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.PemTrustOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.hedgerow.aggregation.model.ModelSpec;
import org.hedgerow.aggregation.strategy.FitConfig;
import org.hedgerow.aggregation.wire.EnrolmentAnswer;
import org.hedgerow.aggregation.wire.EnrolmentRequest;
import org.hedgerow.aggregation.wire.EnrolmentTokenAnswer;
import org.hedgerow.aggregation.wire.EnrolmentTokenRequest;
import org.hedgerow.aggregation.wire.JoinAnswer;
import org.hedgerow.aggregation.wire.JoinRequest;
import org.hedgerow.aggregation.wire.Wire;
import org.hedgerow.aggregation.wire.WireJson;
import org.hedgerow.coordinator.AccessControl;
import org.hedgerow.coordinator.service.CoordinatorVerticle;
import org.hedgerow.coordinator.assembly.CoordinatorBuilder;
import org.hedgerow.coordinator.assembly.FederationConfig;
import org.hedgerow.aggregation.strategy.AggregatorSpec;
import org.hedgerow.coordinator.auth.StateDirectory;
import org.hedgerow.coordinator.store.CoordinatorStore;
import org.hedgerow.coordinator.store.JdbcCoordinatorStore;
import org.hedgerow.coordinator.store.StoreLocation;

/**
 * The Hedgerow coordinator verticle, FedAvg, one round with exactly {@code clients} expected, each
 * wave on a fresh SQLite store ({@code synchronous=FULL}, in a temporary directory on the local disk).
 * Untimed set-up brings every simulated silo to the point where it only has to upload; the timed
 * wave is one {@code PUT /v1/rounds/1/update} per silo, by default with its own upload id as real
 * clients send it (see {@link #CoordinatorTarget(ModelSpec, Mode, boolean)}). Three ways to run it:
 * <ul>
 *   <li>{@link Mode#OPEN}: in-process open registration ({@code POST /v1/clients} with a silo name,
 *       bearer token back), as {@code hedgerow demo} and {@code simulate} without a state directory.</li>
 *   <li>{@link Mode#SERVICE}: the service with TLS off ({@code AccessControl.load(dir, store, false)}):
 *       the operator issues an enrolment token per silo, the silo redeems it for a bearer token and
 *       joins; uploads pass the authenticator and the per-client rate limit.</li>
 *   <li>{@link Mode#SERVICE_TLS}: the service with mutual TLS: each silo has its own P-256 key, sends a
 *       CSR with its enrolment token, gets its own certificate from the federation CA, and joins and
 *       uploads authenticated by that certificate over its own TLS connection. Silos trust only the
 *       CA, as real ones do.</li>
 * </ul>
 */
public final class CoordinatorTarget implements LoadTarget {
  /** How the coordinator lets silos in. */
  public enum Mode { OPEN, SERVICE, SERVICE_TLS }

  /**
   * What the simulated silo's training reports with each update, as {@code CoordinatorClient} sends it
   * ({@code X-Hedgerow-Train-Seconds}, {@code X-Hedgerow-Train-Loss}): fixed values, the bench trains nothing.
   */
  static final double TRAIN_SECONDS = 1.0;
  static final double TRAIN_LOSS = 0.6931471805599453;

  private final ModelSpec spec;
  private final Mode mode;
  /** Whether each upload carries its own upload id (and the training headers), as a real client's does. */
  private final boolean uploadIds;
  private final java.security.SecureRandom random = new java.security.SecureRandom();
  /** One CA and operator token for every wave (fresh stores make the enrolments per wave). */
  private Path stateDir;
  private String operatorToken;
  private PemTrustOptions trustCa;
  private final List<SiloIdentity> identities = new ArrayList<>();
  private Path waveDir;
  private CoordinatorStore store;
  private CoordinatorVerticle verticle;
  private String deployment;
  private Vertx vertx;
  private CountDownLatch roundClosed;

  /** Uploads as real clients send them: each with its own upload id. */
  public CoordinatorTarget(ModelSpec spec, Mode mode) {
    this(spec, mode, true);
  }

  /**
   * @param uploadIds true: each upload carries a fresh random upload id ({@code X-Hedgerow-Upload-Id}, 16
   *     random bytes in hex) and the training headers, exactly as {@code CoordinatorClient.upload} sends
   *     them, so the coordinator binds the id to the upload (SHA-256 of round, headers and body); false:
   *     neither, as the bench sent before session 8 (the name gets "-noid")
   */
  public CoordinatorTarget(ModelSpec spec, Mode mode, boolean uploadIds) {
    this.spec = spec;
    this.mode = mode;
    this.uploadIds = uploadIds;
  }

  @Override
  public String name() {
    String base = switch (mode) {
      case OPEN -> "coordinator-open";
      case SERVICE -> "coordinator";
      case SERVICE_TLS -> "coordinator-tls";
    };
    return uploadIds ? base : base + "-noid";
  }

  @Override
  public boolean tls() {
    return mode == Mode.SERVICE_TLS;
  }

  @Override
  public int start(Vertx vertx, int clients, byte[] body) throws Exception {
    this.vertx = vertx;
    waveDir = Files.createTempDirectory("hedgerow-loadbench-coordinator-");
    store = JdbcCoordinatorStore.open(StoreLocation.sqlite(waveDir.resolve("coordinator.db")));
    AccessControl access = null;
    if (mode != Mode.OPEN) {
      if (stateDir == null) {
        stateDir = Files.createTempDirectory("hedgerow-loadbench-state-");
        StateDirectory.init(stateDir, List.of());
        operatorToken = StateDirectory.readToken(stateDir.resolve(StateDirectory.OPERATOR_TOKEN));
        trustCa = new PemTrustOptions().addCertPath(stateDir.resolve(StateDirectory.CA).toString());
      }
      access = AccessControl.load(stateDir, store, mode == Mode.SERVICE_TLS);
    }
    // Assembled as 'coordinator start' assembles it: one round of FedAvg, every client required.
    verticle = CoordinatorBuilder.of(FederationConfig.plain(spec, 1, 1, new FitConfig(1, 32, 1), AggregatorSpec.DEFAULT))
        .clients(clients, clients).store(store).access(access)
        // Every simulated silo enrols from the one loopback address in the untimed set-up: lift the per-address
        // enrolment rate limit (2/s) for it. The timed uploads keep every other limit.
        .limits(org.hedgerow.coordinator.ServiceLimits.DEFAULTS.withEnrolRate(1e6, 1e6)).build();
    roundClosed = new CountDownLatch(1);
    verticle.onRoundClosed((rec, model) -> {
      // Aggregation inside the close (for a streamed rule: the last updates' turn and the final division).
      System.out.printf(java.util.Locale.ROOT, "# %s N=%d: aggregation at the close %.1f ms%n", name(), clients,
          rec.aggregationSeconds() * 1000);
      roundClosed.countDown();
    });
    deployment = vertx.deployVerticle(verticle).await(60, TimeUnit.SECONDS);
    return verticle.port();
  }

  @Override
  public List<Upload> prepare(HttpClient client, int port, int clients) throws Exception {
    if (mode == Mode.SERVICE_TLS) {
      while (identities.size() < clients) { // keys and CSRs are made once and reused by every wave
        identities.add(SiloIdentity.generate(String.format("silo-%05d", identities.size())));
      }
    }
    List<Future<Upload>> uploads = new ArrayList<>(clients);
    for (int i = 0; i < clients; i++) {
      String silo = String.format("silo-%05d", i);
      uploads.add(switch (mode) {
        case OPEN -> post(client, port, Wire.CLIENTS, null, null, new JoinRequest(silo, null), 201, JoinAnswer.class)
            .map(r -> upload("Bearer " + r.token(), null));
        case SERVICE -> enrolmentToken(client, port, silo)
            .compose(t -> post(client, port, Wire.ENROL, null, null, new EnrolmentRequest(t, null, null, null), 201,
                EnrolmentAnswer.class))
            .map(r -> "Bearer " + r.token())
            .compose(auth -> post(client, port, Wire.CLIENTS, auth, null, null, 201, JoinAnswer.class)
                .map(r -> upload(auth, null)));
        case SERVICE_TLS -> {
          SiloIdentity id = identities.get(i);
          yield enrolmentToken(client, port, silo)
              .compose(t -> post(client, port, Wire.ENROL, null, null,
                  new EnrolmentRequest(t, id.csrPem(), null, null), 201, EnrolmentAnswer.class))
              .map(r -> id.sslOptions(r.certificate(), trustCa))
              .compose(ssl -> post(client, port, Wire.CLIENTS, null, ssl, null, 201, JoinAnswer.class)
                  .map(r -> upload(null, ssl)));
        }
      });
    }
    List<Upload> out = new ArrayList<>(clients);
    for (Future<Upload> f : uploads) {
      out.add(f.await(300, TimeUnit.SECONDS));
    }
    return out;
  }

  private Upload upload(String authorization, ClientSSLOptions ssl) {
    MultiMap h = MultiMap.caseInsensitiveMultiMap()
        .add("Content-Type", Wire.OCTET_STREAM)
        .add(Wire.HEADER_MODEL_VERSION, "0")
        .add(Wire.HEADER_SPEC_HASH, spec.hash())
        .add(Wire.HEADER_EXAMPLES, "1");
    if (uploadIds) {
      // As CoordinatorClient.upload: one random id per update (kept across its retries; the bench never retries).
      byte[] id = new byte[16];
      random.nextBytes(id);
      h.add(Wire.HEADER_UPLOAD_ID, java.util.HexFormat.of().formatHex(id))
          .add(Wire.HEADER_TRAIN_SECONDS, Double.toString(TRAIN_SECONDS))
          .add(Wire.HEADER_TRAIN_LOSS, Double.toString(TRAIN_LOSS));
    }
    if (authorization != null) {
      h.add("Authorization", authorization);
    }
    return new Upload(Wire.update(1), h, ssl);
  }

  private Future<String> enrolmentToken(HttpClient client, int port, String silo) {
    return post(client, port, Wire.ADMIN_ENROLMENT_TOKENS, "Bearer " + operatorToken, null,
        new EnrolmentTokenRequest(silo, null), 201, EnrolmentTokenAnswer.class).map(EnrolmentTokenAnswer::token);
  }

  /** POSTs {@code body} (none if null) and returns the JSON answer, failing unless the status is {@code expected}. */
  /** POSTs the wire record {@code body} (null: none) and reads the answer as {@code answer}. */
  private static <T> Future<T> post(HttpClient client, int port, String uri, String authorization,
      ClientSSLOptions ssl, Object body, int expected, Class<T> answer) {
    RequestOptions o = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port).setURI(uri)
        .putHeader("Content-Type", "application/json");
    if (authorization != null) {
      o.putHeader("Authorization", authorization);
    }
    if (ssl != null) {
      o.setSslOptions(ssl);
    }
    Function<io.vertx.core.http.HttpClientResponse, Future<T>> read = resp -> resp.body().map(b -> {
      if (resp.statusCode() != expected) {
        throw new IllegalStateException("POST " + uri + " answered " + resp.statusCode() + " (expected " + expected
            + "): " + b);
      }
      return WireJson.decode(b.toString(), answer);
    });
    return client.request(o).compose(req -> body == null ? req.send() : req.send(Buffer.buffer(WireJson.encode(body))))
        .compose(read);
  }

  @Override
  public void verify(int clients) throws Exception {
    if (!roundClosed.await(60, TimeUnit.SECONDS)) {
      throw new IllegalStateException(name() + ": round 1 did not close after " + clients + " uploads");
    }
  }

  @Override
  public void stop() throws Exception {
    vertx.undeploy(deployment).await(60, TimeUnit.SECONDS);
    verticle = null;
    store.close();
    try (var files = Files.walk(waveDir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }
}
