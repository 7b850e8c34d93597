package org.hedgerow.edge.client;

import java.util.concurrent.Semaphore;
import org.hedgerow.aggregation.model.ModelSpec;
import org.hedgerow.edge.features.TrainingSet;
import org.hedgerow.edge.model.PreferenceModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One silo taking part in a federation: register, then for every round fetch the global model,
 * train on the silo's own examples, and upload the difference. Raw data never leaves this object;
 * only the parameter delta and the example count do.
 */
public final class EdgeClient {
  private static final Logger log = LoggerFactory.getLogger(EdgeClient.class);

  private final String silo;
  private final CoordinatorClient coordinator;
  private final ModelSpec spec;
  private final TrainingSet examples;
  private final Semaphore trainingSlots;
  private final long seed;
  private volatile int roundsDone;

  /**
   * @param trainingSlots shared by clients in one process so that at most that many train at once
   *     (DL4J runs one OpenMP thread per worker; parallelism comes from clients)
   */
  public EdgeClient(String silo, CoordinatorClient coordinator, ModelSpec spec, TrainingSet examples,
      Semaphore trainingSlots, long seed) {
    this.silo = silo;
    this.coordinator = coordinator;
    this.spec = spec;
    this.examples = examples;
    this.trainingSlots = trainingSlots;
    this.seed = seed;
  }

  public String silo() {
    return silo;
  }

  public int roundsDone() {
    return roundsDone;
  }

  /** Takes part in every round until the coordinator reports the federation finished. */
  public void run() throws InterruptedException {
    if (examples.size() == 0) {
      throw new IllegalStateException("silo " + silo + " has no training examples (needs customers with >= 2 training invoices)");
    }
    coordinator.register(silo);
    PreferenceModel model = new PreferenceModel(spec, seed);
    int lastRound = 0;
    while (true) {
      CoordinatorClient.RoundState state = coordinator.round(lastRound);
      if (state.finished()) {
        log.info("{}: federation finished after {} rounds", silo, state.round());
        return;
      }
      if (!state.training() || state.round() <= lastRound) {
        continue;
      }
      CoordinatorClient.GlobalModel global = coordinator.model(spec.parameterCount());
      if (!global.specHash().equals(spec.hash())) {
        throw new IllegalStateException("coordinator serves model spec " + global.specHash() + ", this client has " + spec.hash());
      }
      float[] delta;
      double seconds;
      double loss;
      trainingSlots.acquire();
      try {
        long t0 = System.nanoTime();
        model.setParameters(global.parameters());
        model.resetOptimizer();
        loss = model.fit(examples, state.localEpochs(), state.batchSize(), state.seed() ^ silo.hashCode());
        float[] local = model.parameters();
        delta = new float[local.length];
        for (int i = 0; i < local.length; i++) {
          delta[i] = local[i] - global.parameters()[i];
        }
        seconds = (System.nanoTime() - t0) / 1e9;
      } finally {
        trainingSlots.release();
      }
      coordinator.upload(state.round(), global.version(), spec.hash(), examples.size(), delta, seconds, loss);
      lastRound = state.round();
      roundsDone++;
    }
  }
}
