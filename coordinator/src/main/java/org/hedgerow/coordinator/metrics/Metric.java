package org.hedgerow.coordinator.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A named metric family with a fixed list of label names and one child (time series) per list of
 * label values. Thread-safe: children are created once per label combination and updated lock-free
 * (counters, gauges) or under the child's own lock (histograms).
 *
 * @param <C> the child type
 */
public abstract class Metric<C> {
  private final String name;
  private final String help;
  private final List<String> labelNames;
  private final Map<List<String>, C> children = new ConcurrentHashMap<>();
  private final Function<List<String>, C> factory;

  Metric(String name, String help, List<String> labelNames, Function<List<String>, C> factory) {
    TextFormat.checkMetricName(name);
    if (help == null || help.isBlank()) {
      throw new IllegalArgumentException("metric " + name + " needs a help text");
    }
    for (String l : labelNames) {
      TextFormat.checkLabelName(l);
    }
    if (labelNames.stream().distinct().count() != labelNames.size()) {
      throw new IllegalArgumentException("metric " + name + " repeats a label name: " + labelNames);
    }
    this.name = name;
    this.help = help;
    this.labelNames = List.copyOf(labelNames);
    this.factory = factory;
  }

  public String name() {
    return name;
  }

  public List<String> labelNames() {
    return labelNames;
  }

  /**
   * The child for these label values, in the order of {@link #labelNames()}. Keep label values to a
   * small, fixed set (route templates, status classes, reasons): each combination is a time series.
   */
  public C labels(String... values) {
    if (values.length != labelNames.size()) {
      throw new IllegalArgumentException("metric " + name + " has labels " + labelNames + " but got "
          + values.length + " values: " + Arrays.toString(values));
    }
    for (String v : values) {
      if (v == null) {
        throw new IllegalArgumentException("metric " + name + ": label values must not be null: " + Arrays.toString(values));
      }
    }
    return children.computeIfAbsent(List.of(values), factory);
  }

  /** Prometheus type keyword: counter, gauge or histogram. */
  abstract String type();

  /** Appends this child's sample lines. */
  abstract void writeChild(StringBuilder out, List<String> labelValues, C child);

  /** Appends the {@code # HELP}, {@code # TYPE} and sample lines, children sorted by label values. */
  final void write(StringBuilder out) {
    out.append("# HELP ").append(name).append(' ').append(TextFormat.escapeHelp(help)).append('\n');
    out.append("# TYPE ").append(name).append(' ').append(type()).append('\n');
    List<Map.Entry<List<String>, C>> entries = new ArrayList<>(children.entrySet());
    entries.sort(Comparator.comparing(e -> String.join("\u0000", e.getKey())));
    for (Map.Entry<List<String>, C> e : entries) {
      writeChild(out, e.getKey(), e.getValue());
    }
  }

  final String help() {
    return help;
  }
}
