package org.hedgerow.edge.eval;

/** Running sums behind {@link Metrics}, mergeable across silos and threads. */
public final class MetricSums {
  long baskets;
  double hits;
  double recall;
  double ndcg;
  double auc;
  long aucBaskets;

  public void add(MetricSums o) {
    baskets += o.baskets;
    hits += o.hits;
    recall += o.recall;
    ndcg += o.ndcg;
    auc += o.auc;
    aucBaskets += o.aucBaskets;
  }

  public Metrics metrics() {
    if (baskets == 0) {
      return Metrics.EMPTY;
    }
    return new Metrics(hits / baskets, recall / baskets, ndcg / baskets,
        aucBaskets == 0 ? Double.NaN : auc / aucBaskets, baskets);
  }
}
