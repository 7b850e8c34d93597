package org.hedgerow.edge.eval;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hedgerow.edge.features.CustomerHistory;
import org.hedgerow.edge.task.Basket;
import org.hedgerow.edge.task.CustomerLog;

/**
 * Ranks with TIFU-KNN ({@link TifuKnn}): neighbours come from a pool of customers' full training
 * histories, the customer's own vector from the history being ranked (the customer themselves is
 * never their own neighbour). Products outside the personal scores' support rank after them, by
 * popularity.
 *
 * <p>Keeps the last customer's scores between {@code personalItems} and {@code historyScores}:
 * one evaluation at a time per instance (not thread-safe).
 */
public final class TifuKnnRanker implements Ranker {
  private final TifuKnnSettings settings;
  private final TifuKnn.Pool pool;
  private final float[] unseen;
  private final double[] scratch;
  private CustomerHistory cachedFor;
  private TifuKnn.Scores cached;

  /**
   * @param pool the customers whose training histories may be neighbours
   * @param popularity tie-break and order of the products without a personal score (higher first)
   */
  public TifuKnnRanker(TifuKnnSettings settings, List<CustomerLog> pool, float[] popularity) {
    this.settings = settings;
    int n = popularity.length;
    Map<Integer, List<Basket>> histories = new LinkedHashMap<>();
    pool.forEach(c -> histories.put(c.customerId(), c.train()));
    this.pool = TifuKnn.pool(histories, n, settings.groupSize(), settings.withinDecay(), settings.groupDecay());
    float max = 0;
    for (float p : popularity) {
      max = Math.max(max, p);
    }
    unseen = new float[n];
    for (int i = 0; i < n; i++) {
      // Below every personal score (> 0), in popularity order among themselves.
      unseen[i] = -1f + popularity[i] / (max + 1);
    }
    scratch = new double[n];
  }

  public TifuKnnSettings settings() {
    return settings;
  }

  @Override
  public float[] unseenScores() {
    return unseen;
  }

  private TifuKnn.Scores scoresOf(CustomerHistory history) {
    if (history != cachedFor) {
      List<Basket> baskets = history.basketList();
      int id = baskets.isEmpty() ? Integer.MIN_VALUE : baskets.get(0).customerId();
      TifuKnn.UserVector own = TifuKnn.userVector(id, baskets, settings.groupSize(), settings.withinDecay(),
          settings.groupDecay(), scratch);
      int[] nb = own.isEmpty() ? new int[0] : pool.nearest(own, settings.neighbours());
      TifuKnn.Scores s = TifuKnn.scores(own, pool, nb, settings.alpha(), unseen.length);
      // Every product the customer bought must be personal (Ranker contract); with alpha 0 one may
      // have no neighbour weight: it then keeps its unseen score.
      int[] mine = history.items();
      int[] items = java.util.stream.IntStream.concat(Arrays.stream(s.items()), Arrays.stream(mine)).distinct()
          .sorted().toArray();
      float[] values = new float[items.length];
      for (int k = 0; k < items.length; k++) {
        int at = Arrays.binarySearch(s.items(), items[k]);
        values[k] = at >= 0 ? s.values()[at] : unseen[items[k]];
      }
      cached = new TifuKnn.Scores(items, values);
      cachedFor = history;
    }
    return cached;
  }

  @Override
  public int[] personalItems(CustomerHistory history) {
    return scoresOf(history).items();
  }

  @Override
  public float[] historyScores(CustomerHistory history, int[] items) {
    TifuKnn.Scores s = scoresOf(history);
    float[] out = new float[items.length];
    for (int k = 0; k < items.length; k++) {
      int at = Arrays.binarySearch(s.items(), items[k]);
      out[k] = at >= 0 ? s.values()[at] : unseen[items[k]];
    }
    return out;
  }
}
