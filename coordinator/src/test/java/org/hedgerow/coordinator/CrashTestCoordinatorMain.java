package org.hedgerow.coordinator;

import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.hedgerow.aggregation.model.ModelSpec;
import org.hedgerow.aggregation.strategy.FedAvg;
import org.hedgerow.aggregation.strategy.FitConfig;
import org.hedgerow.coordinator.store.JdbcCoordinatorStore;
import org.hedgerow.coordinator.store.StoreLocation;

/**
 * The coordinator process that {@link CoordinatorCrashResumeTest} kills with {@code kill -9}: a
 * FedAvg federation on an SQLite store, bound to a free loopback port it prints as {@code PORT n}.
 * Arguments: store file, rounds, clients, seed.
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
    JdbcCoordinatorStore store = JdbcCoordinatorStore.open(StoreLocation.parse("sqlite:" + db));
    CoordinatorVerticle v = new CoordinatorVerticle(CoordinatorOptions.of(SPEC, rounds, clients, seed),
        new FedAvg(new FitConfig(1, 8, seed)), null, store);
    Vertx vertx = Vertx.vertx();
    vertx.deployVerticle(v).await(30, TimeUnit.SECONDS);
    System.out.println("PORT " + v.port());
    System.out.flush();
    Thread.currentThread().join(); // until killed
  }
}
