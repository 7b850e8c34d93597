package org.hedgerow.edge.client;

import java.util.Optional;

/**
 * What a silo insists on before its update leaves ({@code hedgerow client --require-secure-aggregation
 * --min-clients N --min-threshold T --min-bits B --max-round R --max-sybils S}). Checked twice: on the round state before training,
 * and on the session the coordinator actually serves at advertise-keys (the roster size and the
 * parameters this silo's own protocol run will use), so a coordinator cannot announce one thing and
 * run another.
 *
 * @param required refuse any round that would send the update in the clear
 * @param minClients fewest silos in the secure-aggregation roster (n); 0: no minimum
 * @param minThreshold smallest Shamir threshold t; 0: no minimum
 * @param minBits fewest quantisation bits; 0: no minimum
 * @param maxRound highest federation round this silo aggregates securely; 0: {@link #DEFAULT_MAX_ROUND}.
 *     The SecAgg+ neighbour graph of a round is fixed by its round number (docs/security.md, "Where the
 *     graph comes from"), so a coordinator that skips or aborts rounds gets one more graph to choose from
 *     each time; the bound caps those draws. It holds for every secure session this silo joins, with or
 *     without {@code required}: set it to the rounds the federation agreed (plus slack for aborted ones)
 *     for a tighter cap, or higher for a federation of more rounds
 */
