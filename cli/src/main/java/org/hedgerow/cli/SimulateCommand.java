package org.hedgerow.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.hedgerow.edge.partition.Partitioner;
import org.hedgerow.edge.task.Holdout;
import org.hedgerow.simulations.FederationData;
import org.hedgerow.simulations.Reports;
import org.hedgerow.simulations.Scenario;
import org.hedgerow.simulations.Simulation;
import org.hedgerow.simulations.SimulationResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code hedgerow simulate}: a federation from a scenario file, over HTTP on 127.0.0.1. */
@Command(name = "simulate", mixinStandardHelpOptions = true,
    description = "Run a simulated federation described by a scenario file (coordinator and clients over HTTP on 127.0.0.1).")
public class SimulateCommand implements Callable<Integer> {
  @Option(names = "--scenario", required = true, description = "Scenario JSON; keys not given take the bundled default.")
  Path scenarioFile;

  @Option(names = "--out", required = true, description = "Directory for summary.json, rounds.csv and the plot.")
  Path out;

  @Mixin RunOptions overrides;

  @Override
  public Integer call() throws Exception {
    Scenario s = Scenario.load(scenarioFile);
    return run(s.with(overrides.asJson(), "command line"), out);
  }

  static int run(Scenario s, Path out) throws Exception {
    Holdout holdout = Holdout.parse(s.holdout());
    Partitioner partitioner = Partitioner.parse(s.partition(), s.ukShops());
    Path data = Home.resolve(s.data());
    System.out.printf("scenario %s: %s, partition %s, holdout %s, %d rounds, seed %d%n", s.name(), data,
        s.partition(), holdout, s.rounds(), s.seed());
    long t0 = System.nanoTime();
    FederationData fd = FederationData.load(data, partitioner, holdout);
    System.out.printf("loaded in %.1f s: %s%n", (System.nanoTime() - t0) / 1e9, fd.report());
    SimulationResult r = new Simulation(s, System.out).run(fd);
    Reports.write(r, out);
    Reports.printTable(r, System.out);
    System.out.println("wrote " + out.resolve(Reports.SUMMARY) + ", " + out.resolve(Reports.ROUNDS) + ", "
        + out.resolve(Reports.PLOT) + (r.privacy() == null ? ""
            : ", " + out.resolve(Reports.PRIVACY) + ", " + out.resolve(Reports.DP_ROUNDS)));
    return 0;
  }
}
