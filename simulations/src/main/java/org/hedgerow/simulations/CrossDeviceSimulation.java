package org.hedgerow.simulations;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.hedgerow.aggregation.model.ModelSpec;
import org.hedgerow.aggregation.strategy.ClientUpdate;
import org.hedgerow.aggregation.strategy.Strategy;
import org.hedgerow.coordinator.CoordinatorOptions;
import org.hedgerow.coordinator.assembly.CoordinatorBuilder;
import org.hedgerow.coordinator.assembly.FederationConfig;
import org.hedgerow.edge.dp.SiloRelease;
import org.hedgerow.edge.eval.Evaluator;
import org.hedgerow.edge.eval.MetricSums;
import org.hedgerow.edge.eval.ModelRanker;
import org.hedgerow.edge.eval.PopularityRanker;
import org.hedgerow.edge.eval.Ranker;
import org.hedgerow.edge.eval.RepeatRanker;
import org.hedgerow.edge.features.CustomerSeeds;
import org.hedgerow.edge.features.FeatureExtractor;
import org.hedgerow.edge.features.TrainingSet;
import org.hedgerow.edge.features.TrainingSetBuilder;
import org.hedgerow.edge.model.PreferenceModel;
import org.hedgerow.edge.task.SiloData;
import org.hedgerow.privacy.accounting.ComposedEvent;
import org.hedgerow.privacy.accounting.NoiseCalibration;
import org.hedgerow.privacy.budget.PrivacyBudget;
import org.hedgerow.privacy.budget.Spend;
import org.hedgerow.privacy.clipping.L2Clipping;
import org.hedgerow.privacy.noise.GaussianNoise;
import org.hedgerow.privacy.noise.NoiseSource;

/**
 * Cross-device federated learning on one machine: every customer is a device (partition {@code
 * customer}), each round a cohort is Poisson-sampled, some sampled devices drop out or straggle, the
 * rest train from the global model and report a delta, and the coordinator's strategy (assembled
 * by {@link CoordinatorBuilder}, as in {@code coordinator start}) turns the round's deltas into the
 * next model.
 *
 * <p>Streaming, so that thousands of devices fit in a small heap: a device's examples are built only
 * when it is sampled and dropped once it has reported; each worker thread reuses one network; only
 * the round's deltas (K × parameters floats) are held at once. Devices report over an in-process
 * call rather than HTTP: with thousands of devices the point is the federation's statistics, and the
 * HTTP path is exercised by the cross-silo simulation.
 *
 * <p>Privacy: {@code central} is DP-FedAvg at the coordinator with user-level (one device = one
 * customer) sampled-Gaussian accounting at rate q; {@code local} has each device clip and noise its
 * own delta (each participation a Gaussian release, q = 1: the device knows it was sampled), with a
 * budget per device. In both, the item statistics the features use are one Gaussian release over all
 * customers (sensitivity 1 per customer), charged to every budget. Every ε comes from the accountant.
 */
public final class CrossDeviceSimulation {
  /** Ledger mechanism of a device's own noisy delta under local DP. */
  static final String DEVICE_MECHANISM = "device-gaussian";

  private final Scenario scenario;
  private final PrintStream out;

  public CrossDeviceSimulation(Scenario scenario, PrintStream out) {
    if (!scenario.crossDevice()) {
      throw new IllegalArgumentException("cross-device simulation needs partition 'customer'. Provided partition: "
          + scenario.partition());
    }
    if (scenario.secureAggregation().enabled() || scenario.distributedDp()) {
      throw new IllegalArgumentException("cross-device mode does not simulate secure aggregation yet: use "
          + "secure_aggregation 'none' (central or local DP are available)");
    }
    this.scenario = scenario;
    this.out = out;
  }

