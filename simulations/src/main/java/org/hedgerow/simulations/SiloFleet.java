package org.hedgerow.simulations;

import java.net.URI;
import java.util.List;
import java.util.concurrent.Callable;
import org.hedgerow.aggregation.model.ModelSpec;
import org.hedgerow.edge.silo.PreparedSilo;

/**
 * Who trains a simulated federation's silos when not this process: {@link Simulation} by default runs
 * one edge client per silo in-process; a fleet instead hands the silos to other processes (e.g.
 * {@code simulate --cluster}: workers in other JVMs, summed by regional sub-coordinators) and
 * returns the coordinator's clients that stand for them. Evaluation and baselines stay in the
 * simulating process.
 */
public interface SiloFleet {
  /** How many clients the coordinator must wait for when {@code training} silos take part. */
  int coordinatorClients(List<PreparedSilo> training);

  /**
   * Starts the silos' training elsewhere and returns the tasks that take part in the coordinator's
   * federation at {@code coordinator} until it finishes (each run on its own thread).
   */
  List<Callable<Void>> participants(URI coordinator, ModelSpec spec, List<PreparedSilo> training) throws Exception;

  /**
   * The signed spends of the last federation's DP silos, by silo, when their budgets were kept by the
   * fleet (each silo's whole log); empty when the fleet trained no DP silo.
   */
  default java.util.Map<String, List<org.hedgerow.privacy.budget.SignedSpend>> spends() {
    return java.util.Map.of();
  }
}
