package org.hedgerow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.hedgerow.privacy.accounting.DpEvent;
import org.hedgerow.privacy.accounting.RdpAccountant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code hedgerow privacy epsilon|noise}, run in-process through the real command tree. */
class PrivacyCommandTest {

  @TempDir Path tmp;

  private static CliRun run(String... args) {
    return CliRun.of(args);
  }

  private static double jsonField(String json, String key) {
    return CliRun.jsonNumber(json, key);
  }

  private static void assertUsageError(CliRun r, String expectedMessage) {
    assertEquals(2, r.exitCode(), r.err());
    assertTrue(r.err().contains(expectedMessage), "stderr was: " + r.err());
    assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
    assertEquals("", r.out());
  }

  private Path write(String name, String content) throws IOException {
    Path file = tmp.resolve(name);
    Files.writeString(file, content, StandardCharsets.UTF_8);
    return file;
  }

  /** Opacus' reference run (accountants_test.py): ε = 7.32911117143 at order 3.9. */
  @Test
  void epsilon_opacusReferenceJson_printsOneObjectWithFullPrecision() {
    CliRun r =
        run("privacy", "epsilon", "--noise-multiplier", "1.5", "--sample-rate", "0.04",
            "--steps", "2250", "--delta", "1e-5", "--json");
    assertEquals(0, r.exitCode(), r.err());
    String json = r.out().trim();
    assertTrue(json.matches("\\{\"epsilon\": [0-9.eE-]+, \"order\": [0-9.eE-]+}"), json);
    assertEquals(7.32911117143, jsonField(json, "epsilon"), 7.32911117143 * 1e-6);
    assertEquals(3.9, jsonField(json, "order"));
    assertEquals(1, r.out().lines().count());
  }

