package org.hedgerow.edge.serve;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * How a customer's top {@code k} is put together, and how much of it explores.
 *
 * <p>Exploitation: every product the customer bought is scored by the model on their history with it
 * ({@link Reason#BOUGHT_BEFORE}); every other product gets the model's score for a customer who never
 * bought it, multiplied by {@code 1 + neighbourWeight · s / s_max} where s is its summed similarity to
 * what they bought ({@link Reason#SIMILAR_CUSTOMERS} when s &gt; 0, else {@link Reason#POPULAR}).
 *
 * <p>Exploration (ε-greedy, per slot): each of the k slots independently, with probability ε, is
 * replaced by a product drawn uniformly from the catalogue products neither bought by the customer nor
 * already in the slate ({@link Reason#EXPLORE}). The propensity of such a product is ε / (pool size);
 * {@code hedgerow replay} measures what a given ε costs and finds.
 *
 * @param epsilon per-slot exploration probability, in [0, 1]
 * @param neighbourWeight boost of the most similar new product relative to its model score, ≥ 0
 */
public record SlatePolicy(double epsilon, double neighbourWeight) {
  public static final double DEFAULT_EPSILON = 0.1;
  public static final double DEFAULT_NEIGHBOUR_WEIGHT = 1.0;

  public SlatePolicy {
    if (!(epsilon >= 0 && epsilon <= 1)) {
      throw new IllegalArgumentException("epsilon must be in [0, 1]. Provided value: " + epsilon);
    }
    if (!(neighbourWeight >= 0 && Double.isFinite(neighbourWeight))) {
      throw new IllegalArgumentException("neighbour weight must be >= 0 and finite. Provided value: " + neighbourWeight);
    }
  }

  /** A candidate with its score and reason. */
  record Pick(int item, float score, Reason reason) {}

  /** The personal slate of a customer with a non-empty profile. */
  List<Pick> personal(ServingSnapshot s, CustomerProfile p, int k, SplittableRandom rnd) {
    int[] bought = p.items();
    float[] boughtScores = p.historyScores(s);
    Map<Integer, Float> sim = neighbourWeight > 0 ? p.similarity(s) : Map.of();
    float max = p.maxSimilarity();
    List<Pick> candidates = new ArrayList<>(bought.length + sim.size() + k);
    for (int j = 0; j < bought.length; j++) {
      candidates.add(new Pick(bought[j], boughtScores[j], Reason.BOUGHT_BEFORE));
    }
    for (Map.Entry<Integer, Float> e : sim.entrySet()) {
      int i = e.getKey();
      float boost = (float) (1 + neighbourWeight * e.getValue() / max);
      candidates.add(new Pick(i, s.unseenScore(i) * boost, Reason.SIMILAR_CUSTOMERS));
    }
    int added = 0;
    for (int i : s.unseenOrder()) { // the best k new products without a neighbour boost
      if (added == k) {
        break;
      }
      if (!p.history().contains(i) && !sim.containsKey(i)) {
        candidates.add(new Pick(i, s.unseenScore(i), Reason.POPULAR));
        added++;
      }
    }
    candidates.sort((a, b) -> a.score() != b.score() ? Float.compare(b.score(), a.score())
        : Integer.compare(a.item(), b.item()));
    List<Pick> slate = new ArrayList<>(candidates.subList(0, Math.min(k, candidates.size())));
    return explore(s, p, slate, rnd);
  }

  /** The non-personal slate: the silo's most popular products (share of its customers who bought each). */
  static List<Pick> popular(ServingSnapshot s, int k) {
    List<Pick> out = new ArrayList<>(k);
    for (int i : s.popularOrder()) {
      if (out.size() == k) {
        break;
      }
      out.add(new Pick(i, s.popularity(i), Reason.POPULAR));
    }
    return out;
  }

  private List<Pick> explore(ServingSnapshot s, CustomerProfile p, List<Pick> slate, SplittableRandom rnd) {
    if (epsilon == 0) {
      return slate;
    }
    int n = s.catalogue().size();
    Set<Integer> taken = new HashSet<>();
    slate.forEach(x -> taken.add(x.item()));
    int pool = n - p.items().length - slate.size();
    for (int slot = 0; slot < slate.size() && pool > 0; slot++) {
      if (rnd.nextDouble() >= epsilon) {
        continue;
      }
      for (int tries = 0; tries < 64; tries++) { // rejection sampling: the pool is almost the whole catalogue
        int i = rnd.nextInt(n);
        if (!taken.contains(i) && !p.history().contains(i)) {
          taken.add(i);
          slate.set(slot, new Pick(i, s.unseenScore(i), Reason.EXPLORE));
          pool--;
          break;
        }
      }
    }
    return slate;
  }
}
