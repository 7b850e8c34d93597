package org.hedgerow.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.hedgerow.edge.task.Holdout;
import org.hedgerow.simulations.FederationData;
import org.hedgerow.simulations.Scenario;
import org.hedgerow.simulations.Sweep;
import org.hedgerow.simulations.SweepGrid;
import org.hedgerow.simulations.partition.Partitioner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code hedgerow sweep --grid FILE --out DIR}: a research grid, one federation per point. */
@Command(name = "sweep", mixinStandardHelpOptions = true,
    description = {"Run a grid of federations (e.g. epsilon cap x partition x secure aggregation x aggregator x "
        + "rounds), one per point, no baselines. Appends each finished point to OUT/" + Sweep.TABLE
        + " at once, so an interrupted sweep resumes (run the same command again); draws OUT/" + Sweep.PLOT + ".",
        "Grid file: {\"scenario\": FILE (optional), \"base\": {scenario keys} (optional), \"axes\": {scenario key: "
            + "[values]}}; an epsilon_cap of \"inf\" means no DP."})
public class GridSweepCommand implements Callable<Integer> {
  @Option(names = "--grid", required = true, description = "The grid JSON file.")
  Path grid;

  @Option(names = "--out", required = true, description = "Directory for " + Sweep.TABLE + " and " + Sweep.PLOT + ".")
  Path out;

  @Override
  public Integer call() throws Exception {
    return run(SweepGrid.load(grid), out);
  }

  static int run(SweepGrid g, Path out) throws Exception {
    List<Sweep.Row> rows = Sweep.run(g, GridSweepCommand::load, out, System.out);
    System.out.println();
    System.out.print(String.join(",", g.axes().keySet()) + ",method,hr@10,ndcg@10,max_silo_epsilon\n");
    for (Sweep.Row r : rows) {
      System.out.println(String.join(",", r.axisValues()) + "," + r.results().get(0) + "," + r.results().get(2) + ","
          + r.results().get(4) + "," + r.results().get(9));
    }
    System.out.println("wrote " + out.resolve(Sweep.TABLE) + ", " + out.resolve(Sweep.PLOT));
    return 0;
  }

  private static FederationData load(Scenario s) {
    Path data = Home.resolve(s.data());
    System.out.printf("loading %s, partition %s, holdout %s, seed %d%n", data, s.partition(), s.holdout(), s.seed());
    return FederationData.load(data, Partitioner.parse(s.partition(), s.ukShops(), s.seed()), Holdout.parse(s.holdout()),
        SimulateCommand.declaredCatalogue(s));
  }
}