  @Test
  void epsilon_humanOutput_printsEpsilonAndOrder() {
    CliRun r =
        run("privacy", "epsilon", "--noise-multiplier", "1.5", "--sample-rate", "0.04",
            "--steps", "2250", "--delta", "1e-5");
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().startsWith("epsilon = 7.329111 at delta = 1.0E-5 (best RDP order 3.9;"),
        r.out());
  }

  /** MNIST DP-SGD: classic conversion over TF Privacy's orders gives 3.0092 (4 figures). */
  @Test
  void epsilon_tfOrdersClassicConversion_gives3point0092() {
    CliRun r =
        run("privacy", "epsilon", "--noise-multiplier", "1.1", "--sample-rate",
            Double.toString(256.0 / 60000), "--steps", "14063", "--delta", "1e-5",
            "--orders", "tf", "--conversion", "classic", "--json");
    assertEquals(0, r.exitCode(), r.err());
    assertEquals(3.0092, jsonField(r.out(), "epsilon"), 3.0092 * 1e-4);
    assertEquals(9.0, jsonField(r.out(), "order"));
  }

  @Test
  void epsilon_customOrderList_isUsed() {
    CliRun r =
        run("privacy", "epsilon", "--noise-multiplier", "1.5", "--sample-rate", "0.04",
            "--steps", "2250", "--delta", "1e-5", "--orders", "3.9, 8", "--json");
    assertEquals(0, r.exitCode(), r.err());
    assertEquals(7.32911117143, jsonField(r.out(), "epsilon"), 7.32911117143 * 1e-6);
  }

  @Test
  void epsilon_planOfTwoPhases_equalsComposedAccountant() throws IOException {
    Path plan =
        write(
            "plan.json",
            "{\"delta\": 1e-5,\n \"phases\": [\n"
                + "  {\"noise_multiplier\": 1.1, \"sample_rate\": 0.01, \"steps\": 1000},\n"
                + "  {\"noise_multiplier\": 0.9, \"sample_rate\": 0.02, \"steps\": 500}]}\n");
    CliRun r = run("privacy", "epsilon", "--plan", plan.toString(), "--json");
    assertEquals(0, r.exitCode(), r.err());
    double expected =
        new RdpAccountant()
            .compose(DpEvent.sampledGaussian(1.1, 0.01, 1000))
            .compose(DpEvent.sampledGaussian(0.9, 0.02, 500))
            .epsilon(1e-5)
            .epsilon();
    assertEquals(expected, jsonField(r.out(), "epsilon"), 0.0);
  }

  /** Opacus' get_noise_multiplier reference: ε = 8, δ = 1e-5, q = 0.04, 2250 steps → 1.416. */
  @Test
  void noise_opacusReference_prints1point416() {
    CliRun r =
        run("privacy", "noise", "--target-epsilon", "8", "--delta", "1e-5", "--sample-rate",
            "0.04", "--steps", "2250", "--json");
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().trim().matches("\\{\"noise_multiplier\": [0-9.eE-]+, \"epsilon\": [0-9.eE-]+}"),
        r.out());
    assertEquals(1.416015625, jsonField(r.out(), "noise_multiplier"), 0.0);
    double eps = jsonField(r.out(), "epsilon");
    assertTrue(eps <= 8 && eps > 7.99, r.out());
  }

  @Test
  void noise_humanOutput_printsNoiseMultiplier() {
    CliRun r =
        run("privacy", "noise", "--target-epsilon", "8", "--delta", "1e-5", "--sample-rate",
            "0.04", "--steps", "2250");
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().startsWith("noise multiplier = 1.416016 spends epsilon = 7.998"), r.out());
  }

  @Test
  void noise_plan_calibratesOneSigmaForAllPhases() throws IOException {
    Path plan =
        write(
            "noise.json",
            "{\"delta\": 1e-6, \"phases\": [{\"sample_rate\": 0.01, \"steps\": 3000},"
                + " {\"sample_rate\": 0.05, \"steps\": 200}]}");
    CliRun r = run("privacy", "noise", "--target-epsilon", "3", "--plan", plan.toString(), "--json");
    assertEquals(0, r.exitCode(), r.err());
    double sigma = jsonField(r.out(), "noise_multiplier");
    double eps =
        new RdpAccountant()
            .compose(DpEvent.sampledGaussian(sigma, 0.01, 3000))
            .compose(DpEvent.sampledGaussian(sigma, 0.05, 200))
            .epsilon(1e-6)
            .epsilon();
    assertEquals(eps, jsonField(r.out(), "epsilon"), 0.0);
    assertTrue(eps <= 3 && eps > 2.99, "ε=" + eps);
  }

  static Stream<Arguments> badParameters() {
    return Stream.of(
        Arguments.of("--sample-rate", "0", "epsilon", "--sample-rate must be in (0, 1]. Provided value: 0.0"),
        Arguments.of("--sample-rate", "1.5", "epsilon", "--sample-rate must be in (0, 1]. Provided value: 1.5"),
        Arguments.of("--sample-rate", "-0.1", "noise", "--sample-rate must be in (0, 1]. Provided value: -0.1"),
        Arguments.of("--noise-multiplier", "0", "epsilon", "--noise-multiplier must be > 0 and finite. Provided value: 0.0"),
        Arguments.of("--noise-multiplier", "-1", "epsilon", "--noise-multiplier must be > 0 and finite. Provided value: -1.0"),
        Arguments.of("--noise-multiplier", "NaN", "epsilon", "--noise-multiplier must be > 0 and finite. Provided value: NaN"),
        Arguments.of("--noise-multiplier", "Infinity", "epsilon", "--noise-multiplier must be > 0 and finite. Provided value: Infinity"),
        Arguments.of("--delta", "0", "epsilon", "--delta must be in (0, 1). Provided value: 0.0"),
        Arguments.of("--delta", "1", "noise", "--delta must be in (0, 1). Provided value: 1.0"),
        Arguments.of("--steps", "0", "epsilon", "--steps must be >= 1. Provided value: 0"),
        Arguments.of("--steps", "-5", "noise", "--steps must be >= 1. Provided value: -5"),
        Arguments.of("--steps", "abc", "epsilon", "Invalid value for option '--steps': 'abc' is not a long"),
        Arguments.of("--steps", "1.5", "noise", "Invalid value for option '--steps': '1.5' is not a long"),
        Arguments.of("--delta", "1e-5x", "epsilon", "Invalid value for option '--delta': '1e-5x' is not a double"),
        Arguments.of("--orders", "0.5,2", "epsilon", "--orders: order must be > 1 and finite. Provided value: 0.5"),
        Arguments.of("--orders", "fast", "noise", "--orders must be opacus, tf or a comma-separated list of numbers > 1. Provided value: fast"),
        Arguments.of("--conversion", "tight", "epsilon", "--conversion must be improved or classic. Provided value: tight"),
        Arguments.of("--target-epsilon", "0", "noise", "--target-epsilon must be > 0 and finite. Provided value: 0.0"),
        Arguments.of("--tolerance", "-1", "noise", "--tolerance must be > 0 and finite. Provided value: -1.0"));
  }

  @ParameterizedTest(name = "{0} {1} -> {3}")
  @MethodSource("badParameters")
  void badParameter_exitsTwoWithOneClearMessage(
      String option, String value, String command, String message) {
    java.util.Map<String, String> args = new java.util.LinkedHashMap<>();
    if (command.equals("epsilon")) {
      args.put("--noise-multiplier", "1.1");
    } else {
      args.put("--target-epsilon", "2");
    }
    args.put("--sample-rate", "0.01");
    args.put("--steps", "100");
    args.put("--delta", "1e-5");
    args.put(option, value);
    java.util.List<String> argv = new java.util.ArrayList<>(java.util.List.of("privacy", command));
    args.forEach((k, v) -> {
      argv.add(k);
      argv.add(v);
    });
    assertUsageError(run(argv.toArray(String[]::new)), message);
  }

  @Test
  void epsilon_missingOptions_namesThem() {
    assertUsageError(
        run("privacy", "epsilon", "--noise-multiplier", "1", "--sample-rate", "0.1"),
        "Missing required option(s): --steps, --delta (or give --plan FILE)");
  }

  @Test
  void noise_missingTargetEpsilon_isUsageError() {
    assertUsageError(
        run("privacy", "noise", "--sample-rate", "0.1", "--steps", "10", "--delta", "1e-5"),
        "Missing required option: '--target-epsilon=E'");
  }

  @Test
  void privacy_withoutSubcommand_isUsageError() {
    assertUsageError(run("privacy"), "Missing required subcommand");
  }

  @Test
  void noise_unreachableBudget_isUsageError() {
    assertUsageError(
        run("privacy", "noise", "--target-epsilon", "1e-9", "--delta", "1e-12", "--sample-rate",
            "1", "--steps", "1000000000"),
        "targetEpsilon 1.0E-9 is unreachable");
  }

  @Test
  void epsilon_missingPlanFile_isUsageError() {
    Path missing = tmp.resolve("nope.json");
    assertUsageError(
        run("privacy", "epsilon", "--plan", missing.toString()),
        "--plan " + missing + ": cannot read the file: it does not exist");
  }

  @Test
  void epsilon_planIsDirectory_isUsageError() {
    assertUsageError(
        run("privacy", "epsilon", "--plan", tmp.toString()), "--plan " + tmp + ": cannot read");
  }

  @Test
  void epsilon_planWithSingleOptions_isUsageError() throws IOException {
    Path plan = write("p.json", "{\"delta\": 1e-5, \"phases\": []}");
    assertUsageError(
        run("privacy", "epsilon", "--plan", plan.toString(), "--delta", "1e-5", "--steps", "3"),
        "--plan cannot be combined with --steps, --delta: the plan file gives them");
  }

  static Stream<Arguments> badPlans() {
    return Stream.of(
        Arguments.of("{\"delta\": 1e-5, \"phases\": [}", "line 1, column 28: Unexpected close marker '}': expected ']'"),
        Arguments.of("{\"delta\": 1e-5}", "phases must be a non-empty array"),
        Arguments.of("[]", "the plan must be a JSON object"),
        Arguments.of("{\"delta\": 2, \"phases\": [{\"noise_multiplier\": 1, \"sample_rate\": 0.1, \"steps\": 5}]}", "delta must be in (0, 1). Provided value: 2.0"),
        Arguments.of("{\"delta\": 1e-5, \"phases\": [{\"noise_multiplier\": 1, \"sample_rate\": 1.5, \"steps\": 5}]}", "phases[0].sample_rate must be in (0, 1]. Provided value: 1.5"),
        Arguments.of("{\"delta\": 1e-5, \"phases\": [{\"noise_multiplier\": 0, \"sample_rate\": 0.5, \"steps\": 5}]}", "phases[0].noise_multiplier must be > 0 and finite. Provided value: 0.0"),
        Arguments.of("{\"delta\": 1e-5, \"phases\": [{\"noise_multiplier\": 1, \"sample_rate\": 0.5, \"steps\": 2.5}]}", "phases[0].steps must be a whole number >= 1. Provided value: 2.5"),
        Arguments.of("{\"delta\": 1e-5, \"phases\": [{\"noise_multiplier\": 1, \"sample_rate\": 0.5}]}", "phases[0].steps is missing"),
        Arguments.of("{\"delta\": 1e-5, \"phases\": [{\"noise_multiplier\": 1, \"sample_rate\": \"0.5\", \"steps\": 2}]}", "phases[0].sample_rate must be a number"),
        Arguments.of("{\"delta\": 1e-5, \"phases\": [{\"noise_multiplier\": 1, \"sampling_rate\": 0.5, \"steps\": 2}]}", "phases[0] has an unknown key \"sampling_rate\""),
        Arguments.of("{\"delta\": 1e-5, \"delta\": 1e-6, \"phases\": []}", "duplicate key \"delta\""),
        Arguments.of("{\"delta\": 1e-5, \"phases\": []} {}", "line 1, column 31: unexpected content after the JSON value"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("badPlans")
  void epsilon_badPlanFile_isUsageErrorNamingTheProblem(String content, String message)
      throws IOException {
    Path plan = write("bad.json", content);
    assertUsageError(run("privacy", "epsilon", "--plan", plan.toString()), message);
  }

  @Test
  void noise_planWithNoiseMultiplier_isUsageError() throws IOException {
    Path plan =
        write(
            "n.json",
            "{\"delta\": 1e-5, \"phases\": [{\"noise_multiplier\": 1, \"sample_rate\": 0.5,"
                + " \"steps\": 2}]}");
    assertUsageError(
        run("privacy", "noise", "--target-epsilon", "1", "--plan", plan.toString()),
        "phases[0].noise_multiplier is what 'noise' calibrates; remove it");
  }

  @Test
  void epsilon_planNotUtf8_isUsageError() throws IOException {
    Path plan = tmp.resolve("latin1.json");
    Files.write(plan, new byte[] {'{', (byte) 0xff, '}'});
    assertUsageError(
        run("privacy", "epsilon", "--plan", plan.toString()), "it is not UTF-8 text");
  }
}
