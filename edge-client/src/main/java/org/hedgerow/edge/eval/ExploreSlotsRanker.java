package org.hedgerow.edge.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;
import org.hedgerow.edge.features.CustomerHistory;
import org.hedgerow.edge.task.Basket;

/**
 * An explore/exploit policy over another ranker: the top {@link Evaluator#K} holds at least
 * {@code s = slots(customer)} products the customer never bought. If the model's own top K has
 * fewer, the top K becomes the model's best K − s repeats followed by its best s new products (each
 * in the model's order); below the top K the model's order is kept. With 0 slots, or a top K that
 * already holds s new products, it ranks exactly as the model.
 *
 * <p>Two declared slot rules: {@link #fixed} (the same count for everyone) and {@link #calibrated}
 * (from the customer's own habit: the share of new products in their past baskets, times K,
 * rounded), so customers who keep trying new things get more new products and staple re-orderers
 * keep their list.
 *
 * <p>With a {@link NewProductScorer} ({@link #fixed(Ranker, int, NewProductScorer)}) the model still
 * decides how many repeats the top K holds (its own top-K repeats, at most K − s of them), and the
 * scorer decides <em>which</em> new products fill the rest of it, in the scorer's order; also when
 * the model's own top K already holds s or more new products (s = 0 then only re-orders the new
 * products the model would show). Below the top K the model's order stands.
 *
 * <p>Keeps the last customer's scores between {@code personalItems} and {@code historyScores}:
 * one evaluation at a time per instance (not thread-safe).
 */
public final class ExploreSlotsRanker implements Ranker {
  private final Ranker model;
  private final ToIntFunction<CustomerHistory> slots;
  private final NewProductScorer newOrder;
  private final float[] unseen;
  private final int[] unseenDescending;
  private final float top;
  private CustomerHistory cachedFor;
  private Map<Integer, Float> cached;

  private ExploreSlotsRanker(Ranker model, ToIntFunction<CustomerHistory> slots, NewProductScorer newOrder) {
    this.model = model;
    this.slots = slots;
    this.newOrder = newOrder;
    this.unseen = model.unseenScores();
    unseenDescending = java.util.stream.IntStream.range(0, unseen.length).boxed()
        .sorted((a, b) -> unseen[a] != unseen[b] ? Float.compare(unseen[b], unseen[a]) : Integer.compare(a, b))
        .mapToInt(Integer::intValue).toArray();
    float max = Float.NEGATIVE_INFINITY;
    for (float u : unseen) {
      max = Math.max(max, u);
    }
    top = max;
  }

  /** At least {@code slots} new products in every top K. */
  public static ExploreSlotsRanker fixed(Ranker model, int slots) {
    checkSlots(slots);
    return new ExploreSlotsRanker(model, h -> slots, null);
  }

  /** At least {@code slots} new products in every top K, the new products of the top K chosen by {@code newOrder}. */
  public static ExploreSlotsRanker fixed(Ranker model, int slots, NewProductScorer newOrder) {
    checkSlots(slots);
    if (newOrder == null) {
      throw new IllegalArgumentException("newOrder must not be null");
    }
    return new ExploreSlotsRanker(model, h -> slots, newOrder);
  }

  private static void checkSlots(int slots) {
    if (slots < 0 || slots > Evaluator.K) {
      throw new IllegalArgumentException("explore slots must be in [0, " + Evaluator.K + "]. Provided value: " + slots);
    }
  }

  /**
   * Slots = round(K × scale × the share of products in the customer's baskets (after their first)
   * that they had not bought before), at most K.
   */
  public static ExploreSlotsRanker calibrated(Ranker model, double scale) {
    if (!(scale >= 0 && Double.isFinite(scale))) {
      throw new IllegalArgumentException("explore scale must be >= 0 and finite. Provided value: " + scale);
    }
    return new ExploreSlotsRanker(model, h -> (int) Math.min(Evaluator.K, Math.round(Evaluator.K * scale * newShare(h))),
        null);
  }

