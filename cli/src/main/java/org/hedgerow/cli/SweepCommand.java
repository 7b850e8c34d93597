package org.hedgerow.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.hedgerow.simulations.partition.Partitioner;
import org.hedgerow.edge.task.Holdout;
import org.hedgerow.privacy.budget.PrivacyBudget;
import org.hedgerow.simulations.FederationData;
import org.hedgerow.simulations.PrivacySweep;
import org.hedgerow.simulations.Scenario;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code hedgerow privacy sweep}: hr@10 of the private federation against ε, on a scenario. */
@Command(name = "sweep", mixinStandardHelpOptions = true,
    description = "Privacy/utility sweep: one federated-dp run per epsilon cap (sigma calibrated to it) and the "
        + "non-private federation as epsilon = inf; writes " + PrivacySweep.TABLE + " and " + PrivacySweep.PLOT + ".")
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
    Scenario base = scenarioFile == null ? Scenario.bundledDefault() : Scenario.load(scenarioFile);
    Scenario s = base.with(overrides.asJson(), "command line");
    epsilons.forEach(PrivacyBudget::checkCap);
    Path data = Home.resolve(s.data());
    FederationData fd = FederationData.load(data, Partitioner.parse(s.partition(), s.ukShops(), s.seed()), Holdout.parse(s.holdout()),
        SimulateCommand.declaredCatalogue(s));
    List<PrivacySweep.Point> points = PrivacySweep.run(s, fd, epsilons, System.out);
    PrivacySweep.write(points, "hr@10 against epsilon - " + s.name() + ", " + s.rounds() + " rounds, delta " + s.delta(), out);
    System.out.println();
    System.out.println(PrivacySweep.HEADER);
    points.forEach(p -> System.out.println(p.csv()));
    System.out.println("wrote " + out.resolve(PrivacySweep.TABLE) + ", " + out.resolve(PrivacySweep.PLOT));
    return 0;
  }
}
