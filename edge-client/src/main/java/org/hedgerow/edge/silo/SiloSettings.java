package org.hedgerow.edge.silo;

import java.time.LocalDateTime;
import org.hedgerow.edge.dp.DpConfig;

/**
 * Everything a silo needs to know to take part, besides its data and its coordinator: how it builds
 * its examples and, for a DP silo, its privacy settings and the public inputs they rest on. The same
 * record drives {@code hedgerow client} and every silo of the simulator.
 *
 * @param name the silo's name (its budget's holder)
 * @param targetsPerCustomer latest training baskets per customer used as targets
 * @param examplesPerKind examples per stratum per target
 * @param seed seed of the non-private example sampling and local training (ignored for DP randomness,
 *     which comes from {@code SecureRandom})
 * @param dp user-level DP settings, or null for a non-private silo
 * @param trainingEnd the declared end of the training period (public; ends the DP statistics'
 *     "recent" window); required with {@code dp}
 * @param calibrateNoise with {@code dp}: recalibrate σ for the rounds that remain after what the
 *     silo's log already holds (false: keep {@code dp}'s σ as given)
 */
public record SiloSettings(String name, int targetsPerCustomer, int examplesPerKind, long seed, DpConfig dp,
    LocalDateTime trainingEnd, boolean calibrateNoise) {

  public SiloSettings {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("a silo needs a name");
    }
    if (targetsPerCustomer < 1 || examplesPerKind < 1) {
      throw new IllegalArgumentException("targets per customer and examples per kind must be >= 1");
    }
    if (dp != null && trainingEnd == null) {
      throw new IllegalArgumentException("a DP silo needs a declared training end (a public input)");
    }
  }

  /** A non-private silo. */
  public static SiloSettings plain(String name, int targetsPerCustomer, int examplesPerKind, long seed) {
    return new SiloSettings(name, targetsPerCustomer, examplesPerKind, seed, null, null, false);
  }

  public boolean privateTraining() {
    return dp != null;
  }
}