  public SimulationResult run(FederationData data) throws Exception {
    long t0 = System.nanoTime();
    ModelSpec spec = scenario.modelSpec();
    int population = data.silos().size();
    int cohort = scenario.clientsPerRound() == null ? population : Math.min(scenario.clientsPerRound(), population);
    double q = (double) cohort / population;
    int withExamples = (int) data.silos().stream()
        .filter(s -> s.customers().stream().anyMatch(c -> c.train().size() >= 2)).count();
    out.printf(Locale.ROOT, "cross-device: %,d devices (one per customer; %,d with >= 2 training invoices), expected "
        + "cohort %d (q = %.6f), dropout %.3f, stragglers %.3f, %d rounds, %d workers%n", population, withExamples,
        cohort, q, scenario.dropoutRate(), scenario.stragglerRate(), scenario.rounds(), scenario.workers());

    Map<String, MethodResult> methods = new LinkedHashMap<>();
    long te = System.nanoTime();
    methods.put("popularity", evaluate(data, List.of(new PopularityRanker(data.pooledStats()))));
    methods.put("repeat", evaluate(data, List.of(new RepeatRanker(data.pooledStats()))));
    double evalSeconds = (System.nanoTime() - te) / 1e9;

    Map<String, List<CrossDeviceReport.Round>> perFederation = new LinkedHashMap<>();
    Outcome plain = federate(data, spec, "none", cohort, q);
    methods.put("federated", plain.result);
    perFederation.put("federated", plain.rounds);
    evalSeconds += plain.evaluationSeconds;
    Outcome dp = null;
    String sampling = plain.sampling;
    if (scenario.privacyEnabled()) {
      dp = federate(data, spec, scenario.privacy(), cohort, q);
      methods.put("federated-dp", dp.result);
      perFederation.put("federated-dp", dp.rounds);
      evalSeconds += dp.evaluationSeconds;
      sampling = dp.sampling;
    }
    Map<String, String> digests = new LinkedHashMap<>();
    digests.put("federated", plain.modelDigest);
    if (dp != null) {
      digests.put("federated-dp", dp.modelDigest);
    }
    CrossDeviceReport report = new CrossDeviceReport(population, withExamples, cohort, q, sampling,
        scenario.dropoutRate(), scenario.stragglerRate(), perFederation);
    return new SimulationResult(scenario, data, List.of(), methods, rows(plain.rounds, plain.bytesPerDevice),
        (System.nanoTime() - t0) / 1e9, plain.trainingSeconds, plain.aggregationSeconds, plain.wallSeconds, 0,
        evalSeconds, dp == null ? List.of() : rows(dp.rounds, dp.bytesPerDevice), dp == null ? null : dp.privacy,
        dp == null ? 0 : dp.wallSeconds, null, report, digests);
  }

  /** What one federation gave. */
  private static final class Outcome {
    MethodResult result;
    final List<CrossDeviceReport.Round> rounds = new ArrayList<>();
    double trainingSeconds;
    double aggregationSeconds;
    double evaluationSeconds;
    double wallSeconds;
    long bytesPerDevice;
    PrivacyReport privacy;
    String sampling;
    String modelDigest;
  }

  private static List<RoundRow> rows(List<CrossDeviceReport.Round> rounds, long bytesPerDevice) {
    List<RoundRow> rows = new ArrayList<>();
    for (CrossDeviceReport.Round r : rounds) {
      rows.add(new RoundRow(r.round(), r.hr10(), Double.NaN, r.reported(), r.reported() * bytesPerDevice,
          (long) (r.sampled() - r.dropped()) * bytesPerDevice, r.seconds()));
    }
    return rows;
  }

