package org.hedgerow.edge.features;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.SplittableRandom;
import org.hedgerow.edge.task.Basket;
import org.hedgerow.edge.task.CustomerLog;
import org.hedgerow.edge.task.SiloData;

/**
 * Self-supervised examples that mirror the test task: for each of a customer's last few training
 * baskets, the baskets before it are the history and its products are the positives.
 *
 * <p>At test time every catalogue product is a candidate, so the loss we want is the one over the
 * whole catalogue. Scoring all of it per example would be far too slow, so negatives are drawn in
 * three strata — the customer's own earlier products that were not re-bought (few, and the hard
 * case), the new products co-purchase points to ({@link FeatureExtractor#newCandidates}, the hard
 * new ones), and the rest of the catalogue uniformly — and each example carries the weight of the
 * stratum size over its sample size. The weighted loss is then an unbiased estimate of the
 * full-catalogue loss; without the weights the history stratum is over-represented ~50 times and
 * the model learns that having bought a product makes a repeat <em>less</em> likely.
 * Negatives get one extra constant factor {@link #NEGATIVE_SCALE}: a constant re-weighting of one
 * class moves every log-odds by the same amount, so rankings are unchanged while gradients from
 * positives are not drowned.
 */
public final class TrainingSetBuilder {
  /** How many of a customer's latest training baskets become prediction targets. */
  public static final int DEFAULT_TARGETS_PER_CUSTOMER = 8;
  /** Sample size per stratum: positives, history negatives; catalogue negatives get twice this. */
  public static final int DEFAULT_EXAMPLES_PER_KIND = 16;
  static final float NEGATIVE_SCALE = 1f / 50f;

  private final int targetsPerCustomer;
  private final int perKind;

  public TrainingSetBuilder(int targetsPerCustomer, int perKind) {
    if (targetsPerCustomer < 1 || perKind < 1) {
      throw new IllegalArgumentException("targets per customer and examples per kind must be >= 1");
    }
    this.targetsPerCustomer = targetsPerCustomer;
    this.perKind = perKind;
  }

  public TrainingSetBuilder() {
    this(DEFAULT_TARGETS_PER_CUSTOMER, DEFAULT_EXAMPLES_PER_KIND);
  }

  /** Examples of every customer of {@code silo}, with features from {@code extractor}. */
  public TrainingSet build(SiloData silo, FeatureExtractor extractor, long seed) {
    return build(silo.customers(), extractor, seed);
  }

  public TrainingSet build(List<CustomerLog> customers, FeatureExtractor extractor, long seed) {
    return build(customers, extractor, CustomerSeeds.shared(seed));
  }

  /**
   * Examples of {@code customers}, each customer's negatives and positive subsamples drawn from
   * {@code seeds}' stream for that customer ({@link CustomerSeeds#secret} under DP: then a
   * customer's examples depend only on their own history, the features and their own stream).
   */
  public TrainingSet build(List<CustomerLog> customers, FeatureExtractor extractor, CustomerSeeds seeds) {
    int catalogue = extractor.stats().size();
    FloatBuffer x = new FloatBuffer();
    FloatBuffer y = new FloatBuffer();
    FloatBuffer w = new FloatBuffer();
    float[] row = new float[FeatureExtractor.FEATURES];
    int contributing = 0;
    // Row offset where each contributing customer's examples start: user-level DP samples and
    // clips per customer, so it must know which rows belong to whom.
    java.util.List<Integer> offsets = new ArrayList<>();
    offsets.add(0);
    for (CustomerLog c : customers) {
      List<Basket> train = c.train();
      int first = Math.max(1, train.size() - targetsPerCustomer);
      if (first >= train.size()) {
        continue;
      }
      contributing++;
      SplittableRandom rnd = seeds.streamFor(c.customerId());
      CustomerHistory h = new CustomerHistory();
      for (int t = 0; t < train.size(); t++) {
        Basket b = train.get(t);
        if (t >= first) {
          Set<Integer> target = new HashSet<>();
          for (int i : b.items()) {
            if (i >= 0) {
              target.add(i);
            }
          }
          List<Integer> positives = sample(new ArrayList<>(target), rnd);
          for (int i : positives) {
            extractor.write(h, i, row, 0);
            x.add(row);
            y.add(1f);
            w.add((float) target.size() / positives.size());
          }
          List<Integer> stale = new ArrayList<>();
          for (int i : h.items()) {
            if (!target.contains(i)) {
              stale.add(i);
            }
          }
          int staleCount = stale.size();
          List<Integer> staleSample = sample(stale, rnd);
          for (int i : staleSample) {
            extractor.write(h, i, row, 0);
            x.add(row);
            y.add(0f);
            w.add(NEGATIVE_SCALE * staleCount / staleSample.size());
          }
          // New products the co-purchase counts point to (a stratum of their own: the hard new negatives).
          Set<Integer> candidates = new HashSet<>();
          List<Integer> candidateNegatives = new ArrayList<>();
          for (int i : extractor.newCandidates(h)) {
            candidates.add(i);
            if (!target.contains(i)) {
              candidateNegatives.add(i);
            }
          }
          int candidateCount = candidateNegatives.size();
          List<Integer> candidateSample = sample(candidateNegatives, rnd);
          for (int i : candidateSample) {
            extractor.write(h, i, row, 0);
            x.add(row);
            y.add(0f);
            w.add(NEGATIVE_SCALE * candidateCount / candidateSample.size());
          }
          int others = catalogue - target.size() - staleCount - candidateCount;
          int wanted = Math.min(2 * perKind, others);
          int drawn = 0;
          for (int tries = 0; drawn < wanted && tries < 20 * wanted; tries++) {
            int i = rnd.nextInt(catalogue);
            if (target.contains(i) || h.contains(i) || candidates.contains(i)) {
              continue;
            }
            extractor.write(h, i, row, 0);
            x.add(row);
            y.add(0f);
            w.add(NEGATIVE_SCALE * others / wanted);
            drawn++;
          }
        }
        h.add(b);
      }
      if (y.size() == offsets.get(offsets.size() - 1)) {
        contributing--; // every target basket of this customer produced no example (no products)
      } else {
        offsets.add(y.size());
      }
    }
    return new TrainingSet(x.toArray(), y.toArray(), w.toArray(), y.size(), contributing,
        offsets.stream().mapToInt(Integer::intValue).toArray());
  }

  private List<Integer> sample(List<Integer> items, SplittableRandom rnd) {
    if (items.size() <= perKind) {
      return items;
    }
    // Partial Fisher-Yates: the first perKind entries become a uniform sample without replacement.
    for (int k = 0; k < perKind; k++) {
      int j = k + rnd.nextInt(items.size() - k);
      Integer tmp = items.get(k);
      items.set(k, items.get(j));
      items.set(j, tmp);
    }
    return items.subList(0, perKind);
  }

  /** A growable float array: the examples are built once and handed to DL4J as one block. */
  static final class FloatBuffer {
    private float[] data = new float[1 << 12];
    private int size;

    void add(float v) {
      if (size == data.length) {
        data = java.util.Arrays.copyOf(data, data.length * 2);
      }
      data[size++] = v;
    }

    void add(float[] row) {
      while (size + row.length > data.length) {
        data = java.util.Arrays.copyOf(data, data.length * 2);
      }
      System.arraycopy(row, 0, data, size, row.length);
      size += row.length;
    }

    int size() {
      return size;
    }

    float[] toArray() {
      return java.util.Arrays.copyOf(data, size);
    }
  }
}
