package org.hedgerow.coordinator.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.DoubleSupplier;

/**
 * A set of metric families, rendered in the Prometheus text exposition format 0.0.4 by
 * {@link #scrape()}. Thread-safe. Written here rather than pulled in (io.prometheus, micrometer) to
 * keep the coordinator's dependencies to what the build already has.
 */
public final class MetricsRegistry {
  private final List<Metric<?>> metrics = new ArrayList<>();

  public Counter counter(String name, String help, String... labelNames) {
    return add(new Counter(name, help, List.of(labelNames)));
  }

  public Gauge gauge(String name, String help, String... labelNames) {
    return add(new Gauge(name, help, List.of(labelNames), null));
  }

  /** A gauge whose value is read from {@code supplier} at every scrape (it must be thread-safe). */
  public Gauge gauge(String name, String help, DoubleSupplier supplier) {
    if (supplier == null) {
      throw new IllegalArgumentException("gauge " + name + ": supplier is null");
    }
    return add(new Gauge(name, help, List.of(), supplier));
  }

  /** @param bounds bucket upper bounds, strictly increasing; {@code +Inf} is added */
  public Histogram histogram(String name, String help, double[] bounds, String... labelNames) {
    return add(new Histogram(name, help, bounds, List.of(labelNames)));
  }

  private synchronized <M extends Metric<?>> M add(M m) {
    for (Metric<?> existing : metrics) {
      if (clash(existing, m) || clash(m, existing)) {
        throw new IllegalArgumentException("metric name " + m.name() + " clashes with the registered "
            + existing.type() + " " + existing.name());
      }
    }
    metrics.add(m);
    return m;
  }

  /** True if {@code b}'s name equals {@code a}'s or one of the sample names {@code a} exposes. */
  private static boolean clash(Metric<?> a, Metric<?> b) {
    List<String> names = a instanceof Histogram
        ? Arrays.asList(a.name(), a.name() + "_bucket", a.name() + "_sum", a.name() + "_count")
        : List.of(a.name());
    return names.contains(b.name());
  }

  /** Every metric in registration order, as text format 0.0.4. */
  public String scrape() {
    List<Metric<?>> snapshot;
    synchronized (this) {
      snapshot = new ArrayList<>(metrics);
    }
    StringBuilder out = new StringBuilder(4096);
    for (Metric<?> m : snapshot) {
      m.write(out);
    }
    return out.toString();
  }

  /** The {@code Content-Type} header of {@link #scrape()}'s output. */
  public static String contentType() {
    return TextFormat.CONTENT_TYPE;
  }
}
