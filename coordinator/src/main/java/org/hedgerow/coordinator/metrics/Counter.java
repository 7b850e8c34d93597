package org.hedgerow.coordinator.metrics;

import java.util.List;
import java.util.concurrent.atomic.DoubleAdder;

/** A monotonically increasing count (Prometheus {@code counter}); by convention named {@code *_total}. */
public final class Counter extends Metric<Counter.Child> {
  /** One time series of the counter. */
  public static final class Child {
    private final DoubleAdder value = new DoubleAdder();

    public void inc() {
      value.add(1);
    }

    /** @throws IllegalArgumentException for a negative or non-finite amount (counters never go down) */
    public void inc(double amount) {
      if (!(amount >= 0) || Double.isInfinite(amount)) {
        throw new IllegalArgumentException("a counter increases by a finite amount >= 0. Provided value: " + amount);
      }
      value.add(amount);
    }

    public double get() {
      return value.sum();
    }
  }

  Counter(String name, String help, List<String> labelNames) {
    super(name, help, labelNames, k -> new Child());
    if (labelNames.isEmpty()) {
      labels(); // an unlabelled counter is exposed as 0 from the start
    }
  }

  /** Shorthand for an unlabelled counter. */
  public void inc() {
    labels().inc();
  }

  /** Shorthand for an unlabelled counter. */
  public void inc(double amount) {
    labels().inc(amount);
  }

  @Override
  String type() {
    return "counter";
  }

  @Override
  void writeChild(StringBuilder out, List<String> labelValues, Child child) {
    out.append(name());
    TextFormat.labels(out, labelNames(), labelValues, null, null);
    out.append(' ').append(TextFormat.number(child.get())).append('\n');
  }
}
