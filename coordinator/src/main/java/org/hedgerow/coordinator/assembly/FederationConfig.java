package org.hedgerow.coordinator.assembly;

import org.hedgerow.aggregation.model.ModelSpec;
import org.hedgerow.aggregation.strategy.AggregatorSpec;
import org.hedgerow.aggregation.strategy.FitConfig;
import org.hedgerow.coordinator.CoordinatorOptions;
import org.hedgerow.coordinator.secagg.SecureAggregationOptions;
import org.hedgerow.privacy.accounting.NoiseCalibration;

/**
 * What a federation is, independent of how it is served: the model, rounds, seed, the silos' fit
 * configuration and the aggregation rule, and the privacy it runs under (central DP at the
 * coordinator, secure aggregation, the declaration made to silos). {@link CoordinatorBuilder} turns
 * it — with the service settings, a store and access control — into a ready coordinator. Every
 * coordinator (the {@code coordinator start} service, the simulator's in-process federations, the
 * load benchmark's target) is assembled from one of these.
 *
 * @param spec the model every silo trains
 * @param rounds rounds to run
 * @param seed seed of the initial model and of the fit configuration
 * @param fit what each silo is asked to do per round
 * @param aggregator how updates (or the secure sum) become the next model
 * @param centralDp the coordinator's own DP (clip each delta, noise the mean), or null
 * @param secureAggregation the SecAgg/SecAgg+ settings, or null: updates arrive in the clear (over TLS)
 * @param privacy what the federation declares to silos: {@code none} or {@code local}
 */
public record FederationConfig(ModelSpec spec, int rounds, long seed, FitConfig fit, AggregatorSpec aggregator,
    CentralDp centralDp, SecureAggregationOptions secureAggregation, String privacy) {

  public FederationConfig {
    if (spec == null || fit == null || aggregator == null) {
      throw new IllegalArgumentException("spec, fit and aggregator must not be null");
    }
    if (rounds < 1) {
      throw new IllegalArgumentException("rounds must be >= 1. Provided value: " + rounds);
    }
    if (privacy == null) {
      privacy = CoordinatorOptions.PRIVACY_NONE;
    }
    if (!privacy.equals(CoordinatorOptions.PRIVACY_NONE) && !privacy.equals(CoordinatorOptions.PRIVACY_LOCAL)) {
      throw new IllegalArgumentException("privacy must be 'none' or 'local'. Provided value: " + privacy);
    }
    if (centralDp != null && secureAggregation != null) {
      throw new IllegalArgumentException("central DP clips and noises each silo's update at the coordinator, but "
          + "secure aggregation hides the individual updates; choose one (or distributed DP: secure aggregation with "
          + "noise shares added by the silos)");
    }
    if (aggregator.needsIndividualUpdates() && (centralDp != null || secureAggregation != null)) {
      throw new IllegalArgumentException("aggregator '" + aggregator.name() + "' needs each silo's update, which "
          + (centralDp != null ? "central DP" : "secure aggregation") + " does not allow; use fedavg, fedavgm, fedadam "
          + "or fedyogi");
    }
  }

  /** A plain federation: FedAvg-style rule, no DP, no secure aggregation. */
  public static FederationConfig plain(ModelSpec spec, int rounds, long seed, FitConfig fit, AggregatorSpec aggregator) {
    return new FederationConfig(spec, rounds, seed, fit, aggregator, null, null, null);
  }

  public FederationConfig withCentralDp(CentralDp dp) {
    return new FederationConfig(spec, rounds, seed, fit, aggregator, dp, secureAggregation, privacy);
  }

  public FederationConfig withSecureAggregation(SecureAggregationOptions sa) {
    return new FederationConfig(spec, rounds, seed, fit, aggregator, centralDp, sa, privacy);
  }

  public FederationConfig withPrivacy(String declared) {
    return new FederationConfig(spec, rounds, seed, fit, aggregator, centralDp, secureAggregation, declared);
  }

  public FederationConfig withFit(FitConfig f) {
    return new FederationConfig(spec, rounds, seed, f, aggregator, centralDp, secureAggregation, privacy);
  }

  /**
   * Central DP-FedAvg settings (McMahan et al. 2018): each delta clipped to L2 norm {@code clipNorm},
   * Gaussian noise σ·C on the sum. σ is {@code noiseMultiplier}, or calibrated so that one release
   * per round (q = 1) over the planned rounds just fits {@code epsilonCap} at {@code delta}.
   *
   * @param noiseMultiplier σ, or null: calibrated from the cap
   */
  public record CentralDp(double clipNorm, Double noiseMultiplier, double epsilonCap, double delta) {
    /** Ledger holder name of the coordinator's own budget. */
    public static final String HOLDER = "coordinator";

    public CentralDp {
      if (!(clipNorm > 0 && Double.isFinite(clipNorm))) {
        throw new IllegalArgumentException("clip norm must be > 0 and finite. Provided value: " + clipNorm);
      }
      if (noiseMultiplier != null && !(noiseMultiplier > 0 && Double.isFinite(noiseMultiplier))) {
        throw new IllegalArgumentException("noise multiplier must be > 0 and finite. Provided value: " + noiseMultiplier);
      }
      if (!(epsilonCap > 0 && Double.isFinite(epsilonCap))) {
        throw new IllegalArgumentException("epsilon cap must be > 0 and finite. Provided value: " + epsilonCap);
      }
      if (!(delta > 0 && delta < 1)) {
        throw new IllegalArgumentException("delta must be in (0, 1). Provided value: " + delta);
      }
    }

    /** σ: the given one, or calibrated for {@code rounds} Gaussian releases with q = 1. */
    public double noiseMultiplierFor(int rounds) {
      return noiseMultiplier != null ? noiseMultiplier
          : NoiseCalibration.noiseMultiplierFor(epsilonCap, delta, 1.0, rounds);
    }
  }
}
