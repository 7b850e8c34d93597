package org.hedgerow.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.hedgerow.aggregation.model.ModelSpec;
import org.hedgerow.edge.dp.CanaryAudit;
import org.hedgerow.edge.dp.DpConfig;
import org.hedgerow.edge.dp.ModelGradients;
import org.hedgerow.edge.features.FeatureExtractor;
import org.hedgerow.edge.features.ItemStats;
import org.hedgerow.edge.features.TrainingSet;
import org.hedgerow.edge.features.TrainingSetBuilder;
import org.hedgerow.edge.model.PreferenceModel;
import org.hedgerow.simulations.partition.Partitioner;
import org.hedgerow.edge.task.Holdout;
import org.hedgerow.edge.task.SiloData;
import org.hedgerow.privacy.audit.TopKGuesses;
import org.hedgerow.simulations.FederationData;
import org.hedgerow.simulations.Scenario;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code hedgerow privacy audit}: an empirical lower bound on the ε of a silo's DP training, from
 * one training run with canaries (Steinke, Nasr, Jagielski 2023; {@link CanaryAudit}), printed
 * beside the ε the accountant claims.
 *
 * <p>One silo of the bundled scenario (default {@value #DEFAULT_SILO}) trains as it would in the
 * federation: σ calibrated to {@code --epsilon-cap} over the scenario's rounds with its C, q,
 * steps per round and learning rate, real DL4J per-customer gradients, plus M gradient canaries.
 * Sampling, membership and noise come from {@code SecureRandom}; there is deliberately no seed.
 *
 * <p>Exit code 0 when the lower bound does not exceed the claim, 1 when it does (the training leaks
 * more than claimed, with the stated confidence), 2 on bad options.
 */
@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Empirical privacy audit in one training run (Steinke, Nasr, Jagielski 2023): a silo trains with"
          + " user-level DP plus M canary customers, each included with probability 1/2; membership"
          + " guesses from the noisy steps give a lower bound on epsilon, printed beside the claimed"
          + " epsilon (RDP accountant).",
      "Exit code 0: lower bound <= claim; 1: lower bound > claim (a violation); 2: bad options."
    })
public final class PrivacyAuditCommand implements Callable<Integer> {
  static final String DEFAULT_SILO = "germany";

  @Spec CommandSpec spec;

  @Option(names = "--epsilon-cap", paramLabel = "E", defaultValue = "8",
      description = "Claimed epsilon: sigma is calibrated so the run spends at most E (default: ${DEFAULT-VALUE}).")
  double epsilonCap;

  @Option(names = "--delta", paramLabel = "D", defaultValue = "1e-5",
      description = "Delta of the claim and of the audit's hypothesis (default: ${DEFAULT-VALUE}).")
  double delta;

  @Option(names = "--canaries", paramLabel = "M", defaultValue = "1000",
      description = "Canary customers, each included with probability 1/2 (default: ${DEFAULT-VALUE}).")
  int canaries;

  @Option(names = "--rounds", paramLabel = "R",
      description = "Training rounds of the scenario's steps per round (default: the scenario's rounds, 10).")
  Integer rounds;

  @Option(names = "--silo", paramLabel = "NAME", defaultValue = DEFAULT_SILO,
      description = "Silo of the bundled scenario whose customers train (default: ${DEFAULT-VALUE}).")
  String silo;

  @Option(names = "--confidence", defaultValue = "0.95",
      description = "Confidence of the lower bound, in (0, 1) (default: ${DEFAULT-VALUE}).")
  double confidence;

  @Option(names = "--json", description = "Print exactly one JSON object on stdout.")
  boolean json;

  @Option(names = "--insecure-no-noise",
      description = "INSECURE, audit only: run the same training with the noise switched off (the broken"
          + " configuration the audit must catch).")
  boolean insecureNoNoise;

  @Override
  public Integer call() throws Exception {
    CommandLine cl = spec.commandLine();
    PrintWriter err = cl.getErr();
    checkOptions(cl);
    Scenario s = Scenario.bundledDefault();
    int r = rounds != null ? rounds : s.rounds();
    DpConfig dp = DpConfig.calibrated(s.clipNorm(), s.sampleRate(), s.dpStepsPerRound(), s.dpLearningRate(),
        epsilonCap, delta, r, 0, 0);
    ModelSpec modelSpec = s.modelSpec();
    usage(cl, () -> CanaryAudit.check(canaries, modelSpec.parameterCount(), delta, r, confidence), "--canaries");

    if (insecureNoNoise) {
      warn(err);
    }
    Path data = Home.resolve(s.data());
    err.printf("audit: loading %s (partition %s) ...%n", data, s.partition());
    err.flush();
    FederationData fd = FederationData.load(data, Partitioner.parse(s.partition(), s.ukShops(), s.seed()),
        Holdout.parse(s.holdout()));
    SiloData siloData = fd.silos().stream().filter(x -> x.name().equals(silo)).findFirst()
        .orElseThrow(() -> new ParameterException(cl, "--silo must be one of "
            + fd.silos().stream().map(SiloData::name).collect(Collectors.joining(", ")) + ". Provided value: " + silo));
    // Exact item statistics: the canaries take no part in them, so the audit is of the training steps.
    FeatureExtractor fx = new FeatureExtractor(ItemStats.of(List.of(siloData), fd.catalogue().size()));
    TrainingSet ts = new TrainingSetBuilder(s.targetsPerCustomer(), s.examplesPerKind())
        .build(siloData, fx, s.seed() ^ siloData.name().hashCode());
    if (ts.customers() < 1) {
      throw new ParameterException(cl, "--silo " + silo + " has no customers with training examples");
    }
    PreferenceModel model = new PreferenceModel(modelSpec, s.seed());
    err.printf(Locale.ROOT, "audit: silo %s, %d customers (%,d examples) + %d canaries; %s; %d rounds%n", silo,
        ts.customers(), ts.size(), canaries, dp, r);
    err.flush();
    CanaryAudit.Result res = CanaryAudit.run(dp, r, new ModelGradients(model, ts), model.parameters(), canaries,
        confidence, insecureNoNoise, line -> {
          err.println(line);
          err.flush();
        });
    print(cl.getOut(), res);
    if (insecureNoNoise) {
      warn(err);
    }
    return res.epsilonLowerBound() > res.claimedEpsilon() ? 1 : 0;
  }

