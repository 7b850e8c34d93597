package org.hedgerow.edge.silo;

import java.util.concurrent.Semaphore;
import org.hedgerow.aggregation.model.ModelSpec;
import org.hedgerow.edge.client.CoordinatorClient;
import org.hedgerow.edge.client.EdgeClient;
import org.hedgerow.edge.client.SecureAggregationPolicy;
import org.hedgerow.edge.dp.SiloPrivacy;
import org.hedgerow.edge.dp.SiloRelease;
import org.hedgerow.edge.features.FeatureExtractor;
import org.hedgerow.edge.features.TrainingSet;
import org.hedgerow.edge.task.SiloData;

/**
 * A silo ready to train: its data, the features it computes (exact, or from its DP release) and its
 * examples. Built by {@link Silos#prepare}; nothing in it has left the silo.
 *
 * @param release the silo's DP release, or null for a non-private silo
 */
public record PreparedSilo(SiloSettings settings, SiloData data, FeatureExtractor features, TrainingSet examples,
    SiloRelease release) {

  /**
   * The silo's client for one federation.
   *
   * @param privacy the silo's privacy state for this federation ({@link Silos#privacy}), null without DP
   * @param trainingSlots shared by silos in one process so that at most that many train at once
   */
  public EdgeClient client(CoordinatorClient coordinator, ModelSpec spec, Semaphore trainingSlots,
      SiloPrivacy privacy) {
    return client(coordinator, spec, trainingSlots, privacy, SecureAggregationPolicy.NONE);
  }

  /** As above, with the silo's secure-aggregation policy (the rounds it refuses to send in the clear). */
  public EdgeClient client(CoordinatorClient coordinator, ModelSpec spec, Semaphore trainingSlots,
      SiloPrivacy privacy, SecureAggregationPolicy policy) {
    if ((privacy != null) != settings.privateTraining()) {
      throw new IllegalArgumentException("silo " + settings.name() + (settings.privateTraining()
          ? " trains with DP and needs its privacy state" : " is not private and takes no privacy state"));
    }
    return new EdgeClient(settings.name(), coordinator, spec, examples, trainingSlots,
        settings.seed() ^ settings.name().hashCode(), privacy, policy);
  }
}
