package org.hedgerow.aggregation.strategy;

import java.util.ArrayList;
import java.util.Comparator;
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
 * sampling is claimed. With one client per customer ({@code --partition customer}) this is
 * user-level DP. <b>Trust:</b> the coordinator sees every client's unnoised delta; the guarantee
 * holds for what it releases (the global models), not against the coordinator itself.
 *
 * <p>Decorates {@link FedAvg} for the start model and fit configuration.
 */
public final class CentralDpFedAvg implements Strategy, PrivacyAccounted {
  /** Mechanism name in ledger entries. */
  public static final String MECHANISM = "central-gaussian";

  private final Strategy delegate;
  private final double clipNorm;
  private final double noiseMultiplier;
  private final int expectedClients;
  private final PrivacyBudget budget;
  private final Noise noise;

  /** Adds noise of the given standard deviation to every coordinate (seam for tests). */
  interface Noise {
    double[] addNoise(double[] x, double standardDeviation);
  }

  public CentralDpFedAvg(Strategy delegate, double clipNorm, double noiseMultiplier, int expectedClients,
      PrivacyBudget budget) {
    this(delegate, clipNorm, noiseMultiplier, expectedClients, budget, new GaussianNoise()::addNoise);
  }

  CentralDpFedAvg(Strategy delegate, double clipNorm, double noiseMultiplier, int expectedClients,
      PrivacyBudget budget, Noise noise) {
    if (!(clipNorm > 0 && Double.isFinite(clipNorm))) {
      throw new IllegalArgumentException("clip norm must be > 0 and finite. Provided value: " + clipNorm);
    }
    if (!(noiseMultiplier > 0 && Double.isFinite(noiseMultiplier))) {
      throw new IllegalArgumentException("noise multiplier must be > 0 and finite. Provided value: " + noiseMultiplier);
    }
    if (expectedClients < 1) {
      throw new IllegalArgumentException("expected clients must be >= 1. Provided value: " + expectedClients);
    }
    this.delegate = delegate;
    this.clipNorm = clipNorm;
    this.noiseMultiplier = noiseMultiplier;
    this.expectedClients = expectedClients;
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
    return budget.refusal(round, noiseMultiplier, 1.0, 1);
  }

  /**
   * Charges the budget, then releases current + (Σ clip(Δ_k, C) + N(0, σ²C²)) / n.
   *
   * @throws IllegalStateException if the round would exceed the cap (nothing is released)
   */
  @Override
  public float[] aggregateFit(int round, float[] current, List<ClientUpdate> updates) {
    if (updates.isEmpty()) {
      throw new IllegalArgumentException("cannot aggregate a round without updates");
    }
    List<ClientUpdate> sorted = new ArrayList<>(updates);
    sorted.sort(Comparator.comparing(ClientUpdate::clientId));
    double[] sum = new double[current.length];
    for (ClientUpdate u : sorted) {
      if (u.delta().length != current.length) {
        throw new IllegalArgumentException("update of " + u.clientId() + " has " + u.delta().length
            + " entries, the model has " + current.length);
      }
      double[] d = new double[current.length];
      for (int i = 0; i < d.length; i++) {
        d[i] = u.delta()[i];
      }
      double[] c = L2Clipping.clip(d, clipNorm);
      for (int i = 0; i < d.length; i++) {
        sum[i] += c[i];
      }
    }
    budget.spend(round, MECHANISM, noiseMultiplier, 1.0, 1); // throws before anything is released
    double[] noisy = noise.addNoise(sum, noiseMultiplier * clipNorm);
    float[] next = new float[current.length];
    for (int i = 0; i < next.length; i++) {
      next[i] = (float) (current[i] + noisy[i] / expectedClients);
    }
    return next;
  }
}
