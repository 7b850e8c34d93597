package org.hedgerow.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Option;

/**
 * Scenario overrides of cross-device mode ({@code --partition customer}), for the in-process
 * commands only ({@code simulate}, {@code demo}, {@code sweep}): {@code coordinator start} has its
 * own, different {@code --clients-per-round} (silos asked per round).
 */
final class CrossDeviceOptions {
  @Option(names = "--clients-per-round", description = "Cross-device mode (--partition customer): expected devices "
      + "per round K; each device is sampled independently with probability K / devices (default: every device).")
  Integer clientsPerRound;

  @Option(names = "--dropout-rate", description = "Cross-device mode: probability that a sampled device drops out "
      + "before training (default 0.05).")
  Double dropoutRate;

  @Option(names = "--straggler-rate", description = "Cross-device mode: probability that a sampled device reports "
      + "after the round's deadline; its update is discarded (default 0.05).")
  Double stragglerRate;

  /** Adds the options given to {@code o} (scenario keys) and returns it. */
  ObjectNode addTo(ObjectNode o) {
    if (clientsPerRound != null) {
      o.put("clients_per_round", clientsPerRound);
    }
    if (dropoutRate != null) {
      o.put("dropout_rate", dropoutRate);
    }
    if (stragglerRate != null) {
      o.put("straggler_rate", stragglerRate);
    }
    return o;
  }
}
