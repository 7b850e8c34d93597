package org.hedgerow.privacy.budget;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.hedgerow.privacy.accounting.DpEvent;
import org.hedgerow.privacy.accounting.GaussianEvent;
import org.hedgerow.privacy.accounting.RdpAccountant;
import org.hedgerow.privacy.accounting.SelfComposedEvent;

/**
 * One holder's (ε, δ) budget and the ledger of what it spent: a cap, the Poisson-sampled Gaussian
 * steps released so far, and the ε of all of them together by the {@link RdpAccountant} (Opacus'
 * orders, improved conversion) at the holder's δ.
 *
 * <p><b>Guarantee kept.</b> {@link #spend} refuses — before anything is released — any round
 * that would take the accountant's ε over the cap, so the recorded ε never exceeds it. ε is always
 * recomputed from scratch over every step so far, never summed from per-round figures (RDP
 * composes, (ε, δ) does not compose tightly). Consecutive rounds with the same σ and q are
 * accounted as one {@link SelfComposedEvent} of all their steps, so a run of R rounds of S steps
 * gets exactly the ε of {@code DpEvent.sampledGaussian(σ, q, R·S)} — the figure a calibration
 * for the whole run used.
 *
 * <p>Not thread-safe; one instance per holder.
 */
public final class PrivacyBudget {
  private final String holder;
  private final double epsilonCap;
  private final double delta;
  private final List<Phase> phases = new ArrayList<>();
  private final List<Spend> spends = new ArrayList<>();
  private final List<Release> releases = new ArrayList<>();

  private record Phase(double noiseMultiplier, double sampleRate, long steps) {}

  /**
   * A one-off Gaussian release of L2 sensitivity 1 made before training (e.g. the silo's DP item
   * statistics). It is composed before the training phases, so a budget holding release σ_s and R·S
   * steps reports exactly the ε of {@code RdpAccountant().compose(GaussianEvent(σ_s))
   * .compose(sampledGaussian(σ, q, R·S))}.
   *
   * @param what ledger name of the release
   * @param noiseMultiplier σ_s: noise standard deviation over the L2 sensitivity
   * @param epsilon ε of everything charged up to and including this release
   */
  public record Release(String what, double noiseMultiplier, double epsilon) {}

  /**
   * @throws IllegalArgumentException if the cap is not positive and finite or δ is outside (0, 1)
   */
  public PrivacyBudget(String holder, double epsilonCap, double delta) {
    checkCap(epsilonCap);
    checkDelta(delta);
    this.holder = holder;
    this.epsilonCap = epsilonCap;
    this.delta = delta;
  }

  /** The one message template for a bad cap. */
  public static void checkCap(double epsilonCap) {
    if (!(epsilonCap > 0 && Double.isFinite(epsilonCap))) {
      throw new IllegalArgumentException("epsilon cap must be > 0 and finite. Provided value: " + epsilonCap);
    }
  }

  /** The one message template for a bad δ. */
  public static void checkDelta(double delta) {
    if (!(delta > 0 && delta < 1)) {
      throw new IllegalArgumentException("delta must be in (0, 1). Provided value: " + delta);
    }
  }

  public String holder() {
    return holder;
  }

  public double epsilonCap() {
    return epsilonCap;
  }

  public double delta() {
    return delta;
  }

  /** Noisy steps released so far. */
  public long steps() {
    return phases.stream().mapToLong(Phase::steps).sum();
  }

  /** Rounds charged so far. */
  public int rounds() {
    return spends.size();
  }

  /** ε spent so far (0 before the first release), pre-training releases included. */
  public double epsilon() {
    return phases.isEmpty() && releases.isEmpty() ? 0 : epsilonOf(phases);
  }

