package org.hedgerow.privacy.accounting;

/** Up-front parameter checks for the accounting package, one message template each. */
final class AccountingChecks {

  private AccountingChecks() {}

  static void checkPositiveFinite(String name, double value) {
    if (!(value > 0.0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(
          String.format("%s must be > 0 and finite. Provided value: %s", name, value));
    }
  }

  static void checkProbability(String name, double value) {
    if (!(value > 0.0 && value <= 1.0)) {
      throw new IllegalArgumentException(
          String.format("%s must be in (0, 1]. Provided value: %s", name, value));
    }
  }

  static void checkDelta(double delta) {
    if (!(delta > 0.0 && delta < 1.0)) {
      throw new IllegalArgumentException(
          String.format("delta must be in (0, 1). Provided value: %s", delta));
    }
  }

  static void checkEpsilon(double epsilon) {
    if (!(epsilon >= 0.0) || Double.isInfinite(epsilon)) {
      throw new IllegalArgumentException(
          String.format("epsilon must be >= 0 and finite. Provided value: %s", epsilon));
    }
  }

  static void checkAtLeastOne(String name, long value) {
    if (value < 1) {
      throw new IllegalArgumentException(
          String.format("%s must be >= 1. Provided value: %s", name, value));
    }
  }

  static void checkOrder(double order) {
    if (!(order > 1.0) || Double.isInfinite(order)) {
      throw new IllegalArgumentException(
          String.format("order must be > 1 and finite. Provided value: %s", order));
    }
  }

  static void checkNotNull(String name, Object value) {
    if (value == null) {
      throw new IllegalArgumentException(name + " must not be null");
    }
  }
}
