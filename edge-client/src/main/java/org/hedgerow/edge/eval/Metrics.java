package org.hedgerow.edge.eval;

/**
 * Ranking quality over test baskets. Keys as in reports: {@code hr@10}, {@code recall@10},
 * {@code ndcg@10}, {@code auc}.
 *
 * @param hr10 share of test baskets with at least one of their products in the top 10
 * @param recall10 mean over baskets of (products in the top 10) / (products in the basket)
 * @param ndcg10 mean normalised discounted cumulative gain of the top 10
 * @param auc mean over baskets of the probability that a bought product outranks a non-bought one
 * @param baskets number of test baskets
 * @param recall10Repeat {@code recall@10-repeat} (Li et al. 2023, "A Next Basket Recommendation
 *     Reality Check"): recall@10 over the basket's products the customer bought before, averaged over
 *     baskets that have any (NaN if none)
 * @param recall10Explore {@code recall@10-explore}: recall@10 over the basket's products new to the
 *     customer (products first sold in the test period count as misses), averaged over baskets that
 *     have any (NaN if none)
 * @param repeatShare10 mean share of the top 10 that are products the customer bought before
 */
public record Metrics(double hr10, double recall10, double ndcg10, double auc, long baskets, double recall10Repeat,
    double recall10Explore, double repeatShare10) {
  public static final Metrics EMPTY = new Metrics(Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, Double.NaN,
      Double.NaN, Double.NaN);
}
