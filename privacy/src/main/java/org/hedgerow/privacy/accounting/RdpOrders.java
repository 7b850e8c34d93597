package org.hedgerow.privacy.accounting;

import java.util.Arrays;

/**
 * The Rényi orders α at which an {@link RdpAccountant} tracks its privacy curve. ε is the minimum
 * over these orders, so a grid that is too coarse or too narrow gives a looser (never unsafe)
 * bound.
 */
public final class RdpOrders {

  /**
   * Opacus' default ({@code RDPAccountant.DEFAULT_ALPHAS}): 1.1, 1.2, …, 10.9 and 12, 13, …, 63
   * — 151 orders.
   */
  public static final RdpOrders OPACUS = opacus();

  /**
   * TensorFlow Privacy's ({@code compute_dp_sgd_privacy}): 1.25, 1.5, 1.75, 2, 2.25, 2.5, 3, 3.5,
   * 4, 4.5, 5, 6, …, 63, 128, 256, 512 — 72 orders.
   */
  public static final RdpOrders TF_PRIVACY = tfPrivacy();

  private final String name;
  private final double[] orders;

  private RdpOrders(String name, double[] orders) {
    this.name = name;
    this.orders = orders;
  }

  /**
   * A custom grid.
   *
   * @throws IllegalArgumentException if empty or any order is ≤ 1, NaN or infinite
   */
  public static RdpOrders of(double... orders) {
    if (orders == null || orders.length == 0) {
      throw new IllegalArgumentException("orders must not be null or empty");
    }
    for (double order : orders) {
      AccountingChecks.checkOrder(order);
    }
    return new RdpOrders("custom", orders.clone());
  }

  private static RdpOrders opacus() {
    double[] orders = new double[99 + 52];
    int k = 0;
    for (int x = 1; x < 100; x++) {
      orders[k++] = 1 + x / 10.0; // the same doubles as Python's 1 + x / 10.0
    }
    for (int a = 12; a < 64; a++) {
      orders[k++] = a;
    }
    return new RdpOrders("opacus", orders);
  }

  private static RdpOrders tfPrivacy() {
    double[] head = {1.25, 1.5, 1.75, 2., 2.25, 2.5, 3., 3.5, 4., 4.5};
    double[] orders = new double[head.length + 59 + 3];
    System.arraycopy(head, 0, orders, 0, head.length);
    int k = head.length;
    for (int a = 5; a < 64; a++) {
      orders[k++] = a;
    }
    orders[k++] = 128;
    orders[k++] = 256;
    orders[k] = 512;
    return new RdpOrders("tf", orders);
  }

  /** "opacus", "tf" or "custom". */
  public String name() {
    return name;
  }

  public int size() {
    return orders.length;
  }

  public double get(int i) {
    return orders[i];
  }

  /** A copy of the orders. */
  public double[] values() {
    return orders.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RdpOrders other && Arrays.equals(orders, other.orders);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(orders);
  }

  @Override
  public String toString() {
    return name + Arrays.toString(orders);
  }
}
