package org.hedgerow.cli;

import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import org.hedgerow.coordinator.AccessControl;
import org.hedgerow.coordinator.ops.GracefulShutdown;
import org.hedgerow.coordinator.store.CoordinatorStore;
import org.hedgerow.coordinator.store.JdbcCoordinatorStore;
import org.hedgerow.coordinator.store.StoreLocation;
import org.hedgerow.simulations.Scenario;
import org.hedgerow.coordinator.assembly.CoordinatorBuilder;
import org.hedgerow.coordinator.assembly.FederationConfig;
import org.hedgerow.coordinator.secagg.SecureAggregationOptions;
import picocli.CommandLine.Mixin;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.hedgerow.aggregation.strategy.FitConfig;
import org.hedgerow.coordinator.CoordinatorOptions;
import org.hedgerow.coordinator.ServiceLimits;
import org.hedgerow.coordinator.service.CoordinatorVerticle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code hedgerow coordinator}: the federation's server, as its own process. */
@Command(name = "coordinator", mixinStandardHelpOptions = true,
    description = "Run the coordinator.", subcommands = {CoordinatorCommand.Start.class, CoordinatorInitCommand.class,
        CoordinatorTokenCommand.class, CoordinatorRevokeCommand.class, CoordinatorRotateTokensCommand.class})
public class CoordinatorCommand implements Runnable {
  @Override
  public void run() {
    new picocli.CommandLine(this).usage(System.out);
  }

