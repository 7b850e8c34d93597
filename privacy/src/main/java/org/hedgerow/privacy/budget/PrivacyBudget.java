package org.hedgerow.privacy.budget;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.hedgerow.privacy.accounting.DistributedGaussianParameters;
import org.hedgerow.privacy.accounting.DpEvent;
import org.hedgerow.privacy.accounting.GaussianEvent;

/**
 * One holder's (ε, δ) budget and the log of what it spent: a cap, the pre-training releases and
 * Poisson-sampled Gaussian rounds so far, and the ε of all of them together by
 * {@link SpendAccounting} (the RDP accountant, Opacus' orders, improved conversion) at the holder's δ.
 *
 * <p><b>Guarantee kept.</b> {@link #spend} and {@link #chargeGaussianRelease} refuse — before
 * anything is released — any entry that would take ε over the cap, so the recorded ε never exceeds
 * it. ε is always recomputed from scratch over the whole log, never summed from per-round figures
 * (RDP composes, (ε, δ) does not compose tightly). A run of R rounds of S steps gets exactly the ε of
 * {@code DpEvent.sampledGaussian(σ, q, R·S)} — the figure a calibration for the whole run used.
 *
 * <p><b>Durability</b> is the caller's: every entry returned must be written (and fsynced) before
 * what it pays for leaves the holder; {@link #restore} continues a budget from such a log, checking
 * every figure in it, so a restarted holder never reports less than it spent.
 *
 * <p>Not thread-safe; one instance per holder.
 */
public final class PrivacyBudget {
  private final String holder;
  private final double epsilonCap;
  private final double delta;
  private final List<Spend> log = new ArrayList<>();

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

