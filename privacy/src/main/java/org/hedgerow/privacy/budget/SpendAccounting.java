package org.hedgerow.privacy.budget;

import java.util.ArrayList;
import java.util.List;
import org.hedgerow.privacy.accounting.DpEvent;
import org.hedgerow.privacy.accounting.GaussianEvent;
import org.hedgerow.privacy.accounting.RdpAccountant;

/**
 * ε of a holder's log of {@link Spend}s: the one function a silo's budget, the coordinator and an
 * auditor all use, so that a figure recomputed anywhere equals the one reported, bit for bit.
 *
 * <p>Releases ({@code round == 0}) are {@code GaussianEvent(σ)} each, composed first; consecutive
 * rounds with the same σ and q are one {@code sampledGaussian(σ, q, total steps)} (the event a
 * calibration for the whole run used), then everything goes through {@link RdpAccountant} (Opacus'
 * orders, improved conversion). A round of distributed DP is accounted with the effective noise
 * multiplier of its recorded parameters ({@link Spend#accountedNoiseMultiplier()}).
 */
public final class SpendAccounting {
  private SpendAccounting() {}

  /** A training phase: consecutive rounds with one σ and q. */
  record Phase(double noiseMultiplier, double sampleRate, long steps) {
    DpEvent event() {
      return DpEvent.sampledGaussian(noiseMultiplier, sampleRate, steps);
    }
  }

  /** The DP events of {@code log}, releases first, consecutive equal rounds merged. */
  public static List<DpEvent> events(List<Spend> log) {
    List<DpEvent> all = new ArrayList<>();
    for (Spend s : log) {
      if (s.isRelease()) {
        all.add(new GaussianEvent(s.noiseMultiplier()));
      }
    }
    phases(log).forEach(p -> all.add(p.event()));
    return all;
  }

  static List<Phase> phases(List<Spend> log) {
    List<Phase> phases = new ArrayList<>();
    for (Spend s : log) {
      if (!s.isRelease()) {
        append(phases, s.accountedNoiseMultiplier(), s.sampleRate(), s.steps());
      }
    }
    return phases;
  }

  static void append(List<Phase> phases, double noiseMultiplier, double sampleRate, long steps) {
    Phase last = phases.isEmpty() ? null : phases.get(phases.size() - 1);
    if (last != null && last.noiseMultiplier() == noiseMultiplier && last.sampleRate() == sampleRate) {
      phases.set(phases.size() - 1, new Phase(noiseMultiplier, sampleRate, last.steps() + steps));
    } else {
      phases.add(new Phase(noiseMultiplier, sampleRate, steps));
    }
  }

  /** ε at δ of everything in {@code log}; 0 for an empty log. */
  public static double epsilon(List<Spend> log, double delta) {
    return epsilonOf(releaseSigmas(log), phases(log), delta);
  }

  static List<Double> releaseSigmas(List<Spend> log) {
    List<Double> out = new ArrayList<>();
    for (Spend s : log) {
      if (s.isRelease()) {
        out.add(s.noiseMultiplier());
      }
    }
    return out;
  }

  static double epsilonOf(List<Double> releaseSigmas, List<Phase> phases, double delta) {
    if (releaseSigmas.isEmpty() && phases.isEmpty()) {
      return 0;
    }
    RdpAccountant a = new RdpAccountant();
    // Releases first, in the order NoiseCalibration composes them, so the figures agree bit for bit.
    for (double sigma : releaseSigmas) {
      a.compose(new GaussianEvent(sigma));
    }
    for (Phase p : phases) {
      a.compose(p.event());
    }
    return a.epsilon(delta).epsilon();
  }
}
