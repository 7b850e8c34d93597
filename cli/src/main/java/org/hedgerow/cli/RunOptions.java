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

  @Option(names = "--secure-aggregation", description = "none, secagg or secagg+: also run the federation behind "
      + "secure aggregation (federated-secagg, or federated-dp-secagg with local DP).")
  String secureAggregation;

  @Option(names = "--epsilon-cap", description = "Per-silo (per-customer) epsilon cap; runs federated-dp too "
      + "(privacy mode local unless --privacy-mode says otherwise).")
  Double epsilonCap;

  @Option(names = "--delta", description = "Delta of the privacy guarantee (in (0, 1); default 1e-5).")
  Double delta;

  @Option(names = "--privacy-mode", description = "none, local (user-level DP at each silo) or central "
      + "(the coordinator clips and noises client updates).")
  String privacyMode;

  @Option(names = "--noise-multiplier", description = "Noise multiplier sigma; calibrated from the cap if absent.")
  Double noiseMultiplier;

  @Option(names = "--clip-norm", description = "Clip norm C (per-customer gradient, or per-client delta in central mode).")
  Double clipNorm;

  @Option(names = "--sample-rate", description = "Poisson sampling rate q of customers per DP step (in (0, 1]).")
  Double sampleRate;

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
    if (epsilonCap != null) {
      o.put("epsilon_cap", epsilonCap);
      if (privacyMode == null) {
        o.put("privacy", "local");
      }
    }
    if (privacyMode != null) {
      o.put("privacy", privacyMode);
    }
    if (delta != null) {
      o.put("delta", delta);
    }
    if (noiseMultiplier != null) {
      o.put("noise_multiplier", noiseMultiplier);
    }
    if (clipNorm != null) {
      o.put("clip_norm", clipNorm);
    }
    if (sampleRate != null) {
      o.put("sample_rate", sampleRate);
    }
    if (secureAggregation != null) {
      o.put("secure_aggregation", secureAggregation);
    }
    return o;
  }
}
