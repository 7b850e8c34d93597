package org.hedgerow.edge.silo;

import org.hedgerow.edge.features.TrainingSet;
import org.hedgerow.edge.model.PreferenceModel;

/**
 * One non-private round of local training at a silo: from the global model, with Adam's moments
 * reset, for the round's epochs, seeded by the round's seed and the silo's name. The one place that
 * defines it, so a silo trained by {@code hedgerow client}, by the simulator or by a cluster worker
 * ({@code hedgerow worker}) computes the same update from the same inputs, bit for bit.
 */
public final class LocalRound {
  private LocalRound() {}

  /**
   * The silo's update.
   *
   * @param delta local parameters minus the global ones
   * @param loss mean minibatch loss of the last epoch
   * @param examples the FedAvg weight: the silo's example count
   */
  public record Update(float[] delta, double loss, long examples) {}

  /**
   * Trains {@code model} (reused across rounds; its state is reset here) on {@code examples} from
   * {@code global}.
   */
  public static Update train(PreferenceModel model, TrainingSet examples, String silo, float[] global, int epochs,
      int batchSize, long roundSeed) {
    model.setParameters(global);
    model.resetOptimizer();
    double loss = model.fit(examples, epochs, batchSize, roundSeed ^ silo.hashCode());
    float[] local = model.parameters();
    float[] delta = new float[local.length];
    for (int i = 0; i < local.length; i++) {
      delta[i] = local[i] - global[i];
    }
    return new Update(delta, loss, examples.size());
  }
}