  /**
   * Charges a one-off Gaussian release of L2 sensitivity 1 (noise standard deviation σ_s) made
   * before any training round, and returns its ledger entry. It is charged like a round: refused,
   * with nothing recorded, if it alone would take ε over the cap. Every later ε includes it.
   *
   * @throws IllegalArgumentException if σ_s is not positive and finite
   * @throws IllegalStateException if training rounds were already charged (a release must precede
   *     training so that the pre-training statistics are covered by every ε reported) or the
   *     release would exceed the cap
   */
  public Release chargeGaussianRelease(String what, double noiseMultiplier) {
    new GaussianEvent(noiseMultiplier); // validates σ_s with the accountant's message
    if (!spends.isEmpty()) {
      throw new IllegalStateException(holder + ": release '" + what + "' must be charged before training rounds ("
          + spends.size() + " already charged)");
    }
    releases.add(new Release(what, noiseMultiplier, Double.NaN));
    double eps = epsilonOf(phases);
    if (eps > epsilonCap) {
      releases.remove(releases.size() - 1);
      throw new IllegalStateException(String.format(Locale.ROOT,
          "%s cannot release %s: epsilon would reach %.6f, over its cap %s (delta %s)", holder, what, eps, epsilonCap,
          delta));
    }
    Release r = new Release(what, noiseMultiplier, eps);
    releases.set(releases.size() - 1, r);
    return r;
  }

  /** The pre-training releases charged so far, in order. */
  public List<Release> releases() {
    return List.copyOf(releases);
  }

  /** ε after one more round of {@code steps} Poisson-sampled Gaussian steps; nothing is recorded. */
  public double epsilonIf(double noiseMultiplier, double sampleRate, long steps) {
    return epsilonOf(with(noiseMultiplier, sampleRate, steps));
  }

  /**
   * Why a round with these parameters must be refused, or empty if it fits under the cap.
   * The message names the holder, the ε it would reach and the cap.
   */
  public Optional<String> refusal(int round, double noiseMultiplier, double sampleRate, long steps) {
    double after = epsilonIf(noiseMultiplier, sampleRate, steps);
    if (after <= epsilonCap) {
      return Optional.empty();
    }
    return Optional.of(String.format(Locale.ROOT,
        "%s declines round %d: epsilon would reach %.6f, over its cap %s (delta %s; %.6f spent in %d rounds)",
        holder, round, after, epsilonCap, delta, epsilon(), rounds()));
  }

  /**
   * Charges one round and returns its ledger entry; call before the round's update is released.
   *
   * @throws IllegalStateException if the round would exceed the cap (nothing is recorded)
   */
  public Spend spend(int round, String mechanism, double noiseMultiplier, double sampleRate, long steps) {
    Optional<String> no = refusal(round, noiseMultiplier, sampleRate, steps);
    if (no.isPresent()) {
      throw new IllegalStateException(no.get());
    }
    List<Phase> next = with(noiseMultiplier, sampleRate, steps);
    phases.clear();
    phases.addAll(next);
    Spend s = new Spend(round, holder, mechanism, noiseMultiplier, sampleRate, steps, epsilonOf(phases), delta,
        epsilonCap);
    spends.add(s);
    return s;
  }

  public List<Spend> spends() {
    return List.copyOf(spends);
  }

  /** The DP events of everything released so far, releases first (empty list: nothing). */
  public List<DpEvent> events() {
    List<DpEvent> all = new ArrayList<>();
    releases.forEach(r -> all.add(new GaussianEvent(r.noiseMultiplier())));
    phases.forEach(p -> all.add(event(p)));
    return all;
  }

  private List<Phase> with(double noiseMultiplier, double sampleRate, long steps) {
    event(new Phase(noiseMultiplier, sampleRate, steps)); // validates σ, q, steps with the accountant's messages
    List<Phase> next = new ArrayList<>(phases);
    Phase last = next.isEmpty() ? null : next.get(next.size() - 1);
    if (last != null && last.noiseMultiplier() == noiseMultiplier && last.sampleRate() == sampleRate) {
      next.set(next.size() - 1, new Phase(noiseMultiplier, sampleRate, last.steps() + steps));
    } else {
      next.add(new Phase(noiseMultiplier, sampleRate, steps));
    }
    return next;
  }

  private static DpEvent event(Phase p) {
    // Exactly DpEvent.sampledGaussian(σ, q, steps), the event NoiseCalibration calibrates against.
    return DpEvent.sampledGaussian(p.noiseMultiplier(), p.sampleRate(), p.steps());
  }

  private double epsilonOf(List<Phase> ps) {
    RdpAccountant a = new RdpAccountant();
    // Releases first, in the order NoiseCalibration composes them, so the figures agree bit for bit.
    for (Release r : releases) {
      a.compose(new GaussianEvent(r.noiseMultiplier()));
    }
    for (Phase p : ps) {
      a.compose(event(p));
    }
    return a.epsilon(delta).epsilon();
  }
}
