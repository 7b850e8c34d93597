package org.hedgerow.edge.serve;

import java.util.Collection;
import java.util.List;
import org.hedgerow.edge.eval.Ranker;
import org.hedgerow.edge.eval.RepeatRanker;
import org.hedgerow.edge.features.CustomerHistory;
import org.hedgerow.edge.features.FeatureExtractor;
import org.hedgerow.edge.features.ItemStats;
import org.hedgerow.edge.task.Basket;
import org.hedgerow.edge.task.Catalogue;
import org.hedgerow.edge.task.CustomerLog;
import org.hedgerow.edge.task.SiloData;

/**
 * Everything serving derives from the silo's data as a whole, computed once and never changed: the
 * catalogue, the item statistics behind the features, the model's score of every product for a
 * customer who never bought it, the popular list and the item neighbours. Rebuilt (and swapped in)
 * when the set of customers it may use changes: an erasure or a training opt-out.
 */
public final class ServingSnapshot {
  /** Neighbours kept per product. */
  public static final int NEIGHBOURS_PER_ITEM = 30;

  private final Catalogue catalogue;
  private final Ranker ranker;
  private final String modelVersion;
  private final float[] unseen;
  private final int[] unseenOrder;
  private final int[] popularOrder;
  private final float[] popularity;
  private final ItemNeighbours neighbours;
  private final int statisticsCustomers;
  private final double neighbourWeight;
  private final List<SlatePolicy.Pick> popularSlate;
  private final String modelVersionJson;

  private ServingSnapshot(Catalogue catalogue, Ranker ranker, String modelVersion, ItemStats stats,
      ItemNeighbours neighbours, int statisticsCustomers, double neighbourWeight) {
    this.neighbourWeight = neighbourWeight;
    this.catalogue = catalogue;
    this.ranker = ranker;
    this.modelVersion = modelVersion;
    this.unseen = ranker.unseenScores();
    this.unseenOrder = order(unseen);
    int n = catalogue.size();
    this.popularity = new float[n];
    for (int i = 0; i < n; i++) {
      popularity[i] = statisticsCustomers == 0 ? 0f : (float) stats.customers(i) / statisticsCustomers;
    }
    this.popularOrder = order(popularity);
    this.neighbours = neighbours;
    this.statisticsCustomers = statisticsCustomers;
    this.popularSlate = SlatePolicy.popularSlate(this);
    this.modelVersionJson = io.vertx.core.json.Json.encode(modelVersion);
  }

  /**
   * @param statistics the customers whose baskets make the item statistics, popularity and neighbours
   *     (those who allow it); all their baskets must be in {@code train}
   * @param model the global model, or null to rank with the {@code repeat} baseline
   * @param neighbourWeight the ranking's boost of similar customers' products ({@link SlatePolicy})
   */
  public static ServingSnapshot build(Catalogue catalogue, Collection<CustomerLog> statistics, ServingModel model,
      double neighbourWeight) {
    SiloData pooled = new SiloData("serving", List.copyOf(statistics));
    ItemStats stats = ItemStats.of(List.of(pooled), catalogue.size());
    FeatureExtractor fx = new FeatureExtractor(stats);
    Ranker ranker = model == null ? new RepeatRanker(stats) : new MlpRanker(model.scorer(), fx);
    ItemNeighbours nb = ItemNeighbours.build(statistics, catalogue.size(), NEIGHBOURS_PER_ITEM);
    int buyers = (int) statistics.stream().filter(c -> !c.train().isEmpty()).count();
    return new ServingSnapshot(catalogue, ranker, model == null ? "none (repeat baseline)" : model.version(), stats,
        nb, buyers, neighbourWeight);
  }

  /** A customer's profile over this snapshot's catalogue, from their baskets in time order. */
  public CustomerProfile profile(List<Basket> baskets) {
    CustomerHistory h = new CustomerHistory();
    baskets.forEach(h::add);
    return new CustomerProfile(h, this);
  }

  public Catalogue catalogue() {
    return catalogue;
  }

  public String modelVersion() {
    return modelVersion;
  }

  public int statisticsCustomers() {
    return statisticsCustomers;
  }

  Ranker ranker() {
    return ranker;
  }

  float unseenScore(int item) {
    return unseen[item];
  }

  int[] unseenOrder() {
    return unseenOrder;
  }

  int[] popularOrder() {
    return popularOrder;
  }

  float popularity(int item) {
    return popularity[item];
  }

  List<SlatePolicy.Pick> popularSlate() {
    return popularSlate;
  }

  /** The model version as a JSON string literal. */
  String modelVersionJson() {
    return modelVersionJson;
  }

  double neighbourWeight() {
    return neighbourWeight;
  }

  ItemNeighbours neighbours() {
    return neighbours;
  }

  /** Item indices by descending score, ties by index (deterministic). */
  private static int[] order(float[] scores) {
    return java.util.stream.IntStream.range(0, scores.length).boxed()
        .sorted((a, b) -> scores[a] != scores[b] ? Float.compare(scores[b], scores[a]) : Integer.compare(a, b))
        .mapToInt(Integer::intValue).toArray();
  }
}
