package org.hedgerow.cli.privacy;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.hedgerow.privacy.accounting.DpEvent;
import org.hedgerow.privacy.accounting.EpsilonResult;
import org.hedgerow.privacy.accounting.RdpAccountant;
import org.hedgerow.privacy.accounting.RdpConversion;
import org.hedgerow.privacy.accounting.RdpOrders;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code hedgerow privacy epsilon}: the (ε, δ) spent by Poisson-sampled Gaussian steps (DP-SGD,
 * DP-FedAvg), by the RDP accountant.
 */
@Command(
    name = "epsilon",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Epsilon spent by Poisson-sampled Gaussian steps, by the RDP accountant (sampled Gaussian"
          + " of Mironov, Talwar, Zhang 2019; composition by summing RDP).",
      "Give one phase with --noise-multiplier, --sample-rate, --steps and --delta, or several"
          + " with --plan FILE."
    })
public final class EpsilonCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--noise-multiplier",
      paramLabel = "SIGMA",
      description = "Noise standard deviation over the clipping norm (> 0).")
  Double noiseMultiplier;

  @Mixin PhaseOptions phase;

  @Mixin AccountingOptions accounting;

  @Override
  public Integer call() {
    CommandLine cl = spec.commandLine();
    PrivacyPlan plan = CommandSupport.plan(cl, phase, noiseMultiplier, true);
    RdpOrders orders = CommandSupport.orUsageError(cl, "", () -> PrivacyArgs.orders(accounting.orders));
    RdpConversion conversion =
        CommandSupport.orUsageError(cl, "", () -> PrivacyArgs.conversion(accounting.conversion));

    RdpAccountant accountant = new RdpAccountant(orders);
    for (PrivacyPlan.Phase p : plan.phases()) {
      accountant.compose(DpEvent.sampledGaussian(p.noiseMultiplier(), p.sampleRate(), p.steps()));
    }
    EpsilonResult result = accountant.epsilon(plan.delta(), conversion);

    PrintWriter out = cl.getOut();
    if (accounting.json) {
      out.printf(
          "{\"epsilon\": %s, \"order\": %s}%n",
          PrivacyArgs.json(result.epsilon()), PrivacyArgs.json(result.order()));
    } else {
      out.printf(
          "epsilon = %.6f at delta = %s (best RDP order %s; %s; %s orders, %s conversion)%n",
          result.epsilon(),
          plan.delta(),
          result.order(),
          CommandSupport.describe(plan),
          orders.name(),
          conversion.name().toLowerCase(Locale.ROOT));
    }
    out.flush();
    CommandSupport.noteGridEdge(cl, orders, result.order());
    return 0;
  }
}
