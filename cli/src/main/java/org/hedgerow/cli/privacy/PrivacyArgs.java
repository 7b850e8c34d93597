package org.hedgerow.cli.privacy;

import java.util.Locale;
import org.hedgerow.privacy.accounting.RdpConversion;
import org.hedgerow.privacy.accounting.RdpOrders;

/**
 * Range checks and parsing shared by the privacy commands. Failures are {@link
 * IllegalArgumentException}s whose message names the option and the value; the commands turn them
 * into picocli usage errors (exit code 2).
 */
final class PrivacyArgs {

  private PrivacyArgs() {}

  static void checkNoiseMultiplier(String name, double sigma) {
    if (!(sigma > 0) || Double.isInfinite(sigma)) {
      throw new IllegalArgumentException(name + " must be > 0 and finite. Provided value: " + sigma);
    }
  }

  static void checkSampleRate(String name, double q) {
    if (!(q > 0 && q <= 1)) {
      throw new IllegalArgumentException(name + " must be in (0, 1]. Provided value: " + q);
    }
  }

  static void checkDelta(String name, double delta) {
    if (!(delta > 0 && delta < 1)) {
      throw new IllegalArgumentException(name + " must be in (0, 1). Provided value: " + delta);
    }
  }

  static void checkSteps(String name, long steps) {
    if (steps < 1) {
      throw new IllegalArgumentException(name + " must be >= 1. Provided value: " + steps);
    }
  }

  static void checkPositive(String name, double value) {
    if (!(value > 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(name + " must be > 0 and finite. Provided value: " + value);
    }
  }

  /** "opacus", "tf" or a comma-separated list of orders > 1. */
  static RdpOrders orders(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    if (t.equals("opacus")) {
      return RdpOrders.OPACUS;
    }
    if (t.equals("tf") || t.equals("tf-privacy")) {
      return RdpOrders.TF_PRIVACY;
    }
    String[] parts = t.split(",");
    double[] orders = new double[parts.length];
    for (int i = 0; i < parts.length; i++) {
      try {
        orders[i] = Double.parseDouble(parts[i].trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "--orders must be opacus, tf or a comma-separated list of numbers > 1. Provided value: "
                + text);
      }
    }
    try {
      return RdpOrders.of(orders);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--orders: " + e.getMessage());
    }
  }

  /** "improved" or "classic". */
  static RdpConversion conversion(String text) {
    return switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "improved" -> RdpConversion.IMPROVED;
      case "classic" -> RdpConversion.CLASSIC;
      default -> throw new IllegalArgumentException(
          "--conversion must be improved or classic. Provided value: " + text);
    };
  }

  /** A JSON number, or null for ±∞/NaN (which JSON cannot carry). */
  static String json(double value) {
    return Double.isFinite(value) ? Double.toString(value) : "null";
  }
}