  /** {@code hedgerow coordinator start}. */
  @Command(name = "start", mixinStandardHelpOptions = true,
      description = "Serve a federation; after its last round keep serving status, ledger and the final model "
          + "until SIGTERM (or exit then with --exit-after-final). With --dir (made by 'coordinator init'): "
          + "HTTPS, enrolled silos only (mutual TLS), operator/auditor tokens, admin API, ledger and metrics; "
          + "resumes from --store after a crash. Without --dir: open registration on plain HTTP (development).")
  static class Start implements java.util.concurrent.Callable<Integer> {
    @Option(names = "--dir", description = "State directory from 'hedgerow coordinator init'.")
    Path dir;
    @Option(names = "--store", description = "sqlite:PATH or postgresql://user:pass@host:port/db "
        + "(default: sqlite:DIR/coordinator.db with --dir, else a temporary SQLite file).")
    String store;
    @Option(names = "--scenario", description = "Scenario JSON: model, rounds, seed, local epochs, batch size, "
        + "aggregator (keys not given take the bundled default).")
    Path scenarioFile;
    @Option(names = "--host", defaultValue = CoordinatorOptions.DEFAULT_HOST) String host;
    @Option(names = "--port", defaultValue = "8443") int port;
    @Option(names = "--clients", description = "Silos to wait for before round 1 (default with --dir: every enrolled, "
        + "not revoked silo; required without --dir and with an offline CA).")
    Integer clients;
    @Option(names = "--min-clients", description = "Fewest updates a round may close with at its deadline (default: all).")
    Integer minClients;
    @Option(names = "--clients-per-round", defaultValue = "0", description = "Silos asked per round (0: all).")
    int clientsPerRound;
    @Option(names = "--deadline-seconds", defaultValue = "600") long deadlineSeconds;
    @Option(names = "--batch-size", description = "Default: the scenario's.") Integer batchSize;
    @Option(names = "--insecure-http", description = "With --dir: plain HTTP, silos use bearer tokens from enrolment "
        + "(benchmarks and trusted networks only).")
    boolean insecureHttp;
    @Option(names = "--privacy", description = "What the federation declares: none, or local (every update must be "
        + "paid for by a signed spend of its round, posted to /v1/spends first). Default: local if the scenario's "
        + "privacy is local, else none.")
    String privacy;
    @Option(names = "--neighbours", description = "With --secure-aggregation secagg+: k, each silo's neighbours in the "
        + "masking graph (default: the smallest even k >= 2 log2 n).")
    Integer neighbours;
    @Option(names = "--threshold", description = "With --secure-aggregation: t, Shamir shares needed to unmask "
        + "(default: ceil(k/2) + 1); a round with fewer survivors aborts and reveals nothing. Silos that assume up to "
        + "S colluding silos (client --max-sybils S) need t > (k + S)/2.")
    Integer threshold;
    @Option(names = "--assume-sybils", description = "With --secure-aggregation: raise each session's threshold to "
        + "t > (k + S)/2, so that up to S colluding silos among a silo's k neighbours cannot give the coordinator both "
        + "of its secrets (capped at k; silos can require it with client --max-sybils S).")
    Integer assumeSybils;
    @Option(names = "--bits", description = "With --secure-aggregation: quantisation bits per coordinate "
        + "(default: the most that cannot overflow for n silos).")
    Integer bits;
    @Option(names = "--stage-deadline-seconds", description = "With --secure-aggregation: deadline of each stage after "
        + "advertise-keys (which has the round deadline, as silos train first); silos that miss it are dropouts "
        + "(default: 60).")
    Long stageDeadlineSeconds;
    @Option(names = "--central-dp", description = "Central DP-FedAvg: the coordinator clips each silo's delta to "
        + "--clip-norm and adds Gaussian noise (--noise-multiplier, or calibrated from --epsilon-cap and --delta "
        + "over the rounds), spending its own budget in the ledger. Updates arrive in the clear (over TLS).")
    boolean centralDp;
    @Option(names = "--max-json-body-bytes", defaultValue = "" + ServiceLimits.DEFAULT_MAX_JSON_BODY_BYTES,
        description = "Largest body of the JSON routes: join, decline, admin, enrolment (default: ${DEFAULT-VALUE}; "
        + "at least 1024). Updates are limited to the model's size, spends to 64 KiB, SecAgg stages by n, k, d.")
    int maxJsonBodyBytes;
    @Option(names = "--max-long-polls", defaultValue = "" + ServiceLimits.DEFAULT_MAX_LONG_POLL_WAITERS,
        description = "Long polls that may wait at once: GET /v1/round?after=N, and apart from them the secure-"
        + "aggregation stage polls; beyond it 503 with Retry-After (default: ${DEFAULT-VALUE}).")
    int maxLongPolls;
    @Option(names = "--max-connections-per-address", defaultValue = "" + ServiceLimits.DEFAULT_MAX_CONNECTIONS_PER_ADDRESS,
        description = "Open connections one remote address may hold; requests on the ones beyond are answered 503 "
        + "and closed (default: ${DEFAULT-VALUE}; raise it for many silos behind one NAT or proxy).")
    int maxConnectionsPerAddress;
    @Option(names = "--body-read-timeout-seconds", defaultValue = "" + ServiceLimits.DEFAULT_BODY_READ_TIMEOUT_MILLIS / 1000,
        description = "A request whose body has not arrived this long after its headers (plus 1 s per 64 KiB "
        + "declared) is answered 408 and its connection closed (default: ${DEFAULT-VALUE}).")
    long bodyReadTimeoutSeconds;
    @Option(names = "--idle-timeout-seconds", defaultValue = "" + ServiceLimits.DEFAULT_IDLE_TIMEOUT_SECONDS,
        description = "A connection with nothing read or written for this long is closed; more than 20 (a long poll "
        + "waits 20 s) (default: ${DEFAULT-VALUE}).")
    long idleTimeoutSeconds;
    @Option(names = "--distributed-dp", paramLabel = "EPS", description = "With --secure-aggregation: distributed DP. "
        + "Each silo adds its share of discrete Gaussian noise to its integer update before masking, sized so that "
        + "the sum of t shares (t: the threshold) makes every silo's run (releases + rounds) spend at most EPS at "
        + "--delta; silos must run with a budget (--epsilon-cap EPS) and check the announced terms.")
    Double distributedDp;
    @Option(names = "--ddp-learning-rate", description = "With --distributed-dp: eta, the round's pseudo-delta is "
        + "-eta times the mean clipped customer gradient (default: 1).")
    Double ddpLearningRate;
    @Option(names = "--exit-after-final", description = "Exit 2 s after the last round instead of serving the final "
        + "state until SIGTERM (scripts that wait for the process to end).")
    boolean exitAfterFinal;
    @Mixin RunOptions overrides;
    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec command;

    /** The service limits the flags set; each refusal names its flag. */
    ServiceLimits serviceLimits() {
      if (maxJsonBodyBytes < 1024) {
        throw new IllegalArgumentException("--max-json-body-bytes must be >= 1024. Provided value: " + maxJsonBodyBytes);
      }
      if (maxLongPolls < 0) {
        throw new IllegalArgumentException("--max-long-polls must be >= 0. Provided value: " + maxLongPolls);
      }
      if (maxConnectionsPerAddress < 1) {
        throw new IllegalArgumentException("--max-connections-per-address must be >= 1. Provided value: "
            + maxConnectionsPerAddress);
      }
      if (bodyReadTimeoutSeconds < 1 || bodyReadTimeoutSeconds > 86_400) {
        throw new IllegalArgumentException("--body-read-timeout-seconds must be in [1, 86400]. Provided value: "
            + bodyReadTimeoutSeconds);
      }
      if (idleTimeoutSeconds <= 20 || idleTimeoutSeconds > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("--idle-timeout-seconds must be > 20 (a long poll waits 20 s). Provided "
            + "value: " + idleTimeoutSeconds);
      }
      ServiceLimits d = ServiceLimits.DEFAULTS;
      return new ServiceLimits(maxJsonBodyBytes, idleTimeoutSeconds, bodyReadTimeoutSeconds * 1000,
          maxConnectionsPerAddress, maxLongPolls, d.enrolPerSecond(), d.enrolBurst());
    }

