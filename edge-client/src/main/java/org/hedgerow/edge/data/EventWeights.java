package org.hedgerow.edge.data;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * How much each behaviour counts as implicit feedback: {@code --event-weights buy=1,cart=0.5,fav=0.3,pv=0.1}.
 * An event whose type is missing, or whose weight is 0, is dropped ({@link DropReason#UNWEIGHTED_EVENT}).
 *
 * @param weights event type (lower-case) to weight, each finite and in [0, 1]
 */
public record EventWeights(Map<String, Double> weights) {
  /** The Taobao behaviours: a purchase is full feedback, a page view a tenth of it. */
  public static final EventWeights DEFAULT = parse("buy=1,cart=0.5,fav=0.3,pv=0.1");

  /**
   * Units a weight-1 event adds to a product's quantity: the features count units (log-scaled), so a
   * purchase weighs ten page views. See {@link #units}.
   */
  public static final int UNITS_AT_WEIGHT_ONE = 10;

  public EventWeights {
    weights = Map.copyOf(weights);
  }

  /** @throws IllegalArgumentException naming the pair that does not parse or is out of range */
  public static EventWeights parse(String spec) {
    if (spec == null || spec.isBlank()) {
      throw new IllegalArgumentException("--event-weights must list type=weight pairs, e.g. buy=1,cart=0.5,fav=0.3,pv=0.1");
    }
    Map<String, Double> w = new LinkedHashMap<>();
    for (String pair : spec.split(",", -1)) {
      int eq = pair.indexOf('=');
      String type = eq < 0 ? "" : pair.substring(0, eq).trim().toLowerCase(Locale.ROOT);
      if (type.isEmpty()) {
        throw new IllegalArgumentException("--event-weights: '" + pair.trim() + "' is not type=weight. Provided value: " + spec);
      }
      double v;
      try {
        v = Double.parseDouble(pair.substring(eq + 1).trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--event-weights: the weight of '" + type + "' is not a number: '"
            + pair.substring(eq + 1).trim() + "'");
      }
      if (!(v >= 0 && v <= 1)) {
        throw new IllegalArgumentException("--event-weights: the weight of '" + type + "' must be in [0, 1]. Provided value: "
            + pair.substring(eq + 1).trim());
      }
      if (w.put(type, v) != null) {
        throw new IllegalArgumentException("--event-weights: '" + type + "' is given twice. Provided value: " + spec);
      }
    }
    return new EventWeights(w);
  }

  /** The weight of an event type (case-insensitive), 0 when it is not listed. */
  public double weight(String type) {
    return weights.getOrDefault(type.trim().toLowerCase(Locale.ROOT), 0.0);
  }

  /** Units an event of weight {@code w} &gt; 0 adds: {@code max(1, round(w × 10))}. */
  public static int units(double w) {
    return (int) Math.max(1, Math.round(w * UNITS_AT_WEIGHT_ONE));
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    weights.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed()
        .thenComparing(Map.Entry.comparingByKey())).forEach(e -> {
          if (sb.length() > 0) {
            sb.append(',');
          }
          sb.append(e.getKey()).append('=').append(e.getValue());
        });
    return sb.toString();
  }
}
