package org.hedgerow.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.hedgerow.edge.data.RetailLogLoader;
import org.hedgerow.edge.serve.HoldoutReplay;
import org.hedgerow.edge.serve.ServingModel;
import org.hedgerow.edge.serve.SlatePolicy;
import org.hedgerow.edge.task.Catalogue;
import org.hedgerow.edge.task.Holdout;
import org.hedgerow.edge.task.SiloData;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code hedgerow replay}: what serving policies would earn, estimated offline on a silo's log. */
@Command(name = "replay", mixinStandardHelpOptions = true,
    description = "Estimate the hit (click/purchase) rate of serving policies offline: replay each customer's "
        + "held-out basket against the slate the policy would have shown (docs/serving.md).")
public class ReplayCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec commandSpec;

  @Option(names = "--data", required = true, description = "The log to replay (see --format; may be .gz).")
  Path data;

  @Mixin LogFormatOptions format;

  @Option(names = "--model", description = "A global model file ('client --save-model'); default: the repeat baseline.")
  Path model;

  @Option(names = "--holdout", defaultValue = "last-invoice", description = "last-invoice (default) or after=YYYY-MM-DD.")
  String holdout;

  @Option(names = "--epsilon", split = ",", defaultValue = "0,0.05,0.1,0.2",
      description = "Exploration rates to compare (default: ${DEFAULT-VALUE}).")
  List<Double> epsilons;

  @Option(names = "--neighbour-weight", defaultValue = "" + SlatePolicy.DEFAULT_NEIGHBOUR_WEIGHT) double neighbourWeight;

  @Option(names = "-k", defaultValue = "10", description = "Slate size (default: ${DEFAULT-VALUE}).") int k;

  @Option(names = "--repeats", defaultValue = "5", description = "Draws of the policy's randomness (default: ${DEFAULT-VALUE}).")
  int repeats;

  @Option(names = "--seed", defaultValue = "1") long seed;

  @Option(names = "--json", description = "Print one JSON object per policy instead of the table.") boolean json;

  @Override
  public Integer call() {
    var logFormat = format.logFormat();
    List<SlatePolicy> policies = new ArrayList<>();
    Holdout h;
    try {
      for (double e : epsilons) {
        policies.add(new SlatePolicy(e, neighbourWeight));
      }
      h = Holdout.parse(holdout);
      if (k < 1 || repeats < 1) {
        throw new IllegalArgumentException("-k and --repeats must be >= 1");
      }
    } catch (IllegalArgumentException e) {
      throw new picocli.CommandLine.ParameterException(commandSpec.commandLine(), e.getMessage());
    }
    java.io.PrintWriter out = commandSpec.commandLine().getOut();
    ServingModel m = model == null ? null : ServingModel.read(model);
    RetailLogLoader.Result log = logFormat.load(data);
    out.println("log " + data + ": " + log.report());
    var baskets = SiloData.basketsByCustomer(log.lines());
    Catalogue catalogue = new Catalogue(SiloData.trainingCodes(baskets, h));
    SiloData silo = SiloData.build("replay", baskets, h, catalogue);
    out.printf("replaying %d held-out baskets of %d customers, k=%d, %d repeats, model %s%n",
        silo.testBaskets(), silo.customers().size(), k, repeats, m == null ? "none (repeat baseline)" : m.version());
    if (!json) {
      out.printf("%-8s %-18s %-10s %-12s %-12s%n", "epsilon", "hit_rate (±se)", "precision", "new_hit_rate",
          "explore_hits");
    }
    for (SlatePolicy p : policies) {
      HoldoutReplay.Result r = HoldoutReplay.run(silo, catalogue, m, p, k, repeats, seed);
      if (json) {
        out.printf(java.util.Locale.ROOT, "{\"epsilon\": %s, \"hit_rate\": %.6f, \"hit_rate_se\": %.6f, "
            + "\"precision\": %.6f, \"new_hit_rate\": %.6f, \"explore_hit_share\": %.6f, \"baskets\": %d, "
            + "\"repeats\": %d}%n", p.epsilon(), r.hitRate(), r.hitRateStdError(), r.precision(), r.newHitRate(),
            r.exploreHitShare(), r.baskets(), r.repeats());
      } else {
        out.printf(java.util.Locale.ROOT, "%-8s %.4f ± %.4f    %.4f     %.4f       %.4f%n", p.epsilon(),
            r.hitRate(), r.hitRateStdError(), r.precision(), r.newHitRate(), r.exploreHitShare());
      }
    }
    out.flush();
    return 0;
  }
}
