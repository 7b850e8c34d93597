package org.hedgerow.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Option;

/** Scenario overrides shared by {@code demo} and {@code simulate}. */
final class RunOptions {
  @Option(names = "--rounds", description = "Federated rounds.")
  Integer rounds;

  @Option(names = "--holdout", description = "last-invoice (default) or after=YYYY-MM-DD.")
  String holdout;

  @Option(names = "--partition", description = "region (default), region:FILE or customer.")
  String partition;

  @Option(names = "--uk-shops", description = "Shops the UK is split into by customer.")
  Integer ukShops;

  @Option(names = "--local-epochs", description = "Epochs per round at each client.")
  Integer localEpochs;

  @Option(names = "--seed", description = "Seed of everything random in the run.")
  Long seed;

  @Option(names = "--workers", description = "Training workers (one DL4J thread each).")
  Integer workers;

  @Option(names = "--data", description = "Behaviour log to use instead of the scenario's.")
  String data;

  ObjectNode asJson() {
    ObjectNode o = new ObjectMapper().createObjectNode();
    if (rounds != null) {
      o.put("rounds", rounds);
    }
    if (holdout != null) {
      org.hedgerow.edge.task.Holdout.parse(holdout); // fail now, with the holdout's own message
      o.put("holdout", holdout);
    }
    if (partition != null) {
      o.put("partition", partition);
    }
    if (ukShops != null) {
      o.put("uk_shops", ukShops);
    }
    if (localEpochs != null) {
      o.put("local_epochs", localEpochs);
    }
    if (seed != null) {
      o.put("seed", seed);
    }
    if (workers != null) {
      o.put("workers", workers);
    }
    if (data != null) {
      o.put("data", data);
    }
    return o;
  }
}
