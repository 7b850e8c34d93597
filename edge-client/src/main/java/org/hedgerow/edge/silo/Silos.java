package org.hedgerow.edge.silo;

import java.util.List;
import java.util.function.Supplier;
import org.hedgerow.edge.dp.SiloPrivacy;
import org.hedgerow.edge.dp.SiloRelease;
import org.hedgerow.edge.dp.SpendLog;
import org.hedgerow.edge.features.CustomerSeeds;
import org.hedgerow.edge.features.CoPurchase;
import org.hedgerow.edge.features.FeatureExtractor;
import org.hedgerow.edge.features.ItemStats;
import org.hedgerow.edge.features.TrainingSet;
import org.hedgerow.edge.features.TrainingSetBuilder;
import org.hedgerow.edge.state.SiloState;
import org.hedgerow.edge.task.SiloData;
import org.hedgerow.privacy.noise.GaussianNoise;

/**
 * The one way a silo is assembled, for {@code hedgerow client} and for every silo of the simulator:
 * its release (under DP), its features and its examples ({@link #prepare}), and its privacy state for
 * a federation ({@link #privacy}).
 *
 * <p>A non-private silo computes exact item statistics of its own data and draws negatives from one
 * stream seeded by the settings (reproducible). A DP silo computes nothing from its customers but
 * its {@link SiloRelease} (DP item statistics and customer count, on the declared catalogue and
 * training end), builds features from that release only, and draws each customer's negatives from
 * that customer's own PRF stream under a fresh secret key — so no customer's examples depend on
 * another customer's data (docs/privacy.md).
 */
public final class Silos {
  private Silos() {}

  /** A fresh DP release of {@code data} with the settings' σ_s and σ_n (SecureRandom noise). */
  public static SiloRelease release(SiloSettings settings, SiloData data, int catalogueSize) {
    requireDp(settings);
    return SiloRelease.compute(data.customers(), catalogueSize, settings.trainingEnd(),
        settings.dp().statsNoiseMultiplier(), settings.dp().countNoiseMultiplier(), new GaussianNoise());
  }

  /**
   * Features and examples of {@code data}; {@code release} is the silo's DP release (required with
   * DP, null otherwise).
   */
  public static PreparedSilo prepare(SiloSettings settings, SiloData data, int catalogueSize, SiloRelease release) {
    return prepare(settings, data, catalogueSize, release, false);
  }

  /**
   * As above; with {@code coPurchase} a non-private silo's features include its own co-purchase
   * counts ({@link CoPurchase}; ignored under DP: counts over other customers are not released).
   */
  public static PreparedSilo prepare(SiloSettings settings, SiloData data, int catalogueSize, SiloRelease release,
      boolean coPurchase) {
    TrainingSetBuilder builder = new TrainingSetBuilder(settings.targetsPerCustomer(), settings.examplesPerKind());
    if (!settings.privateTraining()) {
      if (release != null) {
        throw new IllegalArgumentException("silo " + settings.name() + " is not private: it makes no DP release");
      }
      // Co-purchase counts stay in the silo and feed only its own features (not under DP: they are
      // counts over other customers, which no DP release covers).
      FeatureExtractor fx = new FeatureExtractor(ItemStats.of(List.of(data), catalogueSize),
          coPurchase ? CoPurchase.of(data.customers(), catalogueSize) : null);
      TrainingSet ts = builder.build(data, fx, settings.seed() ^ settings.name().hashCode());
      return new PreparedSilo(settings, data, fx, ts, null);
    }
    if (release == null || release.catalogueSize() != catalogueSize) {
      throw new IllegalArgumentException("DP silo " + settings.name() + " needs its release over the catalogue of "
          + catalogueSize + " products");
    }
    FeatureExtractor fx = new FeatureExtractor(release.itemStats());
    TrainingSet ts = builder.build(data.customers(), fx, CustomerSeeds.secret());
    return new PreparedSilo(settings, data, fx, ts, release);
  }

  /**
   * A DP silo's privacy state for one federation in a process that cannot restart it (the
   * simulator): a new budget charged with {@code release}, its log kept in {@code log}.
   */
  public static SiloPrivacy privacy(SiloSettings settings, SpendLog log, SiloRelease release) {
    requireDp(settings);
    return SiloPrivacy.start(settings.name(), settings.dp(), log, release);
  }

  /**
   * A DP silo process's privacy state from its state directory: its budget continued from the log,
   * its saved release reused (or made now with {@code data}, saved and charged before use), σ
   * recalibrated for {@code remainingRounds} when the settings ask for it (see {@link SiloState#resume}).
   */
  public static SiloPrivacy privacy(SiloSettings settings, SiloState state, SiloData data, int catalogueSize,
      int remainingRounds) {
    requireDp(settings);
    Supplier<SiloRelease> fresh = () -> release(settings, data, catalogueSize);
    return state.resume(settings.name(), settings.dp(), settings.calibrateNoise(), remainingRounds, catalogueSize,
        fresh);
  }

  private static void requireDp(SiloSettings settings) {
    if (!settings.privateTraining()) {
      throw new IllegalArgumentException("silo " + settings.name() + " does not train with DP");
    }
  }
}
