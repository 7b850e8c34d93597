package org.hedgerow.cli.audit;

import java.io.PrintStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.hedgerow.coordinator.assembly.FederationConfig;
import org.hedgerow.coordinator.secagg.SecureAggregationOptions;
import org.hedgerow.edge.dp.DpConfig;
import org.hedgerow.edge.dp.SiloRelease;
import org.hedgerow.privacy.budget.PrivacyBudget;
import org.hedgerow.simulations.Scenario;
import org.hedgerow.simulations.Simulation;

/**
 * A privacy impact assessment of one federation, derived from its configuration: the scenario and the
 * coordinator's half of it ({@link Scenario#federationConfig()}). Every statement is chosen by what
 * the configuration says and carries its basis (the configuration keys or the code it follows from);
 * ε figures come from the accountant ({@link PrivacyBudget}) charged with the planned run's
 * parameters, σ from the same calibration the run uses ({@link Simulation#localDpConfig()},
 * {@link Simulation#centralNoiseMultiplier()}).
 *
 * @param source where the configuration came from (file name or "bundled default")
 * @param sections in reading order
 */
public record PrivacyImpactAssessment(String source, String federation, List<Section> sections) {
  /** A titled section of statements. */
  public record Section(String id, String title, List<Statement> statements) {}

  /** One statement and what it is derived from. */
  public record Statement(String text, String basis) {}

  public static PrivacyImpactAssessment of(Scenario s, String source) {
    FederationConfig fc = s.federationConfig();
    Simulation planner = new Simulation(s, new PrintStream(OutputStream.nullOutputStream()));
    List<Section> out = new ArrayList<>();
    out.add(new Section("data", "Data categories and where they stay", data(s, fc)));
    out.add(new Section("purposes", "Purposes", purposes(s)));
    out.add(new Section("unit", "Unit of privacy and adjacency", unit(s)));
    out.add(new Section("budget", "Epsilon and delta per silo", budget(s, planner)));
    out.add(new Section("secagg", "Secure aggregation and its threat model", secureAggregation(s, fc)));
    out.add(new Section("retention", "Retention and deletion", retention(s)));
    out.add(new Section("consent", "Consent", consent()));
    out.add(new Section("risks", "Residual risks and mitigations", risks(s)));
    return new PrivacyImpactAssessment(source, s.name(), List.copyOf(out));
  }

  private static Statement st(String basis, String format, Object... args) {
    return new Statement(String.format(Locale.ROOT, format, args), basis);
  }

  private static String silos(Scenario s) {
    if (s.partition().equals("customer")) {
      return "one client per customer (cross-device)";
    }
    return "regional shops (partition '" + s.partition() + "': countries grouped into regions, the UK split into "
        + s.ukShops() + " shops by customer)";
  }

  private static List<Statement> data(Scenario s, FederationConfig fc) {
    List<Statement> l = new ArrayList<>();
    l.add(st("data, partition, uk_shops", "Personal data processed: customers' purchase histories (invoice lines: "
        + "invoice number and date, product code and description, quantity, unit price, customer id, country) from "
        + "'%s'. The silos are %s.", s.data(), silos(s)));
    l.add(st("edge-client (RetailLogLoader, Silos)", "Raw purchase lines stay at the silo that holds them: each silo "
        + "loads, cleans and trains on its own customers only; no raw line is sent to the coordinator or another silo."));
    String leaves;
    if (s.privacy().equals("local")) {
      leaves = "model updates made differentially private at the silo (user-level DP-SGD), the FedAvg weight round(N^) "
          + "from a DP customer count, and the silo's signed privacy spends; training loss and time are not reported";
    } else if (s.privacy().equals("central")) {
      leaves = "clipped model updates without noise (the coordinator adds the noise) and their example counts";
    } else {
      leaves = "model updates (parameter deltas) computed from the silo's data without noise, example counts, "
          + "training loss and training time";
    }
    l.add(st("privacy", "What leaves a silo each round: %s.", leaves));
    if (fc.secureAggregation() != null) {
      l.add(st("secure_aggregation", "Updates leave the silo only masked (%s): the coordinator learns their sum, "
          + "not any one silo's update.", fc.secureAggregation().mode()));
    } else {
      l.add(st("secure_aggregation", "Secure aggregation is off: the coordinator receives each silo's update "
          + "individually (over TLS in service mode)."));
    }
    l.add(st("coordinator (FederationConfig, CoordinatorStore)", "The coordinator keeps the global model versions, "
        + "the round history, the enrolled silos' certificate fingerprints and the privacy ledger; it never holds "
        + "purchase lines."));
    return l;
  }

