package org.hedgerow.cli.privacy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A training run as seen by the accountant: a δ and one or more phases, each a number of
 * Poisson-sampled Gaussian steps with its own sampling rate (and, for {@code epsilon}, its own
 * noise multiplier).
 *
 * <p>The plan file is JSON:
 *
 * <pre>
 * {"delta": 1e-5,
 *  "phases": [{"noise_multiplier": 1.1, "sample_rate": 0.01, "steps": 1000},
 *             {"noise_multiplier": 0.9, "sample_rate": 0.02, "steps": 500}]}
 * </pre>
 *
 * For {@code noise} the phases carry no {@code noise_multiplier}: one σ is calibrated for all.
 * Unknown keys are rejected so that a typo cannot silently drop a phase's setting.
 *
 * @param delta the target δ, in (0, 1)
 * @param phases at least one phase, in order
 */
record PrivacyPlan(double delta, List<Phase> phases) {

  /** At most this many bytes are read from a plan file. */
  static final long MAX_FILE_BYTES = 1 << 20;

  /**
   * One phase.
   *
   * @param noiseMultiplier σ, or NaN when it is to be calibrated
   * @param sampleRate q in (0, 1]
   * @param steps T ≥ 1
   */
  record Phase(double noiseMultiplier, double sampleRate, long steps) {}

  /**
   * Reads and validates a plan file.
   *
   * @param withNoiseMultiplier whether phases must give {@code noise_multiplier} (for {@code
   *     epsilon}) or must not (for {@code noise})
   * @throws IllegalArgumentException with a message fit for the user if the file cannot be read
   *     or is not a valid plan
   */
  static PrivacyPlan read(Path file, boolean withNoiseMultiplier) {
    String text;
    try {
      if (Files.size(file) > MAX_FILE_BYTES) {
        throw new IllegalArgumentException("the file is larger than 1 MiB");
      }
      byte[] bytes = Files.readAllBytes(file);
      // A strict decoder: malformed bytes are an error rather than silently replaced.
      text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("cannot read the file: it does not exist");
    } catch (AccessDeniedException e) {
      throw new IllegalArgumentException("cannot read the file: permission denied");
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("cannot read the file: it is not UTF-8 text");
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the file: " + e.getMessage());
    }
    return parse(text, withNoiseMultiplier);
  }

  /** Validates a plan given as JSON text (see {@link #read}). */
  static PrivacyPlan parse(String json, boolean withNoiseMultiplier) {
    Object root = PlanJson.parse(json);
    if (!(root instanceof Map<?, ?> top)) {
      throw new IllegalArgumentException("the plan must be a JSON object");
    }
    checkKeys(top, Set.of("delta", "phases"), "the plan");
    double delta = number(top, "delta", "delta");
    if (!(delta > 0 && delta < 1)) {
      throw new IllegalArgumentException("delta must be in (0, 1). Provided value: " + delta);
    }
    Object phasesValue = top.get("phases");
    if (!(phasesValue instanceof List<?> list) || list.isEmpty()) {
      throw new IllegalArgumentException("phases must be a non-empty array");
    }
    List<Phase> phases = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      String where = "phases[" + i + "]";
      if (!(list.get(i) instanceof Map<?, ?> phase)) {
        throw new IllegalArgumentException(where + " must be an object");
      }
      double sigma = Double.NaN;
      if (withNoiseMultiplier) {
        checkKeys(phase, Set.of("noise_multiplier", "sample_rate", "steps"), where);
        sigma = number(phase, "noise_multiplier", where + ".noise_multiplier");
        PrivacyArgs.checkNoiseMultiplier(where + ".noise_multiplier", sigma);
      } else {
        if (phase.containsKey("noise_multiplier")) {
          throw new IllegalArgumentException(
              where + ".noise_multiplier is what 'noise' calibrates; remove it");
        }
        checkKeys(phase, Set.of("sample_rate", "steps"), where);
      }
      double q = number(phase, "sample_rate", where + ".sample_rate");
      PrivacyArgs.checkSampleRate(where + ".sample_rate", q);
      double steps = number(phase, "steps", where + ".steps");
      if (!(steps >= 1 && steps == Math.rint(steps) && steps <= 0x1.0p53)) {
        throw new IllegalArgumentException(
            where + ".steps must be a whole number >= 1. Provided value: " + steps);
      }
      phases.add(new Phase(sigma, q, (long) steps));
    }
    return new PrivacyPlan(delta, List.copyOf(phases));
  }

  private static void checkKeys(Map<?, ?> map, Set<String> allowed, String where) {
    for (Object key : map.keySet()) {
      if (!allowed.contains(key)) {
        throw new IllegalArgumentException(
            String.format(
                "%s has an unknown key \"%s\" (expected %s)",
                where, key, String.join(", ", allowed.stream().sorted().toList())));
      }
    }
  }

  private static double number(Map<?, ?> map, String key, String name) {
    if (!map.containsKey(key)) {
      throw new IllegalArgumentException(name + " is missing");
    }
    if (!(map.get(key) instanceof Double d)) {
      throw new IllegalArgumentException(name + " must be a number");
    }
    return d;
  }

  /** Σ steps over the phases. */
  long totalSteps() {
    long total = 0;
    for (Phase p : phases) {
      total = Math.addExact(total, p.steps());
    }
    return total;
  }
}