    @Override
    public Integer call() throws Exception {
      com.fasterxml.jackson.databind.node.ObjectNode o0 = overrides.asJson();
      if (centralDp) {
        o0.put("privacy", "central"); // an --epsilon-cap is then the coordinator's cap, not the silos'
      }
      FederationConfig config;
      Scenario sc;
      CoordinatorBuilder builder;
      try {
        sc = (scenarioFile == null ? Scenario.bundledDefault() : Scenario.load(scenarioFile)).with(o0, "command line");
        if (sc.deterministicNoise() != null || org.hedgerow.privacy.noise.NoiseSource.isDeterministic()) {
          throw new IllegalArgumentException("coordinator start: " + ClientCommand.DETERMINISTIC_NOISE_REFUSED);
        }
        String declared = privacy != null ? privacy
            : sc.privacy().equals("local") ? CoordinatorOptions.PRIVACY_LOCAL : CoordinatorOptions.PRIVACY_NONE;
        config = sc.federationConfig().withPrivacy(declared);
        if (batchSize != null) {
          config = config.withFit(new FitConfig(config.fit().localEpochs(), batchSize, config.fit().seed()));
        }
        SecureAggregationOptions sa = config.secureAggregation();
        if (sa == null && (neighbours != null || threshold != null || bits != null || stageDeadlineSeconds != null
            || assumeSybils != null)) {
          throw new IllegalArgumentException("--neighbours, --threshold, --assume-sybils, --bits and "
              + "--stage-deadline-seconds need --secure-aggregation secagg or secagg+");
        }
        if (sa != null) {
          // Stage 0 (advertise-keys) covers local training, so it gets the round deadline.
          config = config.withSecureAggregation(new SecureAggregationOptions(sa.mode(),
              neighbours != null ? neighbours : sa.neighbours(), threshold != null ? threshold : sa.threshold(),
              bits != null ? bits : sa.bits(), sa.clip(), sa.weightCap(), deadlineSeconds * 1000,
              stageDeadlineSeconds != null ? stageDeadlineSeconds * 1000 : sa.stageDeadlineMillis()));
          if (assumeSybils != null) {
            config = config.withSecureAggregation(config.secureAggregation().withAssumedSybils(assumeSybils));
          }
        }
        if (distributedDp != null || ddpLearningRate != null) {
          if (config.secureAggregation() == null || distributedDp == null) {
            throw new IllegalArgumentException("--distributed-dp needs --secure-aggregation secagg or secagg+ (only the "
                + "sum of the silos' noise shares is private), and --ddp-learning-rate needs --distributed-dp");
          }
          config = config.withSecureAggregation(config.secureAggregation().withDistributedDp(
              new org.hedgerow.coordinator.secagg.DistributedDpOptions(distributedDp, sc.delta(), sc.clipNorm(),
                  ddpLearningRate != null ? ddpLearningRate : sc.ddpLearningRate(),
                  org.hedgerow.coordinator.secagg.DistributedDpOptions.DEFAULT_ROUNDING_INFLATION,
                  sc.statsNoiseMultiplier(), sc.countNoiseMultiplier(), config.rounds())));
        } else if (sc.distributedDp() && config.secureAggregation() != null) {
          config = config.withSecureAggregation(config.secureAggregation().withDistributedDp(sc.distributedDpOptions()));
        }
        if (dir != null && clients == null && !insecureHttp
            && org.hedgerow.coordinator.auth.StateDirectory.offlineCa(dir)) {
          throw new IllegalArgumentException("--clients is required with an offline CA (" + dir + " holds no CA key): "
              + "silos register on their first call, so the coordinator cannot count them in advance");
        }
        if (dir == null && clients == null) {
          throw new IllegalArgumentException("--clients is required without --dir (open registration has no enrolled "
              + "silos to wait for)");
        }
        builder = CoordinatorBuilder.of(config).listen(host, port)
            .clients(clients == null ? 0 : clients, minClients).clientsPerRound(clientsPerRound)
            .roundDeadlineMillis(deadlineSeconds * 1000).limits(serviceLimits());
        builder.options(); // settings that contradict each other fail here, before any store is opened
      } catch (IllegalArgumentException e) {
        throw new picocli.CommandLine.ParameterException(command.commandLine(), e.getMessage());
      }
      int r = config.rounds();
      int expected = clients == null ? 0 : clients;
      String storeSpec = store != null ? store
          : dir != null ? "sqlite:" + dir.resolve("coordinator.db") : null;
      StoreLocation location = storeSpec == null ? null : StoreLocation.parse(storeSpec);
      if (location != null && location.kind() == StoreLocation.Kind.POSTGRESQL && dir != null) {
        location = location.withBodyDirectory(dir.resolve("update-bodies")); // the open round's update bodies
      }
      CoordinatorStore st = location == null ? null : JdbcCoordinatorStore.open(location);
      AccessControl access = dir == null ? null : AccessControl.load(dir, st, !insecureHttp);
      CoordinatorVerticle v;
      try {
        v = builder.store(st).access(access).build();
      } catch (IllegalArgumentException e) {
        if (st != null) {
          st.close();
        }
        throw new picocli.CommandLine.ParameterException(command.commandLine(), e.getMessage());
      }
      CoordinatorOptions o = builder.options();
      CountDownLatch done = new CountDownLatch(1);
      v.onRoundClosed((rec, model) -> System.out.printf(java.util.Locale.ROOT,
          "round %d closed: %d clients, %d examples, %.1f s, loss %s%n", rec.round(), rec.clients(), rec.examples(),
          rec.seconds(), Double.isNaN(rec.trainLoss()) ? "— (not published)"
              : String.format(java.util.Locale.ROOT, "%.4f", rec.trainLoss())));
      v.onFinished(reason -> {
        System.out.println("federation finished: " + reason);
        done.countDown();
      });
      Vertx vertx = Vertx.vertx();
      vertx.deployVerticle(v).await(60, TimeUnit.SECONDS);
      // SIGTERM: stop taking requests, let those in flight finish, close the store; state stays resumable.
      GracefulShutdown shutdown = new GracefulShutdown(v.inFlight(), () -> v.shutdown(10, TimeUnit.SECONDS), Duration.ofSeconds(15),
          () -> {
            vertx.close().await(30, TimeUnit.SECONDS);
            if (st != null) {
              st.close();
            }
          }).installHook();
      String scheme = access != null && access.tls() ? "https" : "http";
      System.out.printf("coordinator on %s://%s:%d: %s, %d rounds, aggregator %s, privacy %s, store %s%n", scheme, host,
          v.port(), expected == 0 ? "waiting for every enrolled silo" : "waiting for " + expected + " silos", r,
          sc.aggregator(), o.privacy(),
          storeSpec == null ? "temporary" : storeSpec.replaceAll("//[^@/]*@", "//***@"));
      if (config.secureAggregation() != null) {
        SecureAggregationOptions sa = config.secureAggregation();
        System.out.printf("secure aggregation %s: updates only as masked sums; k %s, t %s%s, bits %s, stage deadline %d s "
            + "(advertise-keys: the round deadline)%n", sa.mode(), sa.neighbours() == null ? "default" : sa.neighbours(),
            sa.threshold() == null ? "default" : sa.threshold(),
            sa.assumedSybils() > 0 ? " (at least floor((k + " + sa.assumedSybils() + ")/2) + 1, up to k)" : "",
            sa.bits() == null ? "default" : sa.bits(), sa.stageDeadlineMillis() / 1000);
        if (sa.distributedDp() != null) {
          var d = sa.distributedDp();
          System.out.printf(java.util.Locale.ROOT, "distributed DP: every silo's run calibrated to epsilon %s at delta %s"
              + " over %d rounds (releases sigma %s and %s composed); noise multiplier %.6g per round on the sum of t "
              + "shares; clip %s, learning rate %s; spends in the ledger as '%s'%n", d.targetEpsilon(), d.delta(),
              d.rounds(), d.statsNoiseMultiplier(), d.countNoiseMultiplier(), d.noiseMultiplier(), d.clipNorm(),
              d.learningRate(), org.hedgerow.privacy.ledger.LedgerVerifier.DISTRIBUTED_MECHANISM);
        }
      }
      if (config.centralDp() != null) {
        System.out.printf(java.util.Locale.ROOT, "central DP: deltas clipped to %s, noise sigma %.6g x C, coordinator "
            + "cap epsilon %s at delta %s (spends in the ledger as '%s')%n", config.centralDp().clipNorm(),
            builder.centralNoiseMultiplier(), config.centralDp().epsilonCap(), config.centralDp().delta(),
            FederationConfig.CentralDp.HOLDER);
      }
      done.await();
      if (!exitAfterFinal) {
        // Keep serving status, the ledger and the final model: a silo retrying through a restart may come back
        // late. SIGTERM runs the graceful shutdown hook (exit 143).
        System.out.println("serving the final state until SIGTERM");
        new CountDownLatch(1).await();
      }
      Thread.sleep(2_000); // let clients' long polls see "finished" and fetch the final model
      shutdown.removeHook();
      shutdown.run();
      return 0;
    }
  }
}
