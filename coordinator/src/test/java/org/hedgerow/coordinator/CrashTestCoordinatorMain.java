package org.hedgerow.coordinator;

import org.hedgerow.coordinator.service.CoordinatorVerticle;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.hedgerow.aggregation.model.ModelSpec;
import org.hedgerow.aggregation.strategy.FedAvg;
import org.hedgerow.aggregation.strategy.FitConfig;
import org.hedgerow.coordinator.ops.GracefulShutdown;
import org.hedgerow.coordinator.store.JdbcCoordinatorStore;
import org.hedgerow.coordinator.store.StoreLocation;

/**
 * The coordinator process that the crash-resume tests kill with {@code kill -9}: a FedAvg
 * federation on an SQLite store, bound to a loopback port it prints as {@code PORT n}. After that it
 * prints {@code CLOSED r} when round r closes and {@code FINISHED} at the end. SIGTERM runs the same
 * graceful shutdown as {@code hedgerow coordinator start} (drain, stop listening, close the store).
 *
 * <p>Arguments: store file, rounds, clients, seed, and optionally the port (0: any free one) and a
 * state directory (made by {@code StateDirectory.init}): with one it runs as a service with TLS off,
 * letting in only enrolled silos by their bearer tokens, as {@code coordinator start --insecure-http}.
 */
public final class CrashTestCoordinatorMain {
  static final ModelSpec SPEC = new ModelSpec("crash-test", List.of(4, 3, 1), "relu", "sigmoid", 0,
      "binary-cross-entropy", 1e-3);

  private CrashTestCoordinatorMain() {}

  public static void main(String[] args) throws Exception {
    String db = args[0];
    int rounds = Integer.parseInt(args[1]);
    int clients = Integer.parseInt(args[2]);
    long seed = Long.parseLong(args[3]);
    int port = args.length > 4 ? Integer.parseInt(args[4]) : 0;
    Path stateDir = args.length > 5 ? Path.of(args[5]) : null;
    JdbcCoordinatorStore store = JdbcCoordinatorStore.open(StoreLocation.parse("sqlite:" + db));
    AccessControl access = stateDir == null ? null : AccessControl.load(stateDir, store, false);
    CoordinatorVerticle v = Coordinators.builder(CoordinatorOptions.of(SPEC, rounds, clients, seed).withPort(port),
        new FitConfig(1, 8, seed)).store(store).access(access).build();
    v.onRoundClosed((rec, model) -> event("CLOSED " + rec.round()));
    v.onFinished(reason -> event("FINISHED"));
    Vertx vertx = Vertx.vertx();
    vertx.deployVerticle(v).await(30, TimeUnit.SECONDS);
    new GracefulShutdown(v.inFlight(), () -> v.shutdown(5, TimeUnit.SECONDS), Duration.ofSeconds(5), () -> {
      vertx.close().await(10, TimeUnit.SECONDS);
      store.close();
    }).installHook();
    event("PORT " + v.port());
    Thread.currentThread().join(); // until killed or terminated
  }

  private static synchronized void event(String line) {
    System.out.println(line);
    System.out.flush();
  }
}
