package org.hedgerow.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.hedgerow.privacy.budget.PrivacyBudget;
import org.hedgerow.simulations.Scenario;
import org.hedgerow.simulations.Sweep;
import org.hedgerow.simulations.SweepGrid;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code hedgerow privacy sweep}: hr@10 of the private federation against ε — the grid sweep
 * ({@code hedgerow sweep}) with one axis, {@code epsilon_cap}, plus ε = ∞ (no DP).
 */
@Command(name = "sweep", mixinStandardHelpOptions = true,
    description = "Privacy/utility sweep: one federated-dp run per epsilon cap (sigma calibrated to it) and the "
        + "non-private federation as epsilon = inf; writes " + Sweep.TABLE + " and " + Sweep.PLOT
        + " (resumable: points already in the table are skipped). The same as 'hedgerow sweep' with the grid "
        + "{\"axes\": {\"epsilon_cap\": [..., \"inf\"]}}.")
public class SweepCommand implements Callable<Integer> {
  @Option(names = "--epsilons", split = ",", defaultValue = "1,2,4,8",
      description = "Epsilon caps to run (default: ${DEFAULT-VALUE}).")
  List<Double> epsilons;

  @Option(names = "--scenario", description = "Scenario JSON (default: the bundled default scenario).")
  Path scenarioFile;

  @Option(names = "--out", required = true, description = "Directory for the table and the plot.")
  Path out;

  @Mixin RunOptions overrides;

  @Override
  public Integer call() throws Exception {
    epsilons.forEach(PrivacyBudget::checkCap);
    Scenario s = scenarioFile == null ? Scenario.bundledDefault() : Scenario.load(scenarioFile);
    List<JsonNode> caps = new ArrayList<>();
    epsilons.forEach(e -> caps.add(JsonNodeFactory.instance.numberNode(e)));
    caps.add(JsonNodeFactory.instance.textNode("inf"));
    ObjectNode base = overrides.asJson();
    if (!base.has("privacy") && !s.privacyEnabled()) {
      base.put("privacy", "local");
    }
    return GridSweepCommand.run(new SweepGrid(s, base, Map.of(SweepGrid.EPSILON_CAP, caps)), out);
  }
}
