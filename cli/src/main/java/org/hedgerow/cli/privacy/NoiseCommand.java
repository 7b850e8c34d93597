package org.hedgerow.cli.privacy;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.hedgerow.privacy.accounting.Calibration;
import org.hedgerow.privacy.accounting.ComposedEvent;
import org.hedgerow.privacy.accounting.DpEvent;
import org.hedgerow.privacy.accounting.NoiseCalibration;
import org.hedgerow.privacy.accounting.RdpConversion;
import org.hedgerow.privacy.accounting.RdpOrders;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code hedgerow privacy noise}: the smallest noise multiplier (to a tolerance) whose run spends
 * at most the target ε at δ — Opacus' {@code get_noise_multiplier} bisection on the RDP
 * accountant.
 */
@Command(
    name = "noise",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Noise multiplier that spends at most --target-epsilon at --delta over the run, by bisection"
          + " on the RDP accountant (one multiplier shared by all phases of a --plan).",
      "The result spends between target - tolerance and target."
    })
public final class NoiseCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--target-epsilon",
      paramLabel = "E",
      required = true,
      description = "The epsilon budget for the whole run (> 0).")
  double targetEpsilon;

  @Mixin PhaseOptions phase;

  @Option(
      names = "--tolerance",
      paramLabel = "TOL",
      defaultValue = "0.01",
      description = "Stop when epsilon is within this of the target (default ${DEFAULT-VALUE}).")
  double tolerance;

  @Mixin AccountingOptions accounting;

  @Override
  public Integer call() {
    CommandLine cl = spec.commandLine();
    CommandSupport.orUsageError(
        cl,
        "",
        () -> {
          PrivacyArgs.checkPositive("--target-epsilon", targetEpsilon);
          PrivacyArgs.checkPositive("--tolerance", tolerance);
          return null;
        });
    PrivacyPlan plan = CommandSupport.plan(cl, phase, null, false);
    RdpOrders orders = CommandSupport.orUsageError(cl, "", () -> PrivacyArgs.orders(accounting.orders));
    RdpConversion conversion =
        CommandSupport.orUsageError(cl, "", () -> PrivacyArgs.conversion(accounting.conversion));

    // An unreachable budget is a property of the parameters, so it is reported as a usage error.
    Calibration c =
        CommandSupport.orUsageError(
            cl,
            "",
            () ->
                NoiseCalibration.calibrate(
                    targetEpsilon,
                    plan.delta(),
                    sigma -> {
                      List<DpEvent> events = new ArrayList<>();
                      for (PrivacyPlan.Phase p : plan.phases()) {
                        events.add(DpEvent.sampledGaussian(sigma, p.sampleRate(), p.steps()));
                      }
                      return new ComposedEvent(events);
                    },
                    orders,
                    conversion,
                    tolerance));

    PrintWriter out = cl.getOut();
    if (accounting.json) {
      out.printf(
          "{\"noise_multiplier\": %s, \"epsilon\": %s}%n",
          PrivacyArgs.json(c.noiseMultiplier()), PrivacyArgs.json(c.epsilon()));
    } else {
      out.printf(
          "noise multiplier = %.6f spends epsilon = %.6f <= %s at delta = %s (best RDP order %s;"
              + " %s; %s orders, %s conversion)%n",
          c.noiseMultiplier(),
          c.epsilon(),
          targetEpsilon,
          plan.delta(),
          c.order(),
          CommandSupport.describe(plan),
          orders.name(),
          conversion.name().toLowerCase(Locale.ROOT));
    }
    out.flush();
    CommandSupport.noteGridEdge(cl, orders, c.order());
    return 0;
  }
}
