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

  @Option(names = "--partition", description = "region (default), region:FILE, customer (= per-customer), "
      + "dirichlet:ALPHA[:SILOS] or quantity-skew:ALPHA[:SILOS] (SILOS default 15; draws fixed by --seed).")
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

  @Option(names = "--aggregator", description = "Aggregation rule: fedavg (default), fedavgm, fedadam, fedyogi, "
      + "median or trimmed-mean (see docs/aggregators.md).")
  String aggregator;

  @Option(names = "--server-learning-rate", description = "Server step size eta (fedavgm, fedadam, fedyogi).")
  Double serverLearningRate;

  @Option(names = "--server-momentum", description = "Server momentum mu in [0, 1) (fedavgm).")
  Double serverMomentum;

  @Option(names = "--beta1", description = "First-moment decay in [0, 1) (fedadam, fedyogi).")
  Double beta1;

  @Option(names = "--beta2", description = "Second-moment decay in [0, 1) (fedadam, fedyogi).")
  Double beta2;

  @Option(names = "--tau", description = "Adaptivity tau > 0 (fedadam, fedyogi).")
  Double tau;

  @Option(names = "--trim-fraction", description = "Fraction trimmed from each side, in (0, 0.5) (trimmed-mean).")
  Double trimFraction;

  @Option(names = "--max-update-norm", description = "Clip each client's update to this L2 norm before aggregating "
      + "(any rule; not with secure aggregation or central DP).")
  Double maxUpdateNorm;

  @Option(names = "--deterministic-noise", paramLabel = "SEED", description = "RESEARCH ONLY: every DP noise source, "
      + "sampler and stochastic rounder draws from streams derived from SEED, so a DP run replays bit for bit. Not a "
      + "privacy guarantee; every output is marked. Refused by 'client' and 'coordinator start'.")
  Long deterministicNoise;

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
    if (deterministicNoise != null) {
      o.put("deterministic_noise", deterministicNoise);
    }
    ObjectNode parameters = aggregatorParameters();
    if (aggregator != null) {
      if (parameters.isEmpty()) {
        o.put("aggregator", aggregator);
      } else {
        o.putObject("aggregator").put("name", aggregator).setAll(parameters);
      }
    } else if (!parameters.isEmpty()) {
      // The scenario's aggregator is replaced as a whole, so a lone parameter would have no rule to apply to.
      throw new IllegalArgumentException("--" + parameters.fieldNames().next().replace('_', '-')
          + " needs --aggregator NAME (the rule it configures)");
    }
    return o;
  }

  /** The aggregator parameters given on the command line, by scenario key. */
  private ObjectNode aggregatorParameters() {
    ObjectNode p = new ObjectMapper().createObjectNode();
    if (serverLearningRate != null) {
      p.put("server_learning_rate", serverLearningRate);
    }
    if (serverMomentum != null) {
      p.put("server_momentum", serverMomentum);
    }
    if (beta1 != null) {
      p.put("beta1", beta1);
    }
    if (beta2 != null) {
      p.put("beta2", beta2);
    }
    if (tau != null) {
      p.put("tau", tau);
    }
    if (trimFraction != null) {
      p.put("trim_fraction", trimFraction);
    }
    if (maxUpdateNorm != null) {
      p.put("max_update_norm", maxUpdateNorm);
    }
    return p;
  }
}
