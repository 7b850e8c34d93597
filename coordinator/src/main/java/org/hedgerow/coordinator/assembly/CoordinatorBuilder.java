package org.hedgerow.coordinator.assembly;

import org.hedgerow.aggregation.strategy.Aggregators;
import org.hedgerow.aggregation.strategy.CentralDpFedAvg;
import org.hedgerow.aggregation.strategy.Strategy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.hedgerow.coordinator.AccessControl;
import org.hedgerow.coordinator.CoordinatorOptions;
import org.hedgerow.coordinator.ServiceLimits;
import org.hedgerow.coordinator.service.CoordinatorVerticle;
import org.hedgerow.coordinator.store.CoordinatorStore;
import org.hedgerow.coordinator.store.JdbcCoordinatorStore;
import org.hedgerow.coordinator.store.StoreLocation;
import org.hedgerow.privacy.budget.PrivacyBudget;

/**
 * The one way a coordinator is assembled: a {@link FederationConfig} plus how it is served (address,
 * clients, deadlines, body limit), where its state lives and who may call it. Composition, outer to
 * inner: {@link CoordinatorVerticle} → secure-aggregation workflow (if configured) → {@link
 * CentralDpFedAvg} with the coordinator's own {@link PrivacyBudget} (if configured) → the
 * aggregation rule. Used by {@code coordinator start}, the simulator and the load benchmark.
 */
public final class CoordinatorBuilder {
  private final FederationConfig config;
  private String host = CoordinatorOptions.DEFAULT_HOST;
  private int port;
  private int expectedClients;
  private Integer minClients;
  private int clientsPerRound;
  private long roundDeadlineMillis = CoordinatorOptions.DEFAULT_ROUND_DEADLINE_MILLIS;
  private Long maxUploadBytes;
  private CoordinatorStore store;
  private AccessControl access;
  private ServiceLimits limits = ServiceLimits.DEFAULTS;
  private double centralNoiseMultiplier = Double.NaN;
  private double centralSamplingRate = 1.0;
  private PrivacyBudget centralBudget;
  private float[] startFrom;

  private CoordinatorBuilder(FederationConfig config) {
    if (config == null) {
      throw new IllegalArgumentException("federation config must not be null");
    }
    this.config = config;
  }

  public static CoordinatorBuilder of(FederationConfig config) {
    return new CoordinatorBuilder(config);
  }

  /** Address to bind (default loopback) and port (default 0: any free one). */
  public CoordinatorBuilder listen(String host, int port) {
    this.host = host;
    this.port = port;
    return this;
  }

  /**
   * Silos to wait for before round 1 (0: every enrolled, not revoked silo) and the fewest updates a
   * round may close with at its deadline (null: all expected, at least one).
   */
  public CoordinatorBuilder clients(int expected, Integer min) {
    this.expectedClients = expected;
    this.minClients = min;
    return this;
  }

  /** Silos asked per round (0: all). */
  public CoordinatorBuilder clientsPerRound(int n) {
    this.clientsPerRound = n;
    return this;
  }

  public CoordinatorBuilder roundDeadlineMillis(long millis) {
    this.roundDeadlineMillis = millis;
    return this;
  }

  /** Largest request body (null: the default, at least one update). */
  public CoordinatorBuilder maxUploadBytes(Long bytes) {
    this.maxUploadBytes = bytes;
    return this;
  }

  /** Where the state lives (null: a temporary SQLite file the verticle owns and deletes when it stops). */
  public CoordinatorBuilder store(CoordinatorStore store) {
    this.store = store;
    return this;
  }

  /** Enrolment, mutual TLS and roles (null: open registration, development). */
  public CoordinatorBuilder access(AccessControl access) {
    this.access = access;
    return this;
  }

  /** Limits that keep one caller from tying up the service (default {@link ServiceLimits#DEFAULTS}). */
  public CoordinatorBuilder limits(ServiceLimits limits) {
    if (limits == null) {
      throw new IllegalArgumentException("service limits must not be null");
    }
    this.limits = limits;
    return this;
  }