  private static List<Statement> purposes(Scenario s) {
    List<Statement> l = new ArrayList<>();
    l.add(st("hidden, rounds, aggregator", "Train a shared preference model (MLP, hidden layers %s) over %d federated "
        + "rounds (aggregator %s) that ranks the product catalogue for a customer's next purchase, and return it to "
        + "the silos for recommendation.", s.hidden(), s.rounds(), s.aggregator().name()));
    l.add(st("holdout", "Evaluate it on held-out invoices (holdout '%s'); evaluation metrics are computed where the "
        + "data is and are not part of any privacy guarantee.", s.holdout()));
    return l;
  }

  private static List<Statement> unit(Scenario s) {
    List<Statement> l = new ArrayList<>();
    switch (s.privacy()) {
      case "local" -> {
        l.add(st("privacy = local", "Unit of privacy: one customer (data subject) with all of their records, at each "
            + "silo. Adjacency: add or remove one customer's records."));
        l.add(st("catalogue, training_end", "Inputs treated as public (the guarantee holds given them): the declared "
            + "catalogue '%s', the end of the training period %s, the model architecture and the federation's "
            + "settings, and the global models the coordinator sends.", s.catalogue(), s.trainingEnd()));
      }
      case "central" -> l.add(st("privacy = central, partition", "Unit of privacy: one client, i.e. %s. Adjacency: add "
          + "or remove one client's whole update. %s", s.partition().equals("customer") ? "one customer"
              : "one whole shop, not one customer", s.partition().equals("customer") ? ""
              : "Customers inside a shop are not individually protected."));
      default -> l.add(st("privacy = none", "No unit of privacy: the federation runs without differential privacy, "
          + "so no adjacency is protected and no epsilon is claimed."));
    }
    return l;
  }

