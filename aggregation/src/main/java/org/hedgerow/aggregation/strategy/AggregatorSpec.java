package org.hedgerow.aggregation.strategy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which aggregation rule a run uses, with the parameters it overrides (null: the rule's default,
 * see {@link Aggregators}). Checked when built: the name, each value's range, and that every given
 * parameter applies to the rule, so a typo or a misplaced parameter never silently does nothing.
 *
 * <p>Names: {@code fedavg}, {@code fedavgm} (server_learning_rate, server_momentum), {@code fedadam}
 * and {@code fedyogi} (server_learning_rate, beta1, beta2, tau), {@code median}, {@code trimmed-mean}
 * (trim_fraction). {@code max_update_norm} applies to every rule: it wraps it in an
 * {@link UpdateNormBound}.
 */
public record AggregatorSpec(String name, Double serverLearningRate, Double serverMomentum, Double beta1, Double beta2,
    Double tau, Double trimFraction, Double maxUpdateNorm) {
  public static final List<String> NAMES = List.of("fedavg", "fedavgm", "fedadam", "fedyogi", "median", "trimmed-mean");
  /** Parameter keys, as in scenario files. */
  public static final Set<String> PARAMETERS = Set.of("server_learning_rate", "server_momentum", "beta1", "beta2", "tau",
      "trim_fraction", "max_update_norm");
  /** Today's behaviour: plain FedAvg. */
  public static final AggregatorSpec DEFAULT = of("fedavg");

  public AggregatorSpec {
    if (name == null || !NAMES.contains(name)) {
      throw new IllegalArgumentException("aggregator must be one of " + NAMES + ". Provided value: " + name);
    }
    Set<String> applicable = applicable(name);
    for (Map.Entry<String, Double> p : parameterMap(serverLearningRate, serverMomentum, beta1, beta2, tau,
        trimFraction, maxUpdateNorm).entrySet()) {
      if (!applicable.contains(p.getKey())) {
        throw new IllegalArgumentException("aggregator " + name + " takes no parameter " + p.getKey()
            + " (it takes: " + (applicable.isEmpty() ? "none" : String.join(", ", new TreeSet<>(applicable)))
            + "). Provided value: " + p.getValue());
      }
    }
    if (serverLearningRate != null) {
      Checks.positive("server_learning_rate", serverLearningRate);
    }
    if (serverMomentum != null) {
      Checks.decay("server_momentum", serverMomentum);
    }
    if (beta1 != null) {
      Checks.decay("beta1", beta1);
    }
    if (beta2 != null) {
      Checks.decay("beta2", beta2);
    }
    if (tau != null) {
      Checks.positive("tau", tau);
    }
    if (trimFraction != null) {
      Checks.trimFraction("trim_fraction", trimFraction);
    }
    if (maxUpdateNorm != null) {
      Checks.positive("max_update_norm", maxUpdateNorm);
    }
  }

  /** The rule with every parameter at its default. */
  public static AggregatorSpec of(String name) {
    return new AggregatorSpec(name, null, null, null, null, null, null, null);
  }

  /**
   * The rule with parameters given by key.
   *
   * @throws IllegalArgumentException an unknown key, a parameter the rule does not take, or a bad value
   */
  public static AggregatorSpec of(String name, Map<String, Double> parameters) {
    for (String k : parameters.keySet()) {
      if (!PARAMETERS.contains(k)) {
        throw new IllegalArgumentException("unknown aggregator parameter '" + k + "' (known: " + new TreeSet<>(PARAMETERS)
            + ")");
      }
    }
    return new AggregatorSpec(name, parameters.get("server_learning_rate"), parameters.get("server_momentum"),
        parameters.get("beta1"), parameters.get("beta2"), parameters.get("tau"), parameters.get("trim_fraction"),
        parameters.get("max_update_norm"));
  }

  /** The parameters that were given (not defaults), by key, in a fixed order. */
  public Map<String, Double> parameters() {
    return parameterMap(serverLearningRate, serverMomentum, beta1, beta2, tau, trimFraction, maxUpdateNorm);
  }

  /** True if the rule needs every client's update: it cannot run behind secure aggregation or central DP. */
  public boolean needsIndividualUpdates() {
    return name.equals("median") || name.equals("trimmed-mean") || maxUpdateNorm != null;
  }

  /** The parameter keys {@code name} accepts. */
  public static Set<String> applicable(String name) {
    Set<String> own = switch (name) {
      case "fedavgm" -> Set.of("server_learning_rate", "server_momentum");
      case "fedadam", "fedyogi" -> Set.of("server_learning_rate", "beta1", "beta2", "tau");
      case "trimmed-mean" -> Set.of("trim_fraction");
      default -> Set.of();
    };
    Set<String> all = new TreeSet<>(own);
    all.add("max_update_norm");
    return all;
  }

  @Override
  public String toString() {
    Map<String, Double> p = parameters();
    return p.isEmpty() ? name : name + " " + p;
  }

  private static Map<String, Double> parameterMap(Double serverLearningRate, Double serverMomentum, Double beta1,
      Double beta2, Double tau, Double trimFraction, Double maxUpdateNorm) {
    Map<String, Double> m = new LinkedHashMap<>();
    put(m, "server_learning_rate", serverLearningRate);
    put(m, "server_momentum", serverMomentum);
    put(m, "beta1", beta1);
    put(m, "beta2", beta2);
    put(m, "tau", tau);
    put(m, "trim_fraction", trimFraction);
    put(m, "max_update_norm", maxUpdateNorm);
    return m;
  }

  private static void put(Map<String, Double> m, String k, Double v) {
    if (v != null) {
      m.put(k, v);
    }
  }
}
