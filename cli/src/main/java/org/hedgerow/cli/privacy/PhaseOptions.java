package org.hedgerow.cli.privacy;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The run being accounted: one phase on the command line, or several from a plan file. */
public final class PhaseOptions {

  @Option(
      names = "--sample-rate",
      paramLabel = "Q",
      description = "Poisson sampling probability per step, in (0, 1].")
  Double sampleRate;

  @Option(names = "--steps", paramLabel = "T", description = "Number of steps (>= 1).")
  Long steps;

  @Option(names = "--delta", paramLabel = "D", description = "Target delta, in (0, 1).")
  Double delta;

  @Option(
      names = "--plan",
      paramLabel = "FILE",
      description =
          "JSON plan of several phases instead of the single-phase options:"
              + " {\"delta\": 1e-5, \"phases\": [{\"noise_multiplier\": 1.1, \"sample_rate\": 0.01,"
              + " \"steps\": 1000}, ...]} (no noise_multiplier for 'noise'). See docs/privacy.md.")
  Path plan;
}
