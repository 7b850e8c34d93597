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
import org.hedgerow.coordinator.CoordinatorVerticle;
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
        + "not revoked silo; required without --dir).")
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
        + "(default: ceil(k/2) + 1); a round with fewer survivors aborts and reveals nothing.")
    Integer threshold;
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
    @Option(names = "--exit-after-final", description = "Exit 2 s after the last round instead of serving the final "
        + "state until SIGTERM (scripts that wait for the process to end).")
    boolean exitAfterFinal;
    @Mixin RunOptions overrides;
    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec command;

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
        String declared = privacy != null ? privacy
            : sc.privacy().equals("local") ? CoordinatorOptions.PRIVACY_LOCAL : CoordinatorOptions.PRIVACY_NONE;
        config = sc.federationConfig().withPrivacy(declared);
        if (batchSize != null) {
          config = config.withFit(new FitConfig(config.fit().localEpochs(), batchSize, config.fit().seed()));
        }
        SecureAggregationOptions sa = config.secureAggregation();
        if (sa == null && (neighbours != null || threshold != null || bits != null || stageDeadlineSeconds != null)) {
          throw new IllegalArgumentException("--neighbours, --threshold, --bits and --stage-deadline-seconds need "
              + "--secure-aggregation secagg or secagg+");
        }
        if (sa != null) {
          // Stage 0 (advertise-keys) covers local training, so it gets the round deadline.
          config = config.withSecureAggregation(new SecureAggregationOptions(sa.mode(),
              neighbours != null ? neighbours : sa.neighbours(), threshold != null ? threshold : sa.threshold(),
              bits != null ? bits : sa.bits(), sa.clip(), sa.weightCap(), deadlineSeconds * 1000,
              stageDeadlineSeconds != null ? stageDeadlineSeconds * 1000 : sa.stageDeadlineMillis()));
        }
        if (dir == null && clients == null) {
          throw new IllegalArgumentException("--clients is required without --dir (open registration has no enrolled "
              + "silos to wait for)");
        }
        builder = CoordinatorBuilder.of(config).listen(host, port)
            .clients(clients == null ? 0 : clients, minClients).clientsPerRound(clientsPerRound)
            .roundDeadlineMillis(deadlineSeconds * 1000);
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
          "round %d closed: %d clients, %d examples, %.1f s, loss %.4f%n", rec.round(), rec.clients(), rec.examples(),
          rec.seconds(), rec.trainLoss()));
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
        System.out.printf("secure aggregation %s: updates only as masked sums; k %s, t %s, bits %s, stage deadline %d s "
            + "(advertise-keys: the round deadline)%n", sa.mode(), sa.neighbours() == null ? "default" : sa.neighbours(),
            sa.threshold() == null ? "default" : sa.threshold(), sa.bits() == null ? "default" : sa.bits(),
            sa.stageDeadlineMillis() / 1000);
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