  private static List<Statement> budget(Scenario s, Simulation planner) {
    List<Statement> l = new ArrayList<>();
    if (s.privacy().equals("local")) {
      DpConfig dp = planner.localDpConfig();
      PrivacyBudget plan = dp.budget("plan");
      plan.chargeGaussianRelease(SiloRelease.STATS_MECHANISM, dp.statsNoiseMultiplier());
      plan.chargeGaussianRelease(SiloRelease.COUNT_MECHANISM, dp.countNoiseMultiplier());
      int trained = plan(plan, s.rounds(), r -> plan.spend(r, "dp-sgd-user", dp.noiseMultiplier(), dp.sampleRate(),
          dp.stepsPerRound(), dp.clipNorm()), r -> plan.refusal(r, dp.noiseMultiplier(), dp.sampleRate(),
          dp.stepsPerRound()));
      l.add(st("epsilon_cap, delta", "Every silo has its own budget: cap epsilon %s at delta %s per customer over the "
          + "whole run; a silo refuses a round that would pass its cap.", AuditReportPlots.trim(s.epsilonCap()),
          s.delta()));
      l.add(st("noise_multiplier, clip_norm, sample_rate, dp_steps_per_round, stats_noise_multiplier, "
          + "count_noise_multiplier", "Mechanisms: item statistics (Gaussian, sigma %s), customer count (Gaussian, "
          + "sigma %s), then per round %d DP-SGD steps (Poisson rate q %s, clip C %s, sigma %.6g%s).",
          AuditReportPlots.trim(dp.statsNoiseMultiplier()), AuditReportPlots.trim(dp.countNoiseMultiplier()),
          dp.stepsPerRound(), dp.sampleRate(), dp.clipNorm(), dp.noiseMultiplier(),
          s.noiseMultiplier() == null ? ", calibrated to fit the cap over " + s.rounds() + " rounds" : ", as configured"));
      l.add(planned(s, trained, plan.epsilon(), "per silo"));
    } else if (s.privacy().equals("central")) {
      double sigma = planner.centralNoiseMultiplier();
      PrivacyBudget plan = new PrivacyBudget(FederationConfig.CentralDp.HOLDER, s.epsilonCap(), s.delta());
      int trained = plan(plan, s.rounds(), r -> plan.spend(r, "central-gaussian", sigma, 1.0, 1, s.clipNorm()),
          r -> plan.refusal(r, sigma, 1.0, 1));
      l.add(st("privacy = central, epsilon_cap, delta", "One budget, the coordinator's: cap epsilon %s at delta %s for "
          + "the federation; silos have no budget of their own.", AuditReportPlots.trim(s.epsilonCap()), s.delta()));
      l.add(st("clip_norm, noise_multiplier", "Mechanism: per round one Gaussian release of the clipped sum (clip C %s, "
          + "sigma %.6g, every client every round, q = 1).", s.clipNorm(), sigma));
      l.add(planned(s, trained, plan.epsilon(), "for the federation"));
    } else {
      l.add(st("privacy = none", "No silo has a privacy budget; the configured cap (%s) and delta (%s) are not used.",
          AuditReportPlots.trim(s.epsilonCap()), s.delta()));
    }
    return l;
  }

  /** Charges rounds 1..rounds to {@code plan} as the budget allows; returns how many fit under the cap. */
  private static int plan(PrivacyBudget plan, int rounds, java.util.function.IntConsumer charge,
      java.util.function.IntFunction<java.util.Optional<String>> refusal) {
    for (int r = 1; r <= rounds; r++) {
      if (refusal.apply(r).isPresent()) {
        return r - 1;
      }
      charge.accept(r);
    }
    return rounds;
  }

  private static Statement planned(Scenario s, int trained, double epsilon, String whose) {
    if (trained == s.rounds()) {
      return st("accountant (SpendAccounting, RDP)", "Planned epsilon %s after all %d rounds: %.4f at delta %s, by the "
          + "RDP accountant on these parameters.", whose, s.rounds(), epsilon, s.delta());
    }
    return st("accountant (SpendAccounting, RDP), noise_multiplier, rounds", "With these parameters the budget "
        + "allows only %d of the %d rounds (epsilon %.4f at delta %s); later rounds are refused by the budget.",
        trained, s.rounds(), epsilon, s.delta());
  }

  private static List<Statement> secureAggregation(Scenario s, FederationConfig fc) {
    List<Statement> l = new ArrayList<>();
    SecureAggregationOptions sa = fc.secureAggregation();
    if (sa == null) {
      l.add(st("secure_aggregation = none", "Not used. The coordinator must be trusted not to inspect or keep "
          + "individual updates%s.", s.privacy().equals("local") ? " (each is already DP at its silo)" : ""));
      return l;
    }
    l.add(st("secure_aggregation.mode, neighbours, threshold, bits", "%s: X25519 key agreement, pairwise masks "
        + "expanded by ChaCha20, self masks recovered by Shamir shares, updates quantised into Z_2^b. Neighbours %s, "
        + "threshold %s, bits %s.", sa.mode().equals("secagg") ? "SecAgg (complete graph)" : "SecAgg+ (sparse graph)",
        sa.neighbours() == null ? (sa.mode().equals("secagg") ? "all other silos" : "the smallest even k >= 2 log2 n")
            : sa.neighbours(), sa.threshold() == null ? "ceil(k/2) + 1" : sa.threshold(),
        sa.bits() == null ? "the most that cannot overflow" : sa.bits()));
    l.add(st("docs/security.md", "Threat model: an honest-but-curious coordinator and fewer than threshold colluding "
        + "silos learn only the sum of the round's updates; below the threshold a round aborts and reveals nothing. "
        + "A malicious coordinator (forged rosters, no consistency round) is not fully covered (docs/security.md)."));
    return l;
  }

