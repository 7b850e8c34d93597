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
 */
public record Metrics(double hr10, double recall10, double ndcg10, double auc, long baskets) {
  public static final Metrics EMPTY = new Metrics(Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0);
}