  /** Share of products in the customer's baskets after the first that were new to them then (0 with one basket). */
  public static double newShare(CustomerHistory history) {
    java.util.Set<Integer> seen = new java.util.HashSet<>();
    long fresh = 0;
    long total = 0;
    List<Basket> baskets = history.basketList();
    for (int t = 0; t < baskets.size(); t++) {
      for (int i : baskets.get(t).items()) {
        if (i < 0) {
          continue;
        }
        if (t > 0) {
          total++;
          fresh += seen.contains(i) ? 0 : 1;
        }
      }
      for (int i : baskets.get(t).items()) {
        seen.add(i);
      }
    }
    return total == 0 ? 0 : (double) fresh / total;
  }

  @Override
  public float[] unseenScores() {
    return unseen;
  }

  private Map<Integer, Float> personal(CustomerHistory history) {
    if (history == cachedFor) {
      return cached;
    }
    int[] items = model.personalItems(history);
    float[] scores = model.historyScores(history, items);
    Map<Integer, Float> out = new HashMap<>(items.length * 2);
    for (int k = 0; k < items.length; k++) {
      out.put(items[k], scores[k]);
    }
    int want = slots.applyAsInt(history);
    if (want > 0 || newOrder != null) {
      promote(history, out, want);
    }
    cachedFor = history;
    cached = out;
    return out;
  }

  /** Rewrites the top K in {@code scores} so it holds at least {@code want} new products. */
  private void promote(CustomerHistory history, Map<Integer, Float> scores, int want) {
    // The model's ranking: personal scores merged with the unseen order (ties: lower index first).
    Integer[] personal = scores.keySet().toArray(new Integer[0]);
    Arrays.sort(personal, (a, b) -> {
      int c = Float.compare(scores.get(b), scores.get(a));
      return c != 0 ? c : Integer.compare(a, b);
    });
    List<Integer> ranking = new ArrayList<>();
    List<Integer> bestNew = new ArrayList<>();
    int p = 0;
    int u = 0;
    while ((ranking.size() < Evaluator.K || bestNew.size() < want)
        && (p < personal.length || u < unseenDescending.length)) {
      int next;
      if (u < unseenDescending.length && scores.containsKey(unseenDescending[u])) {
        u++;
        continue;
      }
      if (p < personal.length && (u >= unseenDescending.length
          || scores.get(personal[p]) >= unseen[unseenDescending[u]])) {
        next = personal[p++];
      } else {
        next = unseenDescending[u++];
      }
      if (ranking.size() < Evaluator.K) {
        ranking.add(next);
      }
      if (!history.contains(next) && bestNew.size() < want) {
        bestNew.add(next);
      }
    }
    long newInTop = ranking.stream().filter(i -> !history.contains(i)).count();
    if (newOrder != null) {
      // The model's count of repeats (at most K - want), the scorer's choice of new products.
      want = (int) Math.max(want, newInTop);
      bestNew.clear();
      for (int i : newOrder.best(history, want)) {
        bestNew.add(i);
      }
    } else if (newInTop >= want) {
      return; // the model's top K already explores enough: its order stands
    }
    // The model's best K - want repeats, then its best new products, each in the model's order.
    List<Integer> ordered = new ArrayList<>(ranking.stream().filter(history::contains).limit(Evaluator.K - want)
        .toList());
    ordered.addAll(bestNew);
    float max = top;
    for (float s : scores.values()) {
      max = Math.max(max, s);
    }
    for (int r = 0; r < ordered.size(); r++) {
      scores.put(ordered.get(r), max + 1f + (ordered.size() - r));
    }
  }

  @Override
  public int[] personalItems(CustomerHistory history) {
    return personal(history).keySet().stream().mapToInt(Integer::intValue).sorted().toArray();
  }

  @Override
  public float[] historyScores(CustomerHistory history, int[] items) {
    Map<Integer, Float> p = personal(history);
    float[] out = new float[items.length];
    for (int k = 0; k < items.length; k++) {
      Float s = p.get(items[k]);
      out[k] = s != null ? s : unseen[items[k]];
    }
    return out;
  }
}
