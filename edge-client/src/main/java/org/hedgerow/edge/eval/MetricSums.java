package org.hedgerow.edge.eval;

/** Running sums behind {@link Metrics}, mergeable across silos and threads. */
public final class MetricSums {
  long baskets;
  double hits;
  double recall;
  double ndcg;
  double auc;
  long aucBaskets;
  double recallRepeat;
  long repeatBaskets;
  double recallExplore;
  long exploreBaskets;
  double repeatShare;

  public void add(MetricSums o) {
    baskets += o.baskets;
    hits += o.hits;
    recall += o.recall;
    ndcg += o.ndcg;
    auc += o.auc;
    aucBaskets += o.aucBaskets;
    recallRepeat += o.recallRepeat;
    repeatBaskets += o.repeatBaskets;
    recallExplore += o.recallExplore;
    exploreBaskets += o.exploreBaskets;
    repeatShare += o.repeatShare;
  }

  public Metrics metrics() {
    if (baskets == 0) {
      return Metrics.EMPTY;
    }
    return new Metrics(hits / baskets, recall / baskets, ndcg / baskets,
        aucBaskets == 0 ? Double.NaN : auc / aucBaskets, baskets,
        repeatBaskets == 0 ? Double.NaN : recallRepeat / repeatBaskets,
        exploreBaskets == 0 ? Double.NaN : recallExplore / exploreBaskets, repeatShare / baskets);
  }
}