  /** One federation: {@code privacy} is none, central or local. */
  private Outcome federate(FederationData data, ModelSpec spec, String privacy, int cohort, double q) throws Exception {
    long tw = System.nanoTime();
    String label = privacy.equals("none") ? "federated" : "federated-dp";
    Outcome o = new Outcome();
    o.bytesPerDevice = 4L * spec.parameterCount();
    boolean dp = !privacy.equals("none");
    List<SiloData> devices = data.silos();

    // Features: item statistics over all customers. Without DP the exact pooled ones; under DP one
    // Gaussian release (sensitivity 1 per customer), charged to every budget before training.
    FeatureExtractor features;
    SiloRelease release = null;
    if (dp) {
      List<org.hedgerow.edge.task.CustomerLog> all = new ArrayList<>();
      devices.forEach(s -> all.addAll(s.customers()));
      try (var c = NoiseSource.context(label + "/population-release")) {
        release = SiloRelease.compute(all, data.catalogue().size(), scenario.trainingEndTime(),
            scenario.statsNoiseMultiplier(), scenario.countNoiseMultiplier(), new GaussianNoise());
      }
      features = new FeatureExtractor(release.itemStats());
    } else {
      features = new FeatureExtractor(data.pooledStats());
    }

    FederationConfig base = scenario.federationConfig().withSecureAggregation(null)
        .withPrivacy(CoordinatorOptions.PRIVACY_NONE);
    FederationConfig config = base.withCentralDp(privacy.equals("central") ? new FederationConfig.CentralDp(
        scenario.clipNorm(), scenario.noiseMultiplier(), scenario.epsilonCap(), scenario.delta()) : null);
    CoordinatorBuilder builder = CoordinatorBuilder.of(config).clients(cohort, null);
    PrivacyBudget central = null;
    if (privacy.equals("central")) {
      central = new PrivacyBudget(FederationConfig.CentralDp.HOLDER, scenario.epsilonCap(), scenario.delta());
      release.charge(central);
      builder.poissonSampledCohorts(q, central);
    }
    Strategy strategy;
    try (var c = NoiseSource.context(label + "/coordinator")) {
      strategy = builder.strategy();
    }
    double deviceSigma = Double.NaN;
    Map<Integer, PrivacyBudget> deviceBudgets = new LinkedHashMap<>();
    if (privacy.equals("central")) {
      out.printf(Locale.ROOT, "%s (central, user-level: one device = one customer): coordinator clips each delta to "
          + "%s, noise sigma %.6g x C on the sum over an expected cohort of %d, rounds accounted as sampled Gaussians "
          + "at q = %.6f; cap %s, delta %s; item statistics released once (sigma %s, count sigma %s)%n", label,
          scenario.clipNorm(), builder.centralNoiseMultiplier(), cohort, q, scenario.epsilonCap(), scenario.delta(),
          scenario.statsNoiseMultiplier(), scenario.countNoiseMultiplier());
    } else if (privacy.equals("local")) {
      PrivacyBudget probe = new PrivacyBudget("probe", scenario.epsilonCap(), scenario.delta());
      release.charge(probe);
      deviceSigma = scenario.noiseMultiplier() != null ? scenario.noiseMultiplier()
          : NoiseCalibration.noiseMultiplierFor(scenario.epsilonCap(), scenario.delta(), 1.0, scenario.rounds(),
              new ComposedEvent(probe.events()));
      out.printf(Locale.ROOT, "%s (local: each device clips its delta to %s and adds noise sigma %.6g x C; each "
          + "participation a Gaussian release, q = 1; sigma %s for %d participations; cap %s, delta %s per device)%n",
          label, scenario.clipNorm(), deviceSigma, scenario.noiseMultiplier() == null ? "calibrated" : "given",
          scenario.rounds(), scenario.epsilonCap(), scenario.delta());
    }

    CohortSampler sampler = new CohortSampler(devices.size(), q, dp, scenario.seed());
    o.sampling = sampler.describe();
    float[] global = strategy.initializeParameters(spec, scenario.seed());
    TrainingSetBuilder examples = new TrainingSetBuilder(scenario.targetsPerCustomer(), scenario.examplesPerKind());
    int workers = scenario.workers();
    List<PreferenceModel> networks = new ArrayList<>();
    for (int w = 0; w < workers; w++) {
      networks.add(new PreferenceModel(spec, scenario.seed()));
    }
    List<PreferenceModel> evalModels = new ArrayList<>();
    for (int w = 0; w < workers; w++) {
      evalModels.add(new PreferenceModel(spec, scenario.seed()));
    }
    ExecutorService pool = Executors.newFixedThreadPool(workers);
    double epsilon = Double.NaN;
    try {
      for (int round = 1; round <= scenario.rounds(); round++) {
        long tr = System.nanoTime();
        List<Integer> sampled = sampler.cohort(round);
        int dropped = 0;
        int stragglers = 0;
        int declined = 0;
        List<Integer> training = new ArrayList<>();
        List<Boolean> late = new ArrayList<>();
        for (int i : sampled) {
          double u = new SplittableRandom(scenario.seed() ^ (round * 0x9E3779B97F4A7C15L) ^ (i * 0xC2B2AE3D27D4EB4FL))
              .nextDouble();
          if (u < scenario.dropoutRate()) {
            dropped++;
            continue;
          }
          if (privacy.equals("local")) {
            // The device refuses a round that would take it over its cap, and charges it before anything leaves.
            final SiloRelease r0 = release;
            PrivacyBudget b = deviceBudgets.computeIfAbsent(i, k -> {
              PrivacyBudget nb = new PrivacyBudget(devices.get(k).name(), scenario.epsilonCap(), scenario.delta());
              r0.charge(nb);
              return nb;
            });
            if (b.refusal(round, deviceSigma, 1.0, 1).isPresent()) {
              declined++;
              continue;
            }
            b.spend(round, DEVICE_MECHANISM, deviceSigma, 1.0, 1, scenario.clipNorm());
          }
          boolean straggles = u < scenario.dropoutRate() + scenario.stragglerRate();
          stragglers += straggles ? 1 : 0;
          training.add(i);
          late.add(straggles);
        }
        final float[] start = global;
        final int r = round;
        final double sigma = deviceSigma;
        // Worker w trains devices w, w + W, w + 2W, ... of the list on its own network, in order: which
        // network trained which device is fixed, whatever the threads' timing.
        Trained[] trained = new Trained[training.size()];
        List<Future<?>> futures = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
          final int worker = w;
          futures.add(pool.submit(() -> {
            for (int k = worker; k < trained.length; k += workers) {
              trained[k] = train(devices.get(training.get(k)), r, start, features, examples, networks.get(worker),
                  privacy, sigma);
            }
            return null;
          }));
        }
        for (Future<?> f : futures) {
          f.get();
        }
        List<ClientUpdate> updates = new ArrayList<>();
        double trainSeconds = 0;
        for (int k = 0; k < trained.length; k++) {
          Trained t = trained[k];
          trainSeconds += t.seconds;
          if (t.update != null && !late.get(k)) {
            updates.add(t.update);
          }
        }
        updates.sort(Comparator.comparing(ClientUpdate::clientId)); // aggregation order fixed: reproducible sums
        long ta = System.nanoTime();
        if (!updates.isEmpty()) {
          try (var c = NoiseSource.context(label + "/coordinator")) {
            global = strategy.aggregateFit(round, global, updates);
          }
        }
        o.aggregationSeconds += (System.nanoTime() - ta) / 1e9;
        o.trainingSeconds += trainSeconds;
        double seconds = (System.nanoTime() - tr) / 1e9;
        int reported = updates.size();
        updates = null; // the round's deltas are no longer needed

        long tev = System.nanoTime();
        List<Ranker> rankers = new ArrayList<>();
        for (PreferenceModel m : evalModels) {
          m.setParameters(global);
          rankers.add(new ModelRanker(m, features));
        }
        o.result = evaluate(data, rankers, pool);
        double evalSeconds = (System.nanoTime() - tev) / 1e9;
        o.evaluationSeconds += evalSeconds;
        if (central != null) {
          epsilon = central.epsilon();
        } else if (privacy.equals("local")) {
          epsilon = deviceBudgets.values().stream().mapToDouble(PrivacyBudget::epsilon).max().orElse(0);
        }
        CrossDeviceReport.Round row = new CrossDeviceReport.Round(round, sampled.size(), dropped, stragglers, reported,
            declined, seconds, evalSeconds, PeakMemory.peakRssMb(), PeakMemory.peakHeapMb(),
            o.result.overall().hr10(), epsilon);
        o.rounds.add(row);
        out.printf(Locale.ROOT, "%s round %d: %d sampled, %d dropped, %d stragglers, %d declined, %d reported; "
            + "%.1f s (+ %.1f s evaluation), hr@10 %.4f, peak RSS %d MB%s%n", label, round, row.sampled(), dropped,
            stragglers, declined, reported, seconds, evalSeconds, row.hr10(), row.peakRssMb(),
            Double.isNaN(epsilon) ? "" : String.format(Locale.ROOT, ", epsilon %.4f", epsilon));
      }
    } finally {
      pool.shutdownNow();
    }
    o.wallSeconds = (System.nanoTime() - tw) / 1e9;
    o.modelDigest = ModelDigest.sha256(global);
    if (central != null) {
      o.privacy = new PrivacyReport("central", scenario.delta(), builder.centralNoiseMultiplier(),
          scenario.noiseMultiplier() == null, central.log(), Map.of(Simulation.CENTRAL_HOLDER,
              new PrivacyReport.Holder(central.epsilon(), central.epsilonCap(), central.rounds(), null)), "completed");
      out.printf(Locale.ROOT, "%s: coordinator epsilon %.6f at delta %s (accountant over its log: population release + "
          + "%d sampled-Gaussian rounds at q = %.6f)%n", label, central.epsilon(), scenario.delta(), central.rounds(), q);
    } else if (privacy.equals("local")) {
      o.privacy = localReport(deviceBudgets, deviceSigma);
    }
    return o;
  }

  /** Local DP: every device's log, and one holder line per device that spent anything beyond the release. */
  private PrivacyReport localReport(Map<Integer, PrivacyBudget> budgets, double sigma) {
    List<Spend> all = new ArrayList<>();
    Map<String, PrivacyReport.Holder> holders = new LinkedHashMap<>();
    PrivacyBudget top = null;
    for (PrivacyBudget b : budgets.values()) {
      all.addAll(b.log());
      if (b.epsilon() > b.epsilonCap()) {
        throw new IllegalStateException(b.holder() + " spent epsilon " + b.epsilon() + " over its cap " + b.epsilonCap());
      }
      if (top == null || b.epsilon() > top.epsilon()) {
        top = b;
      }
    }
    double max = top == null ? 0 : top.epsilon();
    if (top != null) {
      holders.put(top.holder() + " (max of " + budgets.size() + " devices)",
          new PrivacyReport.Holder(top.epsilon(), top.epsilonCap(), top.rounds(), null));
    }
    out.printf(Locale.ROOT, "federated-dp (local): %d devices took part; largest device epsilon %.6f at delta %s "
        + "(accountant over each device's log: population release + its participations)%n", budgets.size(), max,
        scenario.delta());
    return new PrivacyReport("local", scenario.delta(), sigma, scenario.noiseMultiplier() == null, all, holders,
        "completed");
  }

  /** A device's round: its delta (null if it had nothing to train on and no DP asks it to report anyway). */
  private record Trained(ClientUpdate update, double seconds) {}

  private Trained train(SiloData device, int round, float[] global, FeatureExtractor features,
      TrainingSetBuilder builder, PreferenceModel model, String privacy, double deviceSigma) {
    long t0 = System.nanoTime();
    boolean dp = !privacy.equals("none");
    try (var c = NoiseSource.context(device.name() + "/round-" + round)) {
      // Built now, dropped when the round ends: no device's examples outlive its round.
      TrainingSet ts = dp ? builder.build(device.customers(), features, CustomerSeeds.secret())
          : builder.build(device.customers(), features, scenario.seed() ^ device.name().hashCode() ^ round);
      float[] delta = new float[global.length];
      if (ts.size() > 0) {
        model.setParameters(global);
        model.resetOptimizerAndStepCount();
        model.fit(ts, scenario.localEpochs(), scenario.batchSize(),
            scenario.seed() ^ device.name().hashCode() ^ (31L * round));
        float[] local = model.parameters();
        for (int i = 0; i < delta.length; i++) {
          delta[i] = local[i] - global[i];
        }
      } else if (!dp) {
        return new Trained(null, (System.nanoTime() - t0) / 1e9);
      }
      if (privacy.equals("local")) {
        // Under local DP the device itself bounds and noises what it sends; it reports even with no data,
        // so that whether it has any does not show.
        double[] d = new double[delta.length];
        for (int i = 0; i < d.length; i++) {
          d[i] = delta[i];
        }
        double[] noisy = new GaussianNoise().addNoise(L2Clipping.clip(d, scenario.clipNorm()),
            deviceSigma * scenario.clipNorm());
        for (int i = 0; i < delta.length; i++) {
          delta[i] = (float) noisy[i];
        }
      }
      // FedAvg weights by examples without DP; under DP every device weighs the same (a count is data).
      long weight = dp ? 1 : Math.max(1, ts.size());
      return new Trained(new ClientUpdate(device.name(), weight, delta), (System.nanoTime() - t0) / 1e9);
    }
  }

  /** Metrics over every device's test baskets; no per-device table (thousands of one-customer rows). */
  private static MethodResult evaluate(FederationData data, List<Ranker> rankers) throws Exception {
    return evaluate(data, rankers, null);
  }

  /**
   * Evaluates with one ranker per worker (each over its own network) on contiguous slices of the
   * devices, then adds the per-device sums in device order so the figures do not depend on threads.
   */
  private static MethodResult evaluate(FederationData data, List<Ranker> rankers, ExecutorService pool)
      throws Exception {
    List<SiloData> devices = data.silos();
    MetricSums[] sums = new MetricSums[devices.size()];
    int parts = rankers.size();
    List<Future<?>> jobs = new ArrayList<>();
    for (int p = 0; p < parts; p++) {
      int from = (int) ((long) devices.size() * p / parts);
      int to = (int) ((long) devices.size() * (p + 1) / parts);
      Ranker ranker = rankers.get(p);
      Runnable job = () -> {
        for (int i = from; i < to; i++) {
          sums[i] = Evaluator.evaluate(devices.get(i), ranker);
        }
      };
      if (pool == null) {
        job.run();
      } else {
        jobs.add(pool.submit(job));
      }
    }
    for (Future<?> f : jobs) {
      f.get();
    }
    MetricSums all = new MetricSums();
    for (MetricSums s : sums) {
      all.add(s);
    }
    return new MethodResult(all.metrics(), Map.of());
  }
}
