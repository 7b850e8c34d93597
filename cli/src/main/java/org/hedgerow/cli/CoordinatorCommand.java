package org.hedgerow.cli;

import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.hedgerow.aggregation.model.ModelSpec;
import org.hedgerow.aggregation.strategy.FedAvg;
import org.hedgerow.aggregation.strategy.FitConfig;
import org.hedgerow.coordinator.CoordinatorOptions;
import org.hedgerow.coordinator.CoordinatorVerticle;
import org.hedgerow.edge.features.FeatureExtractor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code hedgerow coordinator}: the federation's server, as its own process. */
@Command(name = "coordinator", mixinStandardHelpOptions = true,
    description = "Run the coordinator.", subcommands = {CoordinatorCommand.Start.class, CoordinatorInitCommand.class,
        CoordinatorTokenCommand.class, CoordinatorRevokeCommand.class})
public class CoordinatorCommand implements Runnable {
  @Override
  public void run() {
    new picocli.CommandLine(this).usage(System.out);
  }

  /** {@code hedgerow coordinator start}. */
  @Command(name = "start", mixinStandardHelpOptions = true,
      description = "Serve a federation of --clients silos for --rounds rounds, then exit.")
  static class Start implements java.util.concurrent.Callable<Integer> {
    @Option(names = "--host", defaultValue = CoordinatorOptions.DEFAULT_HOST) String host;
    @Option(names = "--port", defaultValue = "8443") int port;
    @Option(names = "--clients", required = true, description = "Silos to wait for before round 1.") int clients;
    @Option(names = "--min-clients", description = "Fewest updates a round may close with at its deadline (default: all).")
    Integer minClients;
    @Option(names = "--rounds", defaultValue = "10") int rounds;
    @Option(names = "--deadline-seconds", defaultValue = "600") long deadlineSeconds;
    @Option(names = "--local-epochs", defaultValue = "1") int localEpochs;
    @Option(names = "--batch-size", defaultValue = "512") int batchSize;
    @Option(names = "--dropout", defaultValue = "0.5") double dropout;
    @Option(names = "--seed", defaultValue = "42") long seed;

    @Override
    public Integer call() throws Exception {
      ModelSpec spec = new ModelSpec(FeatureExtractor.SCHEMA, List.of(FeatureExtractor.FEATURES, 128, 64, 32, 1),
          "relu", "sigmoid", dropout, "binary-cross-entropy", 1e-3);
      FitConfig fit = new FitConfig(localEpochs, batchSize, seed);
      CoordinatorOptions o = new CoordinatorOptions(host, port, spec, rounds, clients,
          minClients == null ? clients : minClients, deadlineSeconds * 1000, seed,
          CoordinatorOptions.DEFAULT_MAX_UPLOAD_BYTES);
      CoordinatorVerticle v = new CoordinatorVerticle(o, new FedAvg(fit));
      CountDownLatch done = new CountDownLatch(1);
      v.onRoundClosed((rec, model) -> {
        System.out.printf("round %d closed: %d clients, %d examples, %.1f s, loss %.4f%n", rec.round(), rec.clients(),
            rec.examples(), rec.seconds(), rec.trainLoss());
        if (rec.round() >= rounds) {
          done.countDown();
        }
      });
      v.onFinished(reason -> {
        System.out.println("federation finished: " + reason);
        done.countDown();
      });
      Vertx vertx = Vertx.vertx();
      vertx.deployVerticle(v).await(30, TimeUnit.SECONDS);
      System.out.printf("coordinator on http://%s:%d: waiting for %d clients, %d rounds%n", host, v.port(), clients, rounds);
      done.await();
      Thread.sleep(2_000); // let clients' long polls see "finished" and fetch the final model
      vertx.close().await(30, TimeUnit.SECONDS);
      return 0;
    }
  }
}
