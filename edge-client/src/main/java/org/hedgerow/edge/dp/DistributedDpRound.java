package org.hedgerow.edge.dp;

import java.util.Optional;
import org.hedgerow.aggregation.secagg.DistributedDpEncoding;
import org.hedgerow.aggregation.secagg.DistributedDpTerms;
import org.hedgerow.aggregation.secagg.SecureSumEncoding;
import org.hedgerow.privacy.budget.SignedSpend;
import org.hedgerow.privacy.ledger.LedgerVerifier;

/**
 * One silo's round of distributed DP under secure aggregation: what it checks, what it is charged,
 * and the noisy integer vector it contributes ({@link DistributedDpEncoding} says why the
 * sensitivity to one customer is what it is, {@code DistributedGaussianSum} how the sum is accounted).
 *
 * <p>Order, as in local mode: the plan is computed from the announced terms alone (the silo
 * recomputes the sensitivity and the effective noise multiplier z itself, never taking the
 * coordinator's word for them); the budget decides whether the round fits; the charge is appended
 * to the signed log <em>before</em> any gradient is computed; the contribution is built; at each
 * session the silo checks that the session's n, t and encoding are exactly those it was charged for
 * ({@link #refusalFor}), so a coordinator that announces one thing and runs another (a lower
 * threshold, a different scale) gets nothing.
 */
public final class DistributedDpRound {
  /** Ledger mechanism of a distributed-DP round. */
  public static final String MECHANISM = LedgerVerifier.DISTRIBUTED_MECHANISM;

  private final DistributedDpEncoding plan;

  /**
   * @param sum the secure sum's encoding as announced (clip, bits, weight cap)
   * @param terms the announced distributed-DP terms
   * @param parameters the model's parameter count
   */
  public DistributedDpRound(SecureSumEncoding sum, DistributedDpTerms terms, int parameters) {
    this.plan = new DistributedDpEncoding(sum, terms, parameters);
  }

  public DistributedDpEncoding plan() {
    return plan;
  }

  /** z of the released sum with the announced t and n, recomputed here (the ledger entry's noise multiplier). */
  public double effectiveNoiseMultiplier() {
    return plan.ledgerParameters().effectiveNoiseMultiplier();
  }

  /** Why the round must be declined (it would cross the silo's cap), or empty. */
  public Optional<String> refusal(SiloPrivacy privacy, int round) {
    return privacy.budget().refusal(round, plan.ledgerParameters().effectiveNoiseMultiplier(), 1.0, 1);
  }

  /** Charges the round (signed, durable) before anything it pays for is computed. */
  public SignedSpend charge(SiloPrivacy privacy, int round) {
    return privacy.chargeDistributedRound(round, plan.ledgerParameters(), plan.terms().clipNorm());
  }

  /**
   * Every customer's clipped gradient at the current parameters of {@code gradients}, encoded with
   * this silo's noise share and weight.
   */
  public DistributedDpEncoding.Encoded contribution(GradientSource gradients, long weight) {
    if (gradients.dimension() != plan.parameters()) {
      throw new IllegalArgumentException("gradients have " + gradients.dimension() + " entries, the plan "
          + plan.parameters());
    }
    DistributedDpEncoding.Accumulator acc = plan.accumulator();
    for (int k = 0; k < gradients.customers(); k++) {
      acc.addCustomer(gradients.gradient(k));
    }
    return acc.finish(weight);
  }

  /**
   * Why a session must be refused: its roster size, threshold, encoding or distributed-DP terms
   * differ from those this round was charged for; empty when they are identical.
   */
  public Optional<String> refusalFor(int clients, int threshold, SecureSumEncoding encoding, DistributedDpTerms terms) {
    DistributedDpTerms t = plan.terms();
    if (clients != t.maxContributors() || threshold != t.minSurvivors()) {
      return Optional.of(String.format("the session has n = %d, t = %d, but this silo's distributed-DP round was "
          + "charged for n = %d, t = %d", clients, threshold, t.maxContributors(), t.minSurvivors()));
    }
    if (!encoding.equals(plan.sum())) {
      return Optional.of("the session's encoding " + encoding + " differs from the announced " + plan.sum());
    }
    if (!t.equals(terms)) {
      return Optional.of("the session's distributed-DP terms " + terms + " differ from the announced " + t);
    }
    return Optional.empty();
  }
}
