package org.hedgerow.coordinator.metrics;

import java.util.List;

/**
 * Observations counted into cumulative buckets (Prometheus {@code histogram}): exposed as
 * {@code name_bucket{le="…"}} for each upper bound and {@code +Inf}, {@code name_sum} and
 * {@code name_count}.
 */
public final class Histogram extends Metric<Histogram.Child> {
  /** Latency buckets in seconds, 1 ms to 60 s: from a fast GET to a 1 MB upload over a slow link. */
  public static final double[] LATENCY_SECONDS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5,
      5, 10, 30, 60};

  private final double[] bounds;

  /** One time series of the histogram. Observations are taken under its lock, so a scrape is consistent. */
  public static final class Child {
    private final double[] bounds;
    private final long[] counts; // per bucket, not cumulative; the last one is +Inf
    private double sum;

    Child(double[] bounds) {
      this.bounds = bounds;
      this.counts = new long[bounds.length + 1];
    }

    /** @throws IllegalArgumentException for NaN (it would poison the sum) */
    public void observe(double v) {
      if (Double.isNaN(v)) {
        throw new IllegalArgumentException("a histogram cannot observe NaN");
      }
      int i = 0;
      while (i < bounds.length && v > bounds[i]) {
        i++;
      }
      synchronized (this) {
        counts[i]++;
        sum += v;
      }
    }

    /** Total observations. */
    public synchronized long count() {
      long c = 0;
      for (long x : counts) {
        c += x;
      }
      return c;
    }

    public synchronized double sum() {
      return sum;
    }

    synchronized long[] snapshot(double[] sumOut) {
      sumOut[0] = sum;
      return counts.clone();
    }
  }

  Histogram(String name, String help, double[] bounds, List<String> labelNames) {
    super(name, help, labelNames, k -> new Child(bounds.clone()));
    if (labelNames.contains("le")) {
      throw new IllegalArgumentException("histogram " + name + ": 'le' is reserved for bucket bounds");
    }
    if (bounds.length == 0) {
      throw new IllegalArgumentException("histogram " + name + " needs at least one bucket bound");
    }
    for (int i = 0; i < bounds.length; i++) {
      if (!Double.isFinite(bounds[i]) || (i > 0 && bounds[i] <= bounds[i - 1])) {
        throw new IllegalArgumentException("histogram " + name + ": bucket bounds must be finite and strictly "
            + "increasing (+Inf is added). Provided value: " + java.util.Arrays.toString(bounds));
      }
    }
    this.bounds = bounds.clone();
    if (labelNames.isEmpty()) {
      labels();
    }
  }

  /** Shorthand for an unlabelled histogram. */
  public void observe(double v) {
    labels().observe(v);
  }

  @Override
  String type() {
    return "histogram";
  }

  @Override
  void writeChild(StringBuilder out, List<String> labelValues, Child child) {
    double[] sum = new double[1];
    long[] counts = child.snapshot(sum);
    long cumulative = 0;
    for (int i = 0; i <= bounds.length; i++) {
      cumulative += counts[i];
      out.append(name()).append("_bucket");
      TextFormat.labels(out, labelNames(), labelValues, "le",
          i < bounds.length ? TextFormat.number(bounds[i]) : "+Inf");
      out.append(' ').append(cumulative).append('\n');
    }
    out.append(name()).append("_sum");
    TextFormat.labels(out, labelNames(), labelValues, null, null);
    out.append(' ').append(TextFormat.number(sum[0])).append('\n');
    out.append(name()).append("_count");
    TextFormat.labels(out, labelNames(), labelValues, null, null);
    out.append(' ').append(cumulative).append('\n');
  }
}
