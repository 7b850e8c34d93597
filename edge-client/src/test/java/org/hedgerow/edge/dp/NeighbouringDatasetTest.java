package org.hedgerow.edge.dp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.hedgerow.aggregation.model.ModelSpec;
import org.hedgerow.edge.features.CustomerSeeds;
import org.hedgerow.edge.features.FeatureExtractor;
import org.hedgerow.edge.features.ItemStats;
import org.hedgerow.edge.features.TrainingSet;
import org.hedgerow.edge.features.TrainingSetBuilder;
import org.hedgerow.edge.model.PreferenceModel;
import org.hedgerow.edge.task.Basket;
import org.hedgerow.edge.task.CustomerLog;
import org.hedgerow.edge.task.SiloData;
import org.hedgerow.privacy.clipping.L2Clipping;
import org.junit.jupiter.api.Test;

/**
 * The per-customer guarantee in the form DP-SGD's analysis needs it: removing one customer from a
 * silo leaves every other customer's clipped gradient bit-identical, with the real DL4J model
 * ({@link ModelGradients}) and the real example builder. The item features are held fixed: under
 * DP they come from the silo's release, which is itself DP and post-processed here
 * (SiloReleaseTest checks its sensitivity).
 */
class NeighbouringDatasetTest {
  private static final int CATALOGUE = 40;
  private static final LocalDateTime START = LocalDateTime.of(2011, 1, 3, 10, 0);
  private static final double CLIP = 1.0;

  /** 12 customers with 2–6 baskets of 1–5 products each, seeded. */
  private static List<CustomerLog> customers() {
    SplittableRandom rnd = new SplittableRandom(7);
    List<CustomerLog> out = new ArrayList<>();
    for (int c = 1; c <= 12; c++) {
      List<Basket> train = new ArrayList<>();
      int baskets = 2 + rnd.nextInt(5);
      for (int b = 0; b < baskets; b++) {
        int n = 1 + rnd.nextInt(5);
        int[] items = new int[n];
        int[] q = new int[n];
        for (int i = 0; i < n; i++) {
          items[i] = rnd.nextInt(CATALOGUE);
          q[i] = 1 + rnd.nextInt(3);
        }
        train.add(new Basket("c" + c + "b" + b, c, START.plusDays(10L * b + c), items, q));
      }
      out.add(new CustomerLog(c, train, List.of()));
    }
    return out;
  }

  /** Each customer's clipped gradient at the model's initial parameters, keyed by customer id. */
  private static Map<Integer, double[]> clippedGradients(List<CustomerLog> customers, FeatureExtractor fx,
      CustomerSeeds seeds, PreferenceModel model) {
    TrainingSet ts = new TrainingSetBuilder(4, 3).build(customers, fx, seeds);
    ModelGradients g = new ModelGradients(model, ts);
    Map<Integer, double[]> out = new LinkedHashMap<>();
    // Every customer here has >= 2 training baskets, so row group k is the k-th customer.
    for (int k = 0; k < g.customers(); k++) {
      out.put(customers.get(k).customerId(), L2Clipping.clip(g.gradient(k), CLIP));
    }
    return out;
  }

  private static PreferenceModel dpModel() {
    ModelSpec spec = ModelSpec.preferenceMlp(FeatureExtractor.SCHEMA, FeatureExtractor.FEATURES).withoutDropout();
    PreferenceModel m = new PreferenceModel(spec, 3);
    m.setParameters(spec.initialParameters(3));
    return m;
  }

  @Test
  void clippedGradients_removeOneCustomerWithKeyedSeeds_othersBitIdentical() {
    List<CustomerLog> all = customers();
    FeatureExtractor fx = new FeatureExtractor(ItemStats.of(List.of(new SiloData("t", all)), CATALOGUE));
    byte[] key = new byte[32];
    new SplittableRandom(11).nextBytes(key);
    PreferenceModel model = dpModel();
    Map<Integer, double[]> with = clippedGradients(all, fx, CustomerSeeds.keyed(key), model);
    for (int removed = 0; removed < all.size(); removed++) {
      List<CustomerLog> without = new ArrayList<>(all);
      without.remove(removed);
      Map<Integer, double[]> after = clippedGradients(without, fx, CustomerSeeds.keyed(key), model);
      for (Map.Entry<Integer, double[]> e : after.entrySet()) {
        assertArrayEquals(with.get(e.getKey()), e.getValue(), 0.0,
            "customer " + e.getKey() + "'s clipped gradient changed when customer " + all.get(removed).customerId()
                + " was removed");
      }
    }
  }

  @Test
  void clippedGradients_removeFirstCustomerWithSharedStream_othersChange() {
    // The non-private shared stream couples customers: this is what the keyed seeds fix, and it
    // shows the test above can fail.
    List<CustomerLog> all = customers();
    FeatureExtractor fx = new FeatureExtractor(ItemStats.of(List.of(new SiloData("t", all)), CATALOGUE));
    PreferenceModel model = dpModel();
    Map<Integer, double[]> with = clippedGradients(all, fx, CustomerSeeds.shared(42), model);
    Map<Integer, double[]> after = clippedGradients(all.subList(1, all.size()), fx, CustomerSeeds.shared(42), model);
    boolean anyChanged = after.entrySet().stream()
        .anyMatch(e -> !java.util.Arrays.equals(with.get(e.getKey()), e.getValue()));
    assertTrue(anyChanged, "a shared stream should move later customers' negatives");
  }

  @Test
  void gradient_dpModelCalledTwice_deterministic() {
    // Without dropout a customer's gradient is a function of the parameters and their rows only.
    List<CustomerLog> all = customers();
    FeatureExtractor fx = new FeatureExtractor(ItemStats.of(List.of(new SiloData("t", all)), CATALOGUE));
    TrainingSet ts = new TrainingSetBuilder(4, 3).build(all, fx, CustomerSeeds.keyed(new byte[16]));
    ModelGradients g = new ModelGradients(dpModel(), ts);
    double[] first = g.gradient(3);
    double[] second = g.gradient(3);
    assertArrayEquals(first, second, 0.0);
    assertFalse(java.util.Arrays.stream(first).allMatch(v -> v == 0), "a real gradient");
  }
}