  /**
   * A budget that continues {@code saved}, the holder's log as written before a restart.
   *
   * @throws IllegalArgumentException if the log is not this holder's with this cap and δ, its
   *     counters are not 0, 1, 2, …, a release follows a round, or an entry's ε is not exactly what
   *     the accountant gives for the log up to it (an edited or foreign log)
   */
  public static PrivacyBudget restore(String holder, double epsilonCap, double delta, List<Spend> saved) {
    PrivacyBudget b = new PrivacyBudget(holder, epsilonCap, delta);
    for (Spend s : saved) {
      String where = "saved spend " + s.counter() + " of '" + s.holder() + "'";
      if (!s.holder().equals(holder)) {
        throw new IllegalArgumentException(where + " belongs to another holder than '" + holder + "'");
      }
      if (s.counter() != b.log.size()) {
        throw new IllegalArgumentException(where + ": expected counter " + b.log.size());
      }
      if (s.delta() != delta || s.cap() != epsilonCap) {
        throw new IllegalArgumentException(String.format(Locale.ROOT,
            "%s was made with cap %s and delta %s, not cap %s and delta %s: a budget's cap and delta cannot change",
            where, s.cap(), s.delta(), epsilonCap, delta));
      }
      if (s.isRelease() && b.rounds() > 0) {
        throw new IllegalArgumentException(where + ": a release after training rounds");
      }
      b.log.add(s);
      double recomputed = SpendAccounting.epsilon(b.log, delta);
      if (recomputed != s.epsilon()) {
        throw new IllegalArgumentException(String.format(Locale.ROOT,
            "%s records epsilon %s but the accountant gives %s for the log up to it", where, s.epsilon(), recomputed));
      }
    }
    return b;
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

  /** Noisy training steps released so far. */
  public long steps() {
    return spends().stream().mapToLong(Spend::steps).sum();
  }

  /** Training rounds charged so far. */
  public int rounds() {
    return (int) log.stream().filter(s -> !s.isRelease()).count();
  }

  /** ε spent so far (0 before the first release), pre-training releases included. */
  public double epsilon() {
    return log.isEmpty() ? 0 : log.get(log.size() - 1).epsilon();
  }

  /**
   * Charges a one-off Gaussian release of L2 sensitivity 1 (noise standard deviation σ_s) made
   * before any training round, and returns its log entry (round 0). It is refused, with nothing
   * recorded, if it would take ε over the cap. Every later ε includes it.
   *
   * @throws IllegalArgumentException if σ_s is not positive and finite
   * @throws IllegalStateException if training rounds were already charged (a release must precede
   *     training so that the pre-training statistics are covered by every ε reported) or the
   *     release would exceed the cap
   */
  public Spend chargeGaussianRelease(String what, double noiseMultiplier) {
    new GaussianEvent(noiseMultiplier); // validates σ_s with the accountant's message
    if (rounds() > 0) {
      throw new IllegalStateException(holder + ": release '" + what + "' must be charged before training rounds ("
          + rounds() + " already charged)");
    }
    Spend candidate = new Spend(0, holder, what, noiseMultiplier, 1.0, 1, Double.NaN, delta, epsilonCap, 1.0,
        log.size());
    double eps = epsilonWith(candidate);
    if (eps > epsilonCap) {
      throw new IllegalStateException(String.format(Locale.ROOT,
          "%s cannot release %s: epsilon would reach %.6f, over its cap %s (delta %s)", holder, what, eps, epsilonCap,
          delta));
    }
    Spend s = new Spend(0, holder, what, noiseMultiplier, 1.0, 1, eps, delta, epsilonCap, 1.0, log.size());
    log.add(s);
    return s;
  }

  /** The pre-training releases charged so far, in order. */
  public List<Spend> releases() {
    return log.stream().filter(Spend::isRelease).toList();
  }

  /** ε after one more round of {@code steps} Poisson-sampled Gaussian steps; nothing is recorded. */
  public double epsilonIf(double noiseMultiplier, double sampleRate, long steps) {
    DpEvent.sampledGaussian(noiseMultiplier, sampleRate, steps); // validates σ, q, steps with the accountant's messages
    return epsilonWith(new Spend(Math.max(1, lastRound()), holder, "what-if", noiseMultiplier, sampleRate, steps,
        Double.NaN, delta, epsilonCap, 1.0, log.size()));
  }

  private int lastRound() {
    return log.isEmpty() ? 1 : log.get(log.size() - 1).round();
  }

  private double epsilonWith(Spend next) {
    List<Spend> all = new ArrayList<>(log);
    all.add(next);
    return SpendAccounting.epsilon(all, delta);
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
   * Charges one training round and returns its log entry; call before the round's update is released.
   *
   * @param clipNorm C, recorded with the spend (σ is relative to it, so it does not change ε)
   * @throws IllegalArgumentException if round &lt; 1 or a parameter is bad
   * @throws IllegalStateException if the round would exceed the cap (nothing is recorded)
   */
  public Spend spend(int round, String mechanism, double noiseMultiplier, double sampleRate, long steps,
      double clipNorm) {
    if (round < 1) {
      throw new IllegalArgumentException("a training round must be >= 1. Provided value: " + round);
    }
    if (!(clipNorm > 0 && Double.isFinite(clipNorm))) {
      throw new IllegalArgumentException("clip norm must be > 0 and finite. Provided value: " + clipNorm);
    }
    Optional<String> no = refusal(round, noiseMultiplier, sampleRate, steps);
    if (no.isPresent()) {
      throw new IllegalStateException(no.get());
    }
    Spend candidate = new Spend(round, holder, mechanism, noiseMultiplier, sampleRate, steps, Double.NaN, delta,
        epsilonCap, clipNorm, log.size());
    Spend s = new Spend(round, holder, mechanism, noiseMultiplier, sampleRate, steps, epsilonWith(candidate), delta,
        epsilonCap, clipNorm, log.size());
    log.add(s);
    return s;
  }

  /**
   * Charges one round of distributed DP, accounted as one unsampled release with the effective noise
   * multiplier of {@code parameters}, which the log entry records in full.
   *
   * @throws IllegalStateException if the round would exceed the cap (nothing is recorded)
   */
  public Spend spendDistributed(int round, String mechanism, DistributedGaussianParameters parameters,
      double clipNorm) {
    Spend s = spend(round, mechanism, parameters.effectiveNoiseMultiplier(), 1.0, 1, clipNorm);
    Spend recorded = new Spend(s.round(), s.holder(), s.mechanism(), s.noiseMultiplier(), s.sampleRate(), s.steps(),
        s.epsilon(), s.delta(), s.cap(), s.clipNorm(), s.counter(), parameters);
    log.set(log.size() - 1, recorded);
    return recorded;
  }

  /** The training rounds charged so far (releases excluded), in order. */
  public List<Spend> spends() {
    return log.stream().filter(s -> !s.isRelease()).toList();
  }

  /** Everything charged so far, releases and rounds, in counter order. */
  public List<Spend> log() {
    return List.copyOf(log);
  }

  /** The DP events of everything released so far, releases first (empty list: nothing). */
  public List<DpEvent> events() {
    return SpendAccounting.events(log);
  }
}
