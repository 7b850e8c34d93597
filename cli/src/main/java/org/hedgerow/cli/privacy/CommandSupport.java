package org.hedgerow.cli.privacy;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.hedgerow.privacy.accounting.RdpOrders;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/** What {@code epsilon} and {@code noise} do alike: resolve the run, report usage errors. */
final class CommandSupport {

  private CommandSupport() {}

  /**
   * Runs a parse or check, turning its {@link IllegalArgumentException} into a picocli usage
   * error (one message on stderr, exit code 2).
   */
  static <T> T orUsageError(CommandLine cl, String prefix, Supplier<T> action) {
    try {
      return action.get();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(cl, prefix + e.getMessage());
    }
  }

  /**
   * The run to account: the plan file, or the single phase given by the options.
   *
   * @param noiseMultiplier the {@code --noise-multiplier} value for {@code epsilon}; ignored (and
   *     not required) when {@code forEpsilon} is false
   */
  static PrivacyPlan plan(
      CommandLine cl, PhaseOptions options, Double noiseMultiplier, boolean forEpsilon) {
    if (options.plan != null) {
      List<String> conflicting = new ArrayList<>();
      if (forEpsilon && noiseMultiplier != null) {
        conflicting.add("--noise-multiplier");
      }
      if (options.sampleRate != null) {
        conflicting.add("--sample-rate");
      }
      if (options.steps != null) {
        conflicting.add("--steps");
      }
      if (options.delta != null) {
        conflicting.add("--delta");
      }
      if (!conflicting.isEmpty()) {
        throw new ParameterException(
            cl,
            "--plan cannot be combined with "
                + String.join(", ", conflicting)
                + ": the plan file gives them");
      }
      return orUsageError(
          cl, "--plan " + options.plan + ": ", () -> PrivacyPlan.read(options.plan, forEpsilon));
    }
    List<String> missing = new ArrayList<>();
    if (forEpsilon && noiseMultiplier == null) {
      missing.add("--noise-multiplier");
    }
    if (options.sampleRate == null) {
      missing.add("--sample-rate");
    }
    if (options.steps == null) {
      missing.add("--steps");
    }
    if (options.delta == null) {
      missing.add("--delta");
    }
    if (!missing.isEmpty()) {
      throw new ParameterException(
          cl,
          "Missing required option(s): " + String.join(", ", missing) + " (or give --plan FILE)");
    }
    return orUsageError(
        cl,
        "",
        () -> {
          double sigma = Double.NaN;
          if (forEpsilon) {
            PrivacyArgs.checkNoiseMultiplier("--noise-multiplier", noiseMultiplier);
            sigma = noiseMultiplier;
          }
          PrivacyArgs.checkSampleRate("--sample-rate", options.sampleRate);
          PrivacyArgs.checkSteps("--steps", options.steps);
          PrivacyArgs.checkDelta("--delta", options.delta);
          return new PrivacyPlan(
              options.delta,
              List.of(new PrivacyPlan.Phase(sigma, options.sampleRate, options.steps)));
        });
  }

  /** Says on stderr when ε was minimised at an end of the grid, where more orders could help. */
  static void noteGridEdge(CommandLine cl, RdpOrders orders, double order) {
    double[] values = orders.values();
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (double v : values) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    if (values.length > 1 && (order == min || order == max)) {
      cl.getErr()
          .printf(
              "note: the best order %s is the %s of the grid; more orders beyond it may give a"
                  + " smaller epsilon%n",
              order, order == min ? "smallest" : "largest");
      cl.getErr().flush();
    }
  }

  /** "1 phase, 2250 steps" / "3 phases, 5000 steps". */
  static String describe(PrivacyPlan plan) {
    int n = plan.phases().size();
    return n + (n == 1 ? " phase, " : " phases, ") + plan.totalSteps() + " steps";
  }
}
