package org.hedgerow.edge.serve;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.hedgerow.edge.task.Basket;
import org.hedgerow.edge.task.Catalogue;
import org.hedgerow.edge.task.CustomerLog;
import org.hedgerow.edge.task.SiloData;

/**
 * Offline estimate of what a serving policy would earn, replayed on logged data: every customer's
 * training history is what the service would know, their held-out basket is what they went on to
 * do. For each held-out basket the policy draws its slate exactly as {@code serve} would (same
 * snapshot, same exploration), and the slate is scored against the basket.
 *
 * <p>This is the replay method under full feedback: the held-out basket tells us the outcome of
 * every product, shown or not, so no propensity weighting is needed — at the price of one
 * assumption: that showing a slate would not have changed what the customer did. It therefore
 * measures what exploration costs in immediate hits and how often its random products are ones the
 * customer did go for; it cannot measure what exploration teaches a model over later rounds.
 */
public final class HoldoutReplay {
  private HoldoutReplay() {}

  /**
   * The rates of one policy, averaged over held-out baskets and {@code repeats} draws of its randomness.
   *
   * @param hitRate share of held-out baskets with at least one slate product in them (for an event log:
   *     any weighted behaviour on it — a click; for a retail log: a purchase)
   * @param precision mean share of slate products that are in the held-out basket
   * @param newHitRate share of held-out baskets hit by a product new to the customer
   * @param exploreHitShare share of explore slots whose product is in the held-out basket
   * @param hitRateStdError standard error of {@code hitRate} over the repeats (0 for one repeat)
   * @param baskets held-out baskets replayed (per repeat)
   */
  public record Result(double epsilon, double hitRate, double precision, double newHitRate, double exploreHitShare,
      double hitRateStdError, long baskets, int repeats) {}

  /** Replays {@code policy} on {@code data} (split by its holdout) with {@code k} slots. */
  public static Result run(SiloData data, Catalogue catalogue, ServingModel model, SlatePolicy policy, int k,
      int repeats, long seed) {
    if (k < 1 || repeats < 1) {
      throw new IllegalArgumentException("k and repeats must be >= 1");
    }
    ServingSnapshot s = ServingSnapshot.build(catalogue, data.customers(), model, policy.neighbourWeight());
    List<CustomerProfile> profiles = new ArrayList<>();
    List<Set<Integer>> targets = new ArrayList<>();
    for (CustomerLog c : data.customers()) {
      for (Basket b : c.test()) {
        Set<Integer> t = new HashSet<>();
        for (int i : b.items()) {
          t.add(i); // unknown products (-1) stay as misses
        }
        profiles.add(s.profile(c.train()));
        targets.add(t);
      }
    }
    SplittableRandom rnd = new SplittableRandom(seed);
    double[] perRepeat = new double[repeats];
    double precision = 0;
    double newHits = 0;
    long exploreSlots = 0;
    long exploreHits = 0;
    for (int r = 0; r < repeats; r++) {
      long hits = 0;
      for (int n = 0; n < profiles.size(); n++) {
        CustomerProfile p = profiles.get(n);
        List<SlatePolicy.Pick> slate = p.isEmpty() ? SlatePolicy.popular(s, k) : policy.personal(s, p, k, rnd);
        int inBasket = 0;
        boolean newHit = false;
        for (SlatePolicy.Pick x : slate) {
          boolean hit = targets.get(n).contains(x.item());
          inBasket += hit ? 1 : 0;
          newHit |= hit && !p.history().contains(x.item());
          if (x.reason() == Reason.EXPLORE) {
            exploreSlots++;
            exploreHits += hit ? 1 : 0;
          }
        }
        hits += inBasket > 0 ? 1 : 0;
        newHits += newHit ? 1 : 0;
        precision += (double) inBasket / k;
      }
      perRepeat[r] = profiles.isEmpty() ? 0 : (double) hits / profiles.size();
    }
    double total = (double) profiles.size() * repeats;
    double mean = java.util.Arrays.stream(perRepeat).average().orElse(0);
    double se = 0;
    if (repeats > 1) {
      double ss = 0;
      for (double v : perRepeat) {
        ss += (v - mean) * (v - mean);
      }
      se = Math.sqrt(ss / (repeats - 1) / repeats);
    }
    return new Result(policy.epsilon(), mean, total == 0 ? 0 : precision / total, total == 0 ? 0 : newHits / total,
        exploreSlots == 0 ? 0 : (double) exploreHits / exploreSlots, se, profiles.size(), repeats);
  }
}
