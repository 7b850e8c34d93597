package org.hedgerow.simulations;

import java.util.List;
import java.util.Map;

/**
 * Everything a run measured, before it is written out.
 *
 * @param seconds wall time of the whole run
 * @param trainingSeconds local training time summed over clients and rounds
 * @param aggregationSeconds time the coordinator spent aggregating
 * @param federatedWallSeconds wall time of the federated phase
 * @param baselineSeconds wall time of centralized and local-only training
 * @param evaluationSeconds time spent ranking test baskets
 * @param dpRounds per-round figures of {@code federated-dp} (empty without privacy)
 * @param privacy the privacy ledger and per-silo ε of {@code federated-dp} (null without privacy)
 * @param dpWallSeconds wall time of the {@code federated-dp} phase (0 without privacy)
 * @param coordinator URL of the separately running coordinator the silos used ({@code simulate
 *     --coordinator}); null when the run started its own coordinators in-process
 * @param crossDevice per-round cohort, timing and memory figures of a cross-device run; null otherwise
 * @param modelDigests per federation, the {@link ModelDigest} of its final global model
 */
public record SimulationResult(Scenario scenario, FederationData data, List<SiloInfo> silos,
    Map<String, MethodResult> methods, List<RoundRow> rounds, double seconds, double trainingSeconds,
    double aggregationSeconds, double federatedWallSeconds, double baselineSeconds, double evaluationSeconds,
    List<RoundRow> dpRounds, PrivacyReport privacy, double dpWallSeconds, String coordinator,
    CrossDeviceReport crossDevice, Map<String, String> modelDigests) {

  public SimulationResult {
    modelDigests = modelDigests == null ? Map.of() : Map.copyOf(new java.util.TreeMap<>(modelDigests));
  }

  public SimulationResult(Scenario scenario, FederationData data, List<SiloInfo> silos,
      Map<String, MethodResult> methods, List<RoundRow> rounds, double seconds, double trainingSeconds,
      double aggregationSeconds, double federatedWallSeconds, double baselineSeconds, double evaluationSeconds,
      List<RoundRow> dpRounds, PrivacyReport privacy, double dpWallSeconds, String coordinator) {
    this(scenario, data, silos, methods, rounds, seconds, trainingSeconds, aggregationSeconds, federatedWallSeconds,
        baselineSeconds, evaluationSeconds, dpRounds, privacy, dpWallSeconds, coordinator, null, Map.of());
  }

  /** A silo as reported: its size and how much it trained on. */
  public record SiloInfo(String name, int customers, int trainExamples, long testBaskets) {}
}
