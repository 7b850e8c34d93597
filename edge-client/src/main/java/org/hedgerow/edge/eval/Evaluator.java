package org.hedgerow.edge.eval;

import java.util.Arrays;
import org.hedgerow.edge.features.CustomerHistory;
import org.hedgerow.edge.task.Basket;
import org.hedgerow.edge.task.CustomerLog;
import org.hedgerow.edge.task.SiloData;

/**
 * Ranks the whole catalogue (every product seen in training; no sampled negatives) for each test
 * basket and measures where the basket's products land.
 *
 * <p>Ties are split: an item tied with {@code k} others sits {@code k/2} places below those strictly
 * above it, so a ranker cannot gain from ties in either direction. Products first sold in the test
 * period cannot be ranked; they count as misses in recall and nDCG and are left out of AUC.
 */
public final class Evaluator {
  public static final int K = 10;

  private Evaluator() {}

  /** Evaluates {@code ranker} on every test basket of {@code silo}. */
  public static MetricSums evaluate(SiloData silo, Ranker ranker) {
    float[] unseen = ranker.unseenScores();
    float[] sorted = unseen.clone();
    Arrays.sort(sorted);
    MetricSums sums = new MetricSums();
    // The customer's past products as a flag per catalogue index: looked up for every candidate and target,
    // where the history's boxed map took about half of the evaluator's own time (profiled).
    boolean[] bought = new boolean[unseen.length];
    for (CustomerLog c : silo.customers()) {
      if (c.test().isEmpty()) {
        continue;
      }
      CustomerHistory h = new CustomerHistory();
      c.train().forEach(h::add);
      int[] own = ranker.personalItems(h);
      float[] ownScores = ranker.historyScores(h, own);
      PersonalScores personal = new PersonalScores(own, ownScores);
      PersonalCounts counts = new PersonalCounts(unseen, sorted, own, ownScores);
      int[] past = h.items();
      for (int i : past) {
        bought[i] = true;
      }
      double share = repeatShareOfTop(bought, own, ownScores, counts);
      for (Basket b : c.test()) {
        score(b, bought, unseen, personal, counts, sums);
        sums.repeatShare += share;
      }
      for (int i : past) {
        bought[i] = false;
      }
    }
    return sums;
  }

  private static void score(Basket b, boolean[] bought, float[] unseen, PersonalScores personal, PersonalCounts counts,
      MetricSums sums) {
    int basketSize = b.items().length;
    int known = 0;
    for (int i : b.items()) {
      if (i >= 0) {
        known++;
      }
    }
    int[] pos = new int[known];
    float[] posScore = new float[known];
    int k = 0;
    for (int i : b.items()) {
      if (i >= 0) {
        pos[k] = i;
        posScore[k++] = personal.scoreOr(i, unseen[i]);
      }
    }
    int n = unseen.length;
    int hits = 0;
    int repeatTargets = 0;
    int repeatHits = 0;
    double dcg = 0;
    double aucSum = 0;
    for (int a = 0; a < known; a++) {
      float s = posScore[a];
      long[] at = counts.aboveAndTied(s);
      long above = at[0];
      long tied = at[1];
      double position = above + tied / 2.0;
      boolean repeat = bought[pos[a]];
      repeatTargets += repeat ? 1 : 0;
      if (position < K) {
        hits++;
        repeatHits += repeat ? 1 : 0;
        dcg += 1.0 / log2(Math.floor(position) + 2);
      }
      // AUC against the non-bought candidates: remove the basket's other products from the counts.
      long negAbove = above;
      long negTied = tied;
      for (int c = 0; c < known; c++) {
        if (c == a) {
          continue;
        }
        if (posScore[c] > s) {
          negAbove--;
        } else if (posScore[c] == s) {
          negTied--;
        }
      }
      long negatives = n - known;
      if (negatives > 0) {
        aucSum += 1.0 - (negAbove + negTied / 2.0) / negatives;
      }
    }
    double idcg = 0;
    for (int r = 0; r < Math.min(K, basketSize); r++) {
      idcg += 1.0 / log2(r + 2);
    }
    sums.baskets++;
    sums.hits += hits > 0 ? 1 : 0;
    sums.recall += (double) hits / basketSize;
    sums.ndcg += idcg == 0 ? 0 : dcg / idcg;
    if (known > 0 && n > known) {
      sums.auc += aucSum / known;
      sums.aucBaskets++;
    }
    // Repeat / explore split (Li et al. 2023): unknown products are new to everyone, so explore misses.
    int exploreTargets = basketSize - repeatTargets;
    if (repeatTargets > 0) {
      sums.recallRepeat += (double) repeatHits / repeatTargets;
      sums.repeatBaskets++;
    }
    if (exploreTargets > 0) {
      sums.recallExplore += (double) (hits - repeatHits) / exploreTargets;
      sums.exploreBaskets++;
    }
  }

  /**
   * The share of the customer's top {@link #K} that are products they bought before: each own
   * product's position is computed as for a target (ties split), and those above K are counted.
   */
  private static double repeatShareOfTop(boolean[] bought, int[] own, float[] ownScores, PersonalCounts counts) {
    double inTop = 0;
    for (int a = 0; a < own.length; a++) {
      if (!bought[own[a]]) {
        continue; // a personal score for a new product: it takes a place, but not a repeat's
      }
      long[] at = counts.aboveAndTied(ownScores[a]);
      long above = at[0];
      long tied = at[1];
      // Within the top K the item takes a share of the tied places that fall inside it.
      if (above + tied + 1 <= K) {
        inTop += 1;
      } else if (above < K) {
        inTop += (double) (K - above) / (tied + 1);
      }
    }
    return Math.min(K, inTop) / K;
  }

  private static double log2(double x) {
    return Math.log(x) / Math.log(2);
  }
}
