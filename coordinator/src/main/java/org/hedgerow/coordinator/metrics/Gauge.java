package org.hedgerow.coordinator.metrics;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;

/**
 * A value that goes up and down (Prometheus {@code gauge}): set directly, incremented, or read from
 * a supplier at scrape time (unlabelled gauges only).
 */
public final class Gauge extends Metric<Gauge.Child> {
  private final DoubleSupplier supplier;

  /** One time series of the gauge. */
  public static final class Child {
    private final AtomicLong bits = new AtomicLong(Double.doubleToLongBits(0));

    public void set(double v) {
      bits.set(Double.doubleToLongBits(v));
    }

    public void inc() {
      add(1);
    }

    public void dec() {
      add(-1);
    }

    public void add(double delta) {
      long prev;
      long next;
      do {
        prev = bits.get();
        next = Double.doubleToLongBits(Double.longBitsToDouble(prev) + delta);
      } while (!bits.compareAndSet(prev, next));
    }

    public double get() {
      return Double.longBitsToDouble(bits.get());
    }
  }

  Gauge(String name, String help, List<String> labelNames, DoubleSupplier supplier) {
    super(name, help, labelNames, k -> new Child());
    if (supplier != null && !labelNames.isEmpty()) {
      throw new IllegalArgumentException("gauge " + name + ": a supplier gauge cannot have labels");
    }
    this.supplier = supplier;
    if (labelNames.isEmpty()) {
      labels();
    }
  }

  /** Shorthand for an unlabelled gauge. */
  public void set(double v) {
    checkSettable();
    labels().set(v);
  }

  public void inc() {
    checkSettable();
    labels().inc();
  }

  public void dec() {
    checkSettable();
    labels().dec();
  }

  /** The unlabelled value (the supplier's, for a supplier gauge). */
  public double get() {
    return supplier != null ? supplier.getAsDouble() : labels().get();
  }

  private void checkSettable() {
    if (supplier != null) {
      throw new IllegalStateException("gauge " + name() + " reads its value from a supplier; it cannot be set");
    }
  }

  @Override
  String type() {
    return "gauge";
  }

  @Override
  void writeChild(StringBuilder out, List<String> labelValues, Child child) {
    out.append(name());
    TextFormat.labels(out, labelNames(), labelValues, null, null);
    double v = supplier != null ? supplier.getAsDouble() : child.get();
    out.append(' ').append(TextFormat.number(v)).append('\n');
  }
}
