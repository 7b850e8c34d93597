package org.hedgerow.aggregation.strategy;

import java.util.List;
import java.util.Optional;
import org.hedgerow.aggregation.model.ModelSpec;
import org.hedgerow.privacy.budget.PrivacyBudget;
import org.hedgerow.privacy.clipping.L2Clipping;
import org.hedgerow.privacy.noise.GaussianNoise;

/**
 * Central DP-FedAvg (McMahan et al. 2018, "Learning Differentially Private Recurrent Language
 * Models"): the coordinator clips each client's delta to L2 norm C, sums them, adds Gaussian noise
 * of standard deviation σ·C per coordinate and divides by the <em>expected</em> number of clients
 * n — a fixed denominator, so the released mean is post-processing of the noisy sum. Clients are
 * weighted equally: example-count weights would let one client's influence exceed C.
 *
 * <p><b>Guarantee.</b> Client-level (ε, δ)-DP of the sequence of global models, with respect to
 * adding or removing one client's updates, accounted by {@link PrivacyBudget} (RDP). Every
 * registered client is asked every round, so the sampling rate is q = 1 and no amplification by
 * sampling is claimed — except in cross-device simulation, which Poisson-samples each round's cohort
 * with secret coins and passes its rate q (see the constructor). With one client per customer ({@code --partition customer}) this is
 * user-level DP. <b>Trust:</b> the coordinator sees every client's unnoised delta; the guarantee
 * holds for what it releases (the global models), not against the coordinator itself.
 *
 * <p>Decorates a strategy that works from the mean alone ({@link FedAvg} or a {@link ServerOptimizer}):
 * it supplies the start model and fit configuration, and turns the noisy mean into the next model
 * through {@link Strategy#aggregateMean} — DP-FedAvg with FedAvg, DP-FedAdam with FedAdam, and so on.
 */
public final class CentralDpFedAvg implements Strategy, PrivacyAccounted {
  /** Mechanism name in ledger entries. */
  public static final String MECHANISM = "central-gaussian";

  private final Strategy delegate;
  private final double clipNorm;
  private final double noiseMultiplier;
  private final int expectedClients;
  private final double samplingRate;
  private final PrivacyBudget budget;
  private final Noise noise;

  /** Adds noise of the given standard deviation to every coordinate (seam for tests). */
  interface Noise {
    double[] addNoise(double[] x, double standardDeviation);
  }

  public CentralDpFedAvg(Strategy delegate, double clipNorm, double noiseMultiplier, int expectedClients,
      PrivacyBudget budget) {
    this(delegate, clipNorm, noiseMultiplier, expectedClients, 1.0, budget);
  }

  /**
   * Cross-device DP-FedAvg: each round's cohort is a Poisson sample of the population, every client
   * included independently with probability {@code samplingRate} by coins the adversary does not see,
   * so each round is accounted as a sampled Gaussian at that rate (amplification by sampling).
   * {@code expectedClients} is then the expected cohort q·N, the fixed denominator.
   */
  public CentralDpFedAvg(Strategy delegate, double clipNorm, double noiseMultiplier, int expectedClients,
      double samplingRate, PrivacyBudget budget) {
    this(delegate, clipNorm, noiseMultiplier, expectedClients, samplingRate, budget, new GaussianNoise()::addNoise);
  }

  CentralDpFedAvg(Strategy delegate, double clipNorm, double noiseMultiplier, int expectedClients,
      PrivacyBudget budget, Noise noise) {
    this(delegate, clipNorm, noiseMultiplier, expectedClients, 1.0, budget, noise);
  }