  private void checkOptions(CommandLine cl) {
    check(cl, epsilonCap > 0 && Double.isFinite(epsilonCap), "--epsilon-cap must be > 0 and finite", epsilonCap);
    check(cl, delta > 0 && delta < 1, "--delta must be in (0, 1)", delta);
    check(cl, canaries >= 2, "--canaries must be >= 2", canaries);
    check(cl, 2.0 * canaries * delta <= 1,
        "--canaries must satisfy 2 * canaries * delta <= 1 (delta " + delta + ")", canaries);
    check(cl, rounds == null || rounds >= 1, "--rounds must be >= 1", rounds);
    check(cl, confidence > 0 && confidence < 1, "--confidence must be in (0, 1)", confidence);
    check(cl, !silo.isBlank(), "--silo must not be empty", "'" + silo + "'");
  }

  private static void check(CommandLine cl, boolean ok, String what, Object value) {
    if (!ok) {
      throw new ParameterException(cl, what + ". Provided value: " + value);
    }
  }

  private static void usage(CommandLine cl, Runnable check, String option) {
    try {
      check.run();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(cl, option + ": " + e.getMessage());
    }
  }

  private static void warn(PrintWriter err) {
    err.println("**********************************************************************");
    err.println("* WARNING: --insecure-no-noise. The DP noise is SWITCHED OFF: this   *");
    err.println("* training has NO privacy guarantee whatever epsilon is printed. It  *");
    err.println("* exists only to show that the audit catches a broken configuration. *");
    err.println("* Never train or release a model like this.                          *");
    err.println("**********************************************************************");
    err.flush();
  }

  private void print(PrintWriter out, CanaryAudit.Result res) {
    TopKGuesses.Outcome o = res.outcome();
    TopKGuesses.Trial best = o.best();
    DpConfig c = res.config();
    boolean violation = res.epsilonLowerBound() > res.claimedEpsilon();
    if (json) {
      String tried = o.trials().stream()
          .map(t -> String.format(Locale.ROOT, "{\"per_side\": %d, \"guesses\": %d, \"correct\": %d, "
              + "\"epsilon_lower_bound\": %s}", t.perSide(), t.guesses(), t.correct(), num(t.epsilonLowerBound())))
          .collect(Collectors.joining(", ", "[", "]"));
      out.printf(Locale.ROOT, "{\"claimed_epsilon\": %s, \"epsilon_lower_bound\": %s, \"confidence\": %s, "
              + "\"canaries\": %d, \"included\": %d, \"guesses\": %d, \"correct\": %d, \"guesses_in\": %d, "
              + "\"guesses_out\": %d, \"per_test_confidence\": %s, \"k_tried\": %s, \"delta\": %s, "
              + "\"noise_multiplier\": %s, \"clip_norm\": %s, \"sample_rate\": %s, \"rounds\": %d, \"steps\": %d, "
              + "\"silo\": \"%s\", \"customers\": %d, \"insecure_no_noise\": %s, \"violation\": %s, "
              + "\"seconds\": %s}%n",
          num(res.claimedEpsilon()), num(res.epsilonLowerBound()), num(o.confidence()), res.canaries(), res.included(),
          best.guesses(), best.correct(), best.perSide(), best.perSide(), num(o.perTestConfidence()), tried,
          num(o.delta()), num(c.noiseMultiplier()), num(c.clipNorm()), num(c.sampleRate()), res.rounds(), res.steps(),
          silo, res.realCustomers(), res.insecureNoNoise(), violation, num(res.seconds()));
    } else {
      out.printf(Locale.ROOT, "privacy audit of silo %s: %d customers + %d canaries (%d included), %d rounds x %d "
              + "steps (%d noisy steps), q %s, C %s, sigma %.6f%s%n",
          silo, res.realCustomers(), res.canaries(), res.included(), res.rounds(), c.stepsPerRound(), res.steps(),
          c.sampleRate(), c.clipNorm(), c.noiseMultiplier(),
          res.insecureNoNoise() ? " -- NOISE SWITCHED OFF (--insecure-no-noise)" : "");
      out.printf(Locale.ROOT, "claimed epsilon     = %.6f at delta = %s (RDP accountant)%n", res.claimedEpsilon(),
          c.delta());
      out.printf(Locale.ROOT, "epsilon lower bound = %.3f at %.0f%% confidence (%d of %d guesses correct: top %d in,"
              + " bottom %d out; best of %d guess counts, each tested at %.2f%%)%n",
          res.epsilonLowerBound(), 100 * o.confidence(), best.correct(), best.guesses(), best.perSide(),
          best.perSide(), o.trials().size(), 100 * o.perTestConfidence());
      out.println(violation
          ? "VIOLATION: the lower bound exceeds the claimed epsilon -- this training does not give its claimed guarantee"
          : "no violation found: the lower bound does not exceed the claim (a lower bound from one run; it does not"
              + " prove the claim)");
    }
    out.flush();
  }

  private static String num(double v) {
    return Double.isFinite(v) ? Double.toString(v) : "null";
  }
}
