package org.hedgerow.cli;

import java.net.URI;
import java.util.List;
import java.util.concurrent.Callable;
import org.hedgerow.aggregation.model.ModelSpec;
import org.hedgerow.cluster.ClusterFederation;
import org.hedgerow.edge.silo.PreparedSilo;
import org.hedgerow.simulations.Scenario;
import org.hedgerow.simulations.SiloFleet;

/**
 * The simulator's silos trained by cluster workers ({@code simulate --cluster}), summed by regional
 * sub-coordinators: the coordinator waits for one client per region.
 */
final class ClusterFleet implements SiloFleet {
  /** Rules that act on the updates only through their weighted mean, so regional sums leave them unchanged. */
  static final List<String> LINEAR_AGGREGATORS = List.of("fedavg", "fedavgm", "fedadam", "fedyogi");
  /** The coordinator's secure sum needs at least three clients, i.e. regions. */
  static final int SECURE_MIN_REGIONS = 3;

  private final ClusterFederation cluster;
  private final int catalogueSize;
  private final boolean coPurchase;
  private final Double secureClip;

  /**
   * @param secureClip the scenario's secure-aggregation clip (regions then sum their silos securely
   *     when the coordinator runs secure aggregation, and each region holds at least three silos);
   *     null without secure aggregation
   */
  ClusterFleet(ClusterFederation cluster, int catalogueSize, boolean coPurchase, Double secureClip) {
    this.cluster = cluster;
    this.catalogueSize = catalogueSize;
    this.coPurchase = coPurchase;
    this.secureClip = secureClip;
  }

  /**
   * Refuses what hierarchical aggregation cannot run faithfully yet (docs/cluster.md, "Not yet").
   *
   * @throws IllegalArgumentException naming the setting
   */
  static void check(Scenario s, int regions) {
    if (s.privacy().equals("central")) {
      throw new IllegalArgumentException("--cluster runs local DP (user-level DP-SGD at each silo, on its worker) but "
          + "not privacy 'central': the coordinator would clip and noise regional sums, not silos' updates "
          + "(docs/cluster.md)");
    }
    if (s.distributedDp()) {
      throw new IllegalArgumentException("--cluster cannot run distributed DP yet: the discrete Gaussian shares are "
          + "calibrated per silo at one level, not across regional sums (docs/cluster.md)");
    }
    if (s.deterministicNoise() != null && (s.privacyEnabled() || s.secureAggregation().enabled())) {
      // The seed would scope this process's noise sources only: the workers' DP noise, samplers and
      // rounders stay on SecureRandom, so the run could not be replayed although its outputs said so.
      throw new IllegalArgumentException("--cluster cannot replay noise: --deterministic-noise reaches this process "
          + "but not the workers, which draw DP noise, sampling and rounding from SecureRandom; run without it, or "
          + "on one JVM (docs/cluster.md)");
    }
    if (s.secureAggregation().enabled() && regions < SECURE_MIN_REGIONS) {
      throw new IllegalArgumentException("--cluster with secure aggregation needs --regions >= " + SECURE_MIN_REGIONS
          + ": the coordinator's secure sum over fewer regions would reveal each region's sum to the others "
          + "(docs/cluster.md). Provided value: " + regions);
    }
    if (!LINEAR_AGGREGATORS.contains(s.aggregator().name()) || s.aggregator().maxUpdateNorm() != null) {
      throw new IllegalArgumentException("--cluster needs an aggregator that uses only the weighted mean "
          + LINEAR_AGGREGATORS + " without max_update_norm: regional sums change what median, trimmed mean or a "
          + "per-client norm bound see. Provided value: " + s.aggregator());
    }
  }

  @Override
  public int coordinatorClients(List<PreparedSilo> training) {
    if (training.size() < cluster.regions()) {
      throw new IllegalArgumentException(cluster.regions() + " regions need at least as many training silos; the run "
          + "has " + training.size());
    }
    return cluster.regions();
  }

  @Override
  public java.util.Map<String, List<org.hedgerow.privacy.budget.SignedSpend>> spends() {
    return cluster.lastSpends();
  }

  @Override
  public List<Callable<Void>> participants(URI coordinator, ModelSpec spec, List<PreparedSilo> training)
      throws Exception {
    return cluster.participants(coordinator, spec, training, catalogueSize, coPurchase, secureClip);
  }
}