  CentralDpFedAvg(Strategy delegate, double clipNorm, double noiseMultiplier, int expectedClients,
      double samplingRate, PrivacyBudget budget, Noise noise) {
    if (!(samplingRate > 0 && samplingRate <= 1)) {
      throw new IllegalArgumentException("sampling rate must be in (0, 1]. Provided value: " + samplingRate);
    }
    if (!(clipNorm > 0 && Double.isFinite(clipNorm))) {
      throw new IllegalArgumentException("clip norm must be > 0 and finite. Provided value: " + clipNorm);
    }
    if (!(noiseMultiplier > 0 && Double.isFinite(noiseMultiplier))) {
      throw new IllegalArgumentException("noise multiplier must be > 0 and finite. Provided value: " + noiseMultiplier);
    }
    if (expectedClients < 1) {
      throw new IllegalArgumentException("expected clients must be >= 1. Provided value: " + expectedClients);
    }
    if (delegate.needsIndividualUpdates()) {
      throw new IllegalArgumentException("central DP releases only the noisy mean of the clipped updates, but "
          + delegate.getClass().getSimpleName() + " needs each client's update; use fedavg or a server optimiser");
    }
    this.delegate = delegate;
    this.clipNorm = clipNorm;
    this.noiseMultiplier = noiseMultiplier;
    this.expectedClients = expectedClients;
    this.samplingRate = samplingRate;
    this.budget = budget;
    this.noise = noise;
  }

  @Override
  public float[] initializeParameters(ModelSpec spec, long seed) {
    return delegate.initializeParameters(spec, seed);
  }

  @Override
  public FitConfig configureFit(int round) {
    return delegate.configureFit(round);
  }

  @Override
  public PrivacyBudget budget() {
    return budget;
  }

  @Override
  public Optional<String> refusal(int round) {
    return budget.refusal(round, noiseMultiplier, samplingRate, 1);
  }

  /**
   * Charges the budget, then releases the delegate's step with mean (Σ clip(Δ_k, C) + N(0, σ²C²)) / n
   * (for FedAvg: current + that mean).
   *
   * @throws IllegalStateException if the round would exceed the cap (nothing is released)
   */
  @Override
  public float[] aggregateFit(int round, float[] current, List<ClientUpdate> updates) {
    RunningAggregate a = runningAggregate(round, current).orElseThrow();
    for (ClientUpdate u : Updates.sortedChecked(updates, current.length)) {
      a.add(u);
    }
    return a.finish();
  }

  /** The sum of clipped deltas, kept as updates arrive; the noise is drawn and the budget charged at {@code finish}. */
  @Override
  public Optional<RunningAggregate> runningAggregate(int round, float[] current) {
    WeightedSum clipped = new WeightedSum(current.length);
    return Optional.of(new RunningAggregate() {
      @Override
      public void add(ClientUpdate update) {
        clipped.addUnweighted(update, this::clip);
      }

      private double[] clip(float[] delta) {
        double[] d = new double[delta.length];
        for (int i = 0; i < d.length; i++) {
          d[i] = delta[i];
        }
        return L2Clipping.clip(d, clipNorm);
      }

      @Override
      public int count() {
        return clipped.count();
      }

      @Override
      public float[] finish() {
        if (clipped.count() == 0) {
          throw new IllegalArgumentException("cannot aggregate a round without updates");
        }
        return release(round, current, clipped.sum());
      }
    });
  }

  /** Charges the budget (throwing before anything is released), noises the sum and hands its mean to the delegate. */
  private float[] release(int round, float[] current, double[] sum) {
    budget.spend(round, MECHANISM, noiseMultiplier, samplingRate, 1, clipNorm); // throws before anything is released
    double[] noisy = noise.addNoise(sum, noiseMultiplier * clipNorm);
    double[] mean = new double[current.length];
    for (int i = 0; i < mean.length; i++) {
      mean[i] = noisy[i] / expectedClients;
    }
    // Post-processing of the noisy mean: a server optimiser's step costs no privacy.
    return delegate.aggregateMean(round, current, mean);
  }

  /** Clipping needs each client's update: central DP cannot run behind secure aggregation. */
  @Override
  public boolean needsIndividualUpdates() {
    return true;
  }

  /**
   * The delegate's state (server optimiser moments). The budget's spends are not part of it: they
   * are ledger entries the coordinator persists with the round (see {@link PrivacyAccounted}), and
   * keeping a second copy here could count a spend twice on restore. The clip norm is fixed, and
   * the noise is fresh {@code SecureRandom} output (NoiseSource), so there is nothing else to carry over.
   */
  @Override
  public byte[] state() {
    return delegate.state();
  }

  @Override
  public void restoreState(byte[] state) {
    delegate.restoreState(state);
  }
}