  /**
   * Cross-device central DP: each round's cohort is Poisson-sampled at rate {@code samplingRate} with
   * secret coins (by the caller: the simulator's cohort sampler), so rounds are accounted as sampled
   * Gaussians at that rate and the denominator ({@link #clients}) is the expected cohort. {@code budget}
   * is the coordinator's budget, already charged with any release made before training (its events
   * count in the calibration of σ), or null for a fresh one.
   */
  public CoordinatorBuilder poissonSampledCohorts(double samplingRate, PrivacyBudget budget) {
    if (!(samplingRate > 0 && samplingRate <= 1)) {
      throw new IllegalArgumentException("sampling rate must be in (0, 1]. Provided value: " + samplingRate);
    }
    this.centralSamplingRate = samplingRate;
    this.centralBudget = budget;
    return this;
  }

  /** Start from these parameters (an earlier global model) instead of a fresh model; null: fresh. */
  public CoordinatorBuilder startFrom(float[] parameters) {
    this.startFrom = parameters == null ? null : parameters.clone();
    return this;
  }

  /** The service options these settings make. */
  public CoordinatorOptions options() {
    long needed = 4L * config.spec().parameterCount() + 1024;
    long limit = maxUploadBytes != null ? maxUploadBytes : Math.max(CoordinatorOptions.DEFAULT_MAX_UPLOAD_BYTES, needed);
    int min = minClients != null ? minClients : Math.max(1, expectedClients);
    return new CoordinatorOptions(host, port, config.spec(), config.rounds(), expectedClients, min, roundDeadlineMillis,
        config.seed(), limit, clientsPerRound, config.privacy());
  }

  /** The strategy: the aggregation rule, decorated with central DP and its budget if configured. */
  public Strategy strategy() {
    Strategy created = Aggregators.create(config.aggregator(), config.fit());
    Strategy rule = startFrom == null ? created : new org.hedgerow.aggregation.strategy.WarmStart(created, startFrom);
    FederationConfig.CentralDp dp = config.centralDp();
    if (dp == null) {
      return rule;
    }
    int n = expectedClients > 0 ? expectedClients : access != null ? access.activeEnrolments() : 0;
    if (n < 1) {
      throw new IllegalArgumentException("central DP divides the noisy sum by the expected number of silos: give "
          + "the number of silos (--clients), or enrol them before starting the coordinator");
    }
    PrivacyBudget budget = centralBudget != null ? centralBudget
        : new PrivacyBudget(FederationConfig.CentralDp.HOLDER, dp.epsilonCap(), dp.delta());
    if (centralSamplingRate == 1.0 && centralBudget == null) {
      centralNoiseMultiplier = dp.noiseMultiplierFor(config.rounds());
    } else {
      centralNoiseMultiplier = dp.noiseMultiplier() != null ? dp.noiseMultiplier()
          : budget.events().isEmpty()
              ? org.hedgerow.privacy.accounting.NoiseCalibration.noiseMultiplierFor(dp.epsilonCap(), dp.delta(),
                  centralSamplingRate, config.rounds())
              : org.hedgerow.privacy.accounting.NoiseCalibration.noiseMultiplierFor(dp.epsilonCap(), dp.delta(),
                  centralSamplingRate, config.rounds(), new org.hedgerow.privacy.accounting.ComposedEvent(budget.events()));
    }
    return new CentralDpFedAvg(rule, dp.clipNorm(), centralNoiseMultiplier, n, centralSamplingRate, budget);
  }

  /** σ of central DP as the last {@link #strategy()} or {@link #build()} set it (NaN: none). */
  public double centralNoiseMultiplier() {
    return centralNoiseMultiplier;
  }

  /**
   * The coordinator, resuming what the store holds. Blocking (reads the store): call off any event loop.
   *
   * @throws IllegalArgumentException the settings contradict each other (the message says which)
   */
  public CoordinatorVerticle build() {
    CoordinatorOptions options = options();
    Strategy strategy = strategy();
    if (store != null) {
      return new CoordinatorVerticle(options, strategy, config.secureAggregation(), store, null, access, limits);
    }
    Path dir;
    try {
      dir = Files.createTempDirectory("hedgerow-coordinator-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary directory for the coordinator's store", e);
    }
    CoordinatorStore temporary = JdbcCoordinatorStore.open(StoreLocation.sqlite(dir.resolve("coordinator.db")));
    try {
      return new CoordinatorVerticle(options, strategy, config.secureAggregation(), temporary, dir, access, limits);
    } catch (RuntimeException e) {
      temporary.close();
      throw e;
    }
  }
}
