package org.hedgerow.simulations;

import java.util.List;
import java.util.Map;

/**
 * What a cross-device run measured beyond the usual rounds: the population, the cohort sampling, and
 * per federation and round who was sampled, who dropped out or straggled, how long the round took,
 * the process's peak memory so far and hr@10.
 *
 * @param population devices (one per customer)
 * @param withExamples devices whose customer has training examples
 * @param expectedCohort K, the expected number of devices sampled per round
 * @param samplingRate q = K / population, each device's probability of being sampled in a round
 * @param sampling how the cohort was drawn (Poisson, and from which source of coins)
 * @param dropoutRate probability that a sampled device drops out before training
 * @param stragglerRate probability that a sampled device reports after the deadline
 * @param federations per federation ({@code federated}, {@code federated-dp}): its rounds
 */
public record CrossDeviceReport(int population, int withExamples, int expectedCohort, double samplingRate,
    String sampling, double dropoutRate, double stragglerRate, Map<String, List<Round>> federations) {

  /**
   * One round of one federation.
   *
   * @param sampled devices drawn into the cohort
   * @param dropped sampled devices that dropped out before training
   * @param stragglers devices that trained but reported after the deadline (discarded)
   * @param reported updates aggregated
   * @param declined devices that declined because the round would take them over their ε cap (local DP)
   * @param seconds wall time of the round: sampling, building each device's data, training, aggregation
   * @param evaluationSeconds wall time of evaluating the new global model on every test basket
   * @param peakRssMb the process's peak resident set size so far (VmHWM)
   * @param peakHeapMb the JVM heap pools' peak usage so far
   * @param hr10 hr@10 of the new global model
   * @param epsilon ε spent so far by the accountant (central: the coordinator's; local: the largest
   *     of any device's); NaN without DP
   */
  public record Round(int round, int sampled, int dropped, int stragglers, int reported, int declined,
      double seconds, double evaluationSeconds, long peakRssMb, long peakHeapMb, double hr10, double epsilon) {}
}
