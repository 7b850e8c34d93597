package org.hedgerow.edge.serve;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.hedgerow.edge.task.Basket;
import org.hedgerow.edge.task.CustomerLog;

/**
 * "Customers who bought this also bought": for each product, the products most often bought by the
 * same customers, by cosine similarity of their buyer sets (co-buyers / √(buyers_i · buyers_j)). The
 * model gives every product a customer never bought the same score whoever the customer is; this is
 * what makes those products personal ({@link Reason#SIMILAR_CUSTOMERS}).
 */
public final class ItemNeighbours {
  private final int[][] items;
  private final float[][] similarity;

  private ItemNeighbours(int[][] items, float[][] similarity) {
    this.items = items;
    this.similarity = similarity;
  }

  /** Top-{@code perItem} neighbours of every product of a catalogue of {@code size}, from the customers' training baskets. */
  public static ItemNeighbours build(Collection<CustomerLog> customers, int size, int perItem) {
    List<int[]> bought = new ArrayList<>();
    int[] buyers = new int[size];
    for (CustomerLog c : customers) {
      java.util.BitSet d = new java.util.BitSet(size);
      for (Basket b : c.train()) {
        for (int i : b.items()) {
          if (i >= 0) {
            d.set(i);
          }
        }
      }
      int[] distinct = d.stream().toArray();
      if (distinct.length > 0) {
        bought.add(distinct);
        for (int i : distinct) {
          buyers[i]++;
        }
      }
    }
    int[][] byItem = new int[size][];
    int[] fill = new int[size];
    for (int i = 0; i < size; i++) {
      byItem[i] = new int[buyers[i]];
    }
    for (int c = 0; c < bought.size(); c++) {
      for (int i : bought.get(c)) {
        byItem[i][fill[i]++] = c;
      }
    }
    int[][] top = new int[size][];
    float[][] sim = new float[size][];
    int[] co = new int[size];
    int[] touched = new int[size];
    for (int i = 0; i < size; i++) {
      int n = 0;
      for (int c : byItem[i]) {
        for (int j : bought.get(c)) {
          if (j != i && co[j]++ == 0) {
            touched[n++] = j;
          }
        }
      }
      int keep = Math.min(perItem, n);
      int[] best = new int[keep];
      float[] bestSim = new float[keep];
      int filled = 0;
      for (int t = 0; t < n; t++) {
        int j = touched[t];
        float s = (float) (co[j] / Math.sqrt((double) buyers[i] * buyers[j]));
        co[j] = 0;
        if (filled < keep || s > bestSim[keep - 1]) { // insertion into a short sorted list
          int pos = filled < keep ? filled++ : keep - 1;
          while (pos > 0 && (bestSim[pos - 1] < s || (bestSim[pos - 1] == s && best[pos - 1] > j))) {
            best[pos] = best[pos - 1];
            bestSim[pos] = bestSim[pos - 1];
            pos--;
          }
          best[pos] = j;
          bestSim[pos] = s;
        }
      }
      top[i] = best;
      sim[i] = bestSim;
    }
    return new ItemNeighbours(top, sim);
  }

  /** The neighbours of {@code item}, most similar first. */
  public int[] of(int item) {
    return items[item];
  }

  /** Their similarities, in the same order as {@link #of}. */
  public float[] similarities(int item) {
    return similarity[item];
  }
}
