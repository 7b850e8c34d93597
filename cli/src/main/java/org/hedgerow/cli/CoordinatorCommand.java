package org.hedgerow.cli;

import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import org.hedgerow.aggregation.strategy.Aggregators;
import org.hedgerow.coordinator.AccessControl;
import org.hedgerow.coordinator.ops.GracefulShutdown;
import org.hedgerow.coordinator.store.CoordinatorStore;
import org.hedgerow.coordinator.store.JdbcCoordinatorStore;
import org.hedgerow.coordinator.store.StoreLocation;
import org.hedgerow.simulations.Scenario;
import org.hedgerow.simulations.Simulation;
import picocli.CommandLine.Mixin;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.hedgerow.aggregation.model.ModelSpec;
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
    @Option(names = "--exit-after-final", description = "Exit 2 s after the last round instead of serving the final "
        + "state until SIGTERM (scripts that wait for the process to end).")
    boolean exitAfterFinal;
    @Mixin RunOptions overrides;
    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec command;

    @Override
    public Integer call() throws Exception {
      Scenario sc = (scenarioFile == null ? Scenario.bundledDefault() : Scenario.load(scenarioFile))
          .with(overrides.asJson(), "command line");
      int r = sc.rounds();
      long sd = sc.seed();
      if (sc.secureAggregation().enabled() || sc.privacy().equals("central")) {
        throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "coordinator start does not "
            + "run secure aggregation or central DP yet (scenario asks for " + (sc.secureAggregation().enabled()
            ? "secure aggregation" : "central DP") + "); local DP at the silos works with any coordinator");
      }
      ModelSpec spec = new Simulation(sc, System.out).modelSpec();
      FitConfig fit = new FitConfig(sc.localEpochs(), batchSize != null ? batchSize : sc.batchSize(), sd);
      if (dir == null && clients == null) {
        throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
            "--clients is required without --dir (open registration has no enrolled silos to wait for)");
      }
      int expected = clients == null ? 0 : clients;
      int min = minClients != null ? minClients : Math.max(1, expected);
      String declared = privacy != null ? privacy
          : sc.privacy().equals("local") ? CoordinatorOptions.PRIVACY_LOCAL : CoordinatorOptions.PRIVACY_NONE;
      CoordinatorOptions o;
      try {
        o = new CoordinatorOptions(host, port, spec, r, expected, min, deadlineSeconds * 1000, sd,
            Math.max(CoordinatorOptions.DEFAULT_MAX_UPLOAD_BYTES, 4L * spec.parameterCount() + 1024), clientsPerRound,
            declared);
      } catch (IllegalArgumentException e) {
        throw new picocli.CommandLine.ParameterException(command.commandLine(), e.getMessage());
      }
      String storeSpec = store != null ? store
          : dir != null ? "sqlite:" + dir.resolve("coordinator.db") : null;
      CoordinatorStore st = storeSpec == null ? null : JdbcCoordinatorStore.open(StoreLocation.parse(storeSpec));
      AccessControl access = dir == null ? null : AccessControl.load(dir, st, !insecureHttp);
      CoordinatorVerticle v = new CoordinatorVerticle(o, Aggregators.create(sc.aggregator(), fit), null, st, access);
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