public record SecureAggregationPolicy(boolean required, int minClients, int minThreshold, int minBits, int maxRound,
    int maxSybils) {
  /**
   * The bound on round numbers a silo aggregates securely when its operator sets none: at most this
   * many neighbour graphs for a coordinator to choose among (about 7·10⁻⁴ for a chosen victim at
   * q = 0.1, docs/security.md), far above the rounds a regional federation runs.
   */
  public static final int DEFAULT_MAX_ROUND = 1000;

  /** No requirement: the silo takes part however the coordinator aggregates (secure rounds up to the default bound). */
  public static final SecureAggregationPolicy NONE = new SecureAggregationPolicy(false, 0, 0, 0, 0, 0);

  /**
   * @param maxSybils S, the most colluding silos (Sybils: enrolled identities the coordinator controls
   *     or bribes) this silo assumes among its graph neighbours; 0: no assumption beyond honest
   *     neighbours. With S &gt; 0 it refuses a session unless 2t &gt; k + S for the session's degree k and
   *     threshold t: each honest neighbour reveals only one of this silo's two secrets, a Sybil neighbour
   *     both, so t shares of both need (honest + 2·Sybil) ≥ 2t, i.e. k + S ≥ 2t (docs/security.md, "What
   *     the consistency round buys")
   */
  public SecureAggregationPolicy {
    if (minClients < 0 || minThreshold < 0 || minBits < 0 || maxRound < 0 || maxSybils < 0) {
      throw new IllegalArgumentException("secure-aggregation minimums, --max-round and --max-sybils must be >= 0. "
          + "Provided values: clients " + minClients + ", threshold " + minThreshold + ", bits " + minBits
          + ", max round " + maxRound + ", max Sybils " + maxSybils);
    }
    if (!required && (minClients > 0 || minThreshold > 0 || minBits > 0 || maxSybils > 0)) {
      throw new IllegalArgumentException("--min-clients, --min-threshold, --min-bits and --max-sybils apply only with "
          + "--require-secure-aggregation");
    }
  }

  /** Without a Sybil assumption. */
  public SecureAggregationPolicy(boolean required, int minClients, int minThreshold, int minBits, int maxRound) {
    this(required, minClients, minThreshold, minBits, maxRound, 0);
  }

  /** Without a round bound. */
  public SecureAggregationPolicy(boolean required, int minClients, int minThreshold, int minBits) {
    this(required, minClients, minThreshold, minBits, 0, 0);
  }

  /** The highest round this silo aggregates securely ({@code maxRound}, or the default). */
  public int effectiveMaxRound() {
    return maxRound > 0 ? maxRound : DEFAULT_MAX_ROUND;
  }

  /** Why this silo refuses round {@code round} as announced, or empty if it takes part. */
  public Optional<String> refusal(int round, org.hedgerow.aggregation.wire.SecureAggregationTerms terms) {
    if (!required) {
      return terms == null ? Optional.empty() : aboveMaxRound(round);
    }
    if (terms == null) {
      return Optional.of("round " + round + " would send this silo's update in the clear: the coordinator runs no "
          + "secure aggregation, and this silo requires it (--require-secure-aggregation)");
    }
    return below(round, orUnknown(terms.numClients()), orUnknown(terms.threshold()), orUnknown(terms.bits()));
  }

  /** Why this silo refuses a session of {@code n} silos, threshold {@code t}, {@code bits} bits (-1: unknown, not checked). */
  public Optional<String> below(int round, int n, int t, int bits) {
    Optional<String> above = aboveMaxRound(round);
    if (above.isPresent() || !required) {
      return above;
    }
    if (minClients > 0 && n >= 0 && n < minClients) {
      return Optional.of(refused(round, n + " silos in the roster", "--min-clients " + minClients));
    }
    if (minThreshold > 0 && t >= 0 && t < minThreshold) {
      return Optional.of(refused(round, "threshold " + t, "--min-threshold " + minThreshold));
    }
    if (minBits > 0 && bits >= 0 && bits < minBits) {
      return Optional.of(refused(round, bits + " quantisation bits", "--min-bits " + minBits));
    }
    return Optional.empty();
  }

  /**
   * Why this silo refuses a session whose graph gives it {@code neighbours} neighbours (k) at threshold
   * {@code threshold} (t) under its Sybil assumption, or empty: refused when {@code maxSybils > 0} and
   * 2t ≤ k + S, where S Sybil neighbours and a split of the honest ones would hand the coordinator t shares
   * of both this silo's self-mask seed and its mask key, and so its update.
   */
  public Optional<String> sybilExposure(int round, int neighbours, int threshold) {
    if (maxSybils == 0 || 2 * threshold > neighbours + maxSybils) {
      return Optional.empty();
    }
    int needed = (neighbours + maxSybils) / 2 + 1;
    return Optional.of("round " + round + "'s secure aggregation has threshold t = " + threshold + " over k = "
        + neighbours + " neighbours: with up to " + maxSybils + " Sybil neighbours (--max-sybils " + maxSybils
        + ") the coordinator could collect t shares of both of this silo's secrets, which needs t > (k + S)/2, "
        + "i.e. t >= " + needed + (needed > neighbours ? " (more than k: no threshold suffices at this degree; "
        + "the coordinator must use more neighbours)" : "") + ": refusing to send its update");
  }

  /** Secure rounds numbered above the bound are refused, required or not: each would be one more graph draw. */
  private Optional<String> aboveMaxRound(int round) {
    if (round <= effectiveMaxRound()) {
      return Optional.empty();
    }
    return Optional.of("round " + round + " is above this silo's --max-round " + effectiveMaxRound()
        + (maxRound > 0 ? " (the rounds this federation agreed)" : " (the default)") + ": refusing to send its update "
        + "through secure aggregation, as a coordinator that skips or aborts rounds could choose among more neighbour "
        + "graphs; raise --max-round for a federation of more rounds");
  }

  private static int orUnknown(Integer announced) {
    return announced == null ? -1 : announced;
  }

  private static String refused(int round, String found, String minimum) {
    return "round " + round + "'s secure aggregation offers " + found + ", below this silo's " + minimum
        + ": refusing to send its update";
  }

  /** The coordinator's secure aggregation is below this silo's policy: the silo declines and leaves. */
  public static final class RefusedException extends RuntimeException {
    public RefusedException(String message) {
      super(message);
    }
  }
}