  private static List<Statement> retention(Scenario s) {
    List<Statement> l = new ArrayList<>();
    l.add(st("coordinator store (updates table)", "An accepted update's body is kept in the coordinator's store only "
        + "until its round closes (then set to NULL); the record that it was accepted stays so a retried upload is "
        + "recognised."));
    l.add(st("coordinator store (model_versions, spends, silo_spends)", "Model versions and the privacy ledger are kept "
        + "for as long as the store: the ledger is append-only by design, and nothing in the code deletes it."));
    if (s.privacy().equals("local")) {
      l.add(st("privacy = local (SiloState)", "Each silo keeps its identity key, its signed spend log and its DP "
          + "release in its state directory (0700) for as long as its budget must be honoured: deleting them would "
          + "start a new budget for the same customers."));
    }
    l.add(st("data, privacy (Silos.prepare)", "A customer's lines live only in their silo's own data file, which a "
        + "silo reads when it starts: removing them there keeps them out of every run started afterwards. Models "
        + "already trained keep their contribution%s.", s.privacy().equals("local")
            ? ", bounded by the silo's epsilon (the released models are DP with respect to that customer)"
            : s.privacy().equals("central") ? ", bounded per client by the coordinator's epsilon, not per customer"
                : ", with no formal bound"));
    return l;
  }

  private static List<Statement> consent() {
    return List.of(st("scenario keys (Scenario.KEYS)", "The federation configuration has no consent setting: Hedgerow "
        + "records no consent and no lawful basis. Each silo's operator must hold one for training on its customers' "
        + "purchase histories before the silo joins."));
  }

  private static List<Statement> risks(Scenario s) {
    List<Statement> l = new ArrayList<>();
    if (s.privacy().equals("none")) {
      l.add(st("privacy = none", "Updates are exact functions of the silos' data: membership inference and "
          + "reconstruction from updates or models are not mitigated. Mitigation: set privacy 'local' with a cap."));
    }
    if (s.privacy().equals("central")) {
      l.add(st("privacy = central", "The coordinator sees every clipped update without noise and must be trusted. "
          + "Mitigation: privacy 'local' (noise added at each silo)."));
    }
    if (s.privacy().equals("local")) {
      l.add(st("privacy = local", "A silo's signed spends state what it declared, not what its training did: a silo "
          + "that adds less noise than it signs is not detected. Mitigation: audit the silo's code; run "
          + "'hedgerow privacy audit' for an empirical lower bound."));
      l.add(st("partition", "A person who is a customer of several silos is protected by each silo's epsilon "
          + "separately; their total is not accounted."));
      if (s.secureAggregation().enabled()) {
        l.add(st("privacy = local, secure_aggregation", "A simulation of this scenario trains two DP federations "
            + "(federated-dp and federated-dp-secagg) on the same customers; each fits the cap, together they do "
            + "not (the run prints and records their composed epsilon). A deployment runs one per budget."));
      }
    }
    if (s.secureAggregation().enabled() && !s.privacy().equals("local")) {
      l.add(st("secure_aggregation, privacy", "Secure aggregation hides individual updates but not the aggregate: "
          + "the global model is still an un-noised function of all silos' data. Mitigation: add privacy 'local'."));
    }
    l.add(st("docs/privacy.md (What else a silo discloses)", "Timing and volume of uploads and a silo's "
        + "participation are visible to the coordinator and are outside any guarantee."));
    return l;
  }
}
