package org.hedgerow.cli;

import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.hedgerow.simulations.partition.Partitioner;
import org.hedgerow.edge.task.Holdout;
import org.hedgerow.simulations.FederationData;
import org.hedgerow.simulations.RemoteCoordinator;
import org.hedgerow.simulations.Reports;
import org.hedgerow.simulations.Scenario;
import org.hedgerow.simulations.Simulation;
import org.hedgerow.simulations.SimulationResult;
import org.hedgerow.cluster.ClusterAddress;
import org.hedgerow.cluster.ClusterFederation;
import org.hedgerow.cluster.ClusterNode;
import org.hedgerow.cluster.ClusterOptions;
import org.hedgerow.simulations.continual.ContinualReports;
import org.hedgerow.simulations.continual.ContinualRun;
import org.hedgerow.simulations.continual.DriftReport;
import org.hedgerow.simulations.continual.MonthlyWindows;
import org.hedgerow.simulations.continual.PopulationStability;
import org.hedgerow.simulations.continual.ProductWords;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code hedgerow simulate}: a federation from a scenario file, over HTTP on 127.0.0.1; or, with
 * {@code --coordinator}, the scenario's silos against a coordinator that is already running.
 */
@Command(name = "simulate", mixinStandardHelpOptions = true,
    description = {"Run a simulated federation described by a scenario file (coordinator and clients over HTTP on "
        + "127.0.0.1).",
        "With --coordinator: run only the scenario's silos, against a coordinator already running "
        + "('hedgerow coordinator start'); over https:// each silo is first enrolled with the operator token "
        + "(credentials in OUT/credentials/<silo>/) and then uses mutual TLS."})
public class SimulateCommand implements Callable<Integer> {
  @Option(names = "--scenario", description = "Scenario JSON; keys not given take the bundled default (default: the "
      + "bundled scenario; with --coordinator use the file the coordinator was started with).")
  Path scenarioFile;

  @Option(names = "--coordinator", description = "URL of a running coordinator, e.g. https://127.0.0.1:8443. "
      + "http:// means a development coordinator with open registration (started without --dir).")
  URI coordinator;

  @Option(names = "--trust", description = "With an https:// --coordinator: the federation CA (its STATE/ca.pem).")
  Path trust;

  @Option(names = "--operator-token-file", description = "With an https:// --coordinator: its STATE/operator.token, "
      + "used to issue the silos' enrolment tokens and to follow the rounds.")
  Path operatorTokenFile;

  @Option(names = "--baselines", description = "With --coordinator: also train the centralized and local-only "
      + "baselines in this process (popularity and repeat are always reported).")
  boolean baselines;

  @Option(names = "--out", required = true, description = "Directory for summary.json, rounds.csv and the plot.")
  Path out;

  @Option(names = "--cluster", description = "Train the silos on cluster workers ('hedgerow worker'): members to "
      + "join, HOST:PORT[,HOST:PORT...]. Regional sub-coordinators sum their silos' updates before the coordinator "
      + "(docs/cluster.md). Non-private, without secure aggregation.")
  String cluster;

  @Option(names = "--cluster-host", defaultValue = "127.0.0.1", description = "With --cluster: this process's address "
      + "in the cluster (default ${DEFAULT-VALUE}).")
  String clusterHost;

  @Option(names = "--cluster-port", description = "With --cluster: this process's Hazelcast port (default: a free one).")
  Integer clusterPort;

  @Option(names = "--bus-port", defaultValue = "0", description = "With --cluster: this process's event-bus port "
      + "(default 0: any free port).")
  int busPort;

  @Option(names = "--cluster-workers", description = "With --cluster: workers to wait for (default: one per "
      + "--cluster address).")
  Integer clusterWorkers;

  @Option(names = "--regions", defaultValue = "1", description = "With --cluster: regional sub-coordinators, each "
      + "led by a worker (default ${DEFAULT-VALUE}).")
  int regions;

  @Option(names = "--continual", description = "'monthly': a lifelong federation on a growing window, warm-started "
      + "month by month; writes continual.csv (stale against refreshed hr@10/ndcg@10 per month), drift.csv (per-silo "
      + "population stability index) and their plots instead of the usual outputs.")
  String continual;

  @Option(names = "--continual-rounds", defaultValue = "2", description = "With --continual: federated rounds per "
      + "monthly refresh (the first model gets the scenario's rounds; default: ${DEFAULT-VALUE}).")
  int continualRounds;

  @Mixin RunOptions overrides;

  @Mixin CrossDeviceOptions crossDevice;

  @Mixin LogFormatOptions format;

  /** Written into {@code --out} of a run that used deterministic noise, beside its ledger. */
  static final String DETERMINISTIC_NOISE_NOTE = "DETERMINISTIC-NOISE.txt";

  /** Subdirectory of {@code --out} holding each enrolled silo's key, certificate and CA. */
  static final String CREDENTIALS = "credentials";

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (cluster != null) {
      return callClustered();
    }
    if (clusterPort != null || clusterWorkers != null || regions != 1 || busPort != 0) {
      throw new ParameterException(spec.commandLine(), "--cluster-port, --bus-port, --cluster-workers and --regions "
          + "only apply with --cluster");
    }
    if (coordinator == null) {
      for (Object[] o : new Object[][] {{"--trust", trust}, {"--operator-token-file", operatorTokenFile}}) {
        if (o[1] != null) {
          throw new ParameterException(spec.commandLine(), o[0] + " only applies with --coordinator. Provided value: "
              + o[1]);
        }
      }
      if (baselines) {
        throw new ParameterException(spec.commandLine(), "--baselines only applies with --coordinator (an in-process "
            + "run always trains them)");
      }
      Scenario base = scenarioFile == null ? Scenario.bundledDefault() : Scenario.load(scenarioFile);
      Scenario s = base.with(crossDevice.addTo(overrides.asJson()), "command line");
      if (continual != null) {
        if (!continual.equals(ContinualRun.MONTHLY)) {
          throw new ParameterException(spec.commandLine(), "--continual must be '" + ContinualRun.MONTHLY
              + "'. Provided value: " + continual);
        }
        return runContinual(s, out, format.logFormat(), continualRounds);
      }
      return run(s, out, format.logFormat());
    }
    if (continual != null) {
      throw new ParameterException(spec.commandLine(), "--continual runs its own federations in process; it does not "
          + "combine with --coordinator");
    }
    RemoteCoordinator remote;
    try {
      remote = RemoteCoordinator.of(coordinator, trust, operatorTokenFile);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    Scenario s = scenarioFile == null ? Scenario.bundledDefault() : Scenario.load(scenarioFile);
    return runRemote(s.with(crossDevice.addTo(overrides.asJson()), "command line"), remote, out, baselines,
        format.logFormat());
  }

  private int callClustered() throws Exception {
    if (coordinator != null) {
      throw new ParameterException(spec.commandLine(), "--cluster and --coordinator exclude each other: a clustered "
          + "run starts its own coordinator");
    }
    if (scenarioFile == null) {
      throw new ParameterException(spec.commandLine(), "Missing required option: '--scenario'");
    }
    if (continual != null) {
      throw new ParameterException(spec.commandLine(), "--continual runs its own federations in process; it does not "
          + "combine with --cluster");
    }
    ClusterOptions options;
    int expected;
    try {
      var join = ClusterAddress.parseList(cluster);
      if (join.isEmpty()) {
        throw new IllegalArgumentException("--cluster names no member. Provided value: " + cluster);
      }
      options = new ClusterOptions(new ClusterAddress(clusterHost, clusterPort != null ? clusterPort : freePort()),
          busPort, join);
      expected = clusterWorkers != null ? clusterWorkers : join.size();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    Scenario s = Scenario.load(scenarioFile).with(crossDevice.addTo(overrides.asJson()), "command line");
    if (s.crossDevice()) {
      throw new ParameterException(spec.commandLine(), "--cluster trains regional silos; cross-device mode (partition "
          + "per-customer with --clients-per-round) runs in one process only");
    }
    return runClustered(s, options, expected, regions, out, format.logFormat());
  }

  /** How long a clustered run waits for its workers to answer. */
  static final java.time.Duration ROLL_CALL_TIMEOUT = java.time.Duration.ofMinutes(2);

  /**
   * Scenario {@code s} with its silos trained by {@code workers} cluster workers in {@code regions}
   * regions; outputs in {@code out}, with a {@code "cluster"} section in summary.json.
   */
  static int runClustered(Scenario s, ClusterOptions options, int workers, int regions, Path out,
      org.hedgerow.edge.data.LogFormat logFormat) throws Exception {
    ClusterFleet.check(s, regions);
    WorkerCommand.quietCpSubsystemWarning();
    FederationData fd = load(s, logFormat);
    io.vertx.core.Vertx vertx = ClusterNode.join(options);
    try {
      var found = ClusterFederation.rollCall(vertx, workers, ROLL_CALL_TIMEOUT);
      ClusterFederation federation = new ClusterFederation(vertx, found, regions);
      System.out.printf("cluster: %d workers %s, %d regions; this process is %s%n", found.size(), found, regions,
          options.self());
      SimulationResult r = new Simulation(s, System.out).withProductWords(productWords(s, logFormat, fd))
          .withFleet(new ClusterFleet(federation, fd.catalogue().size(), s.coPurchase(),
              s.secureAggregation().enabled() ? s.secureAggregation().clipOrDefault() : null)).run(fd);
      int code = write(r, out);
      addClusterSection(out.resolve(Reports.SUMMARY), federation.describe().encode());
      return code;
    } finally {
      vertx.close().await(30, java.util.concurrent.TimeUnit.SECONDS);
    }
  }

  /** Records in summary.json which workers and regions trained the silos. */
  private static void addClusterSection(Path summary, String clusterJson) throws java.io.IOException {
    com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
    var root = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(summary.toFile());
    root.set("cluster", json.readTree(clusterJson));
    json.writerWithDefaultPrettyPrinter().writeValue(summary.toFile(), root);
  }

  /** A port free on this machine now, for a member that others need not know in advance. */
  static int freePort() throws java.io.IOException {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** The silos of scenario {@code s} against {@code remote}; outputs in {@code out}. */
  static int runRemote(Scenario s, RemoteCoordinator remote, Path out, boolean baselines) throws Exception {
    return runRemote(s, remote, out, baselines, org.hedgerow.edge.data.LogFormat.retail());
  }

  static int runRemote(Scenario s, RemoteCoordinator remote, Path out, boolean baselines,
      org.hedgerow.edge.data.LogFormat logFormat) throws Exception {
    FederationData fd = load(s, logFormat);
    SimulationResult r = new Simulation(s, System.out).remote(fd, remote, out.resolve(CREDENTIALS), baselines);
    return write(r, out);
  }

  static int run(Scenario s, Path out) throws Exception {
    return run(s, out, org.hedgerow.edge.data.LogFormat.retail());
  }

  static int run(Scenario s, Path out, org.hedgerow.edge.data.LogFormat logFormat) throws Exception {
    // Loading the log takes one core for seconds; the ML backend starts on the other meanwhile.
    org.hedgerow.edge.model.BackendWarmUp.start(s.modelSpec());
    FederationData fd = load(s, logFormat);
    SimulationResult r = new Simulation(s, System.out).withProductWords(productWords(s, logFormat, fd)).run(fd);
    return write(r, out);
  }

  /** {@code --continual monthly}: the lifelong run and the drift report (ContinualRun, DriftReport). */
  static int runContinual(Scenario s, Path out, org.hedgerow.edge.data.LogFormat logFormat, int refreshRounds)
      throws Exception {
    Path data = Home.resolve(s.data());
    System.out.printf("scenario %s: %s, partition %s, continual monthly, seed %d%n", s.name(), data, s.partition(),
        s.seed());
    var log = logFormat.load(data);
    MonthlyWindows windows = MonthlyWindows.of(log.lines(), log.report(),
        Partitioner.parse(s.partition(), s.ukShops(), s.seed()), declaredCatalogue(s));
    // Descriptions stand in for categories; an event log has none (its word PSI is then empty).
    ProductWords words = logFormat instanceof org.hedgerow.edge.data.RetailLogLoader ? ProductWords.load(data)
        : ProductWords.none();
    List<DriftReport.Row> drift = DriftReport.compute(windows, words);
    List<ContinualRun.Month> months = ContinualRun.run(s, windows, refreshRounds, System.out);
    ContinualReports.write(months, drift, out);
    long better = months.stream().filter(m -> m.refreshedHr10() > m.staleHr10()).count();
    long worse = months.stream().filter(m -> m.refreshedHr10() < m.staleHr10()).count();
    System.out.printf(java.util.Locale.ROOT, "continual: refreshed above stale on hr@10 in %d of %d months, below in %d; "
        + "mean hr@10 stale %.4f refreshed %.4f, mean ndcg@10 stale %.4f refreshed %.4f%n", better, months.size(), worse,
        months.stream().mapToDouble(ContinualRun.Month::staleHr10).average().orElse(Double.NaN),
        months.stream().mapToDouble(ContinualRun.Month::refreshedHr10).average().orElse(Double.NaN),
        months.stream().mapToDouble(ContinualRun.Month::staleNdcg10).average().orElse(Double.NaN),
        months.stream().mapToDouble(ContinualRun.Month::refreshedNdcg10).average().orElse(Double.NaN));
    long moved = drift.stream().filter(DriftReport.Row::moved).count();
    System.out.printf("drift: %d of %d silo-months moved (PSI > %s and > 2 x its sampling floor)%n", moved,
        drift.size(), PopulationStability.MOVED_THRESHOLD);
    System.out.println("wrote " + out.resolve(ContinualReports.CONTINUAL) + ", " + out.resolve(ContinualReports.DRIFT)
        + ", " + out.resolve(ContinualReports.CONTINUAL_PLOT) + ", " + out.resolve(ContinualReports.DRIFT_PLOT));
    return 0;
  }

  static FederationData load(Scenario s, org.hedgerow.edge.data.LogFormat logFormat) throws Exception {
    Holdout holdout = Holdout.parse(s.holdout());
    Partitioner partitioner = Partitioner.parse(s.partition(), s.ukShops(), s.seed());
    Path data = Home.resolve(s.data());
    System.out.printf("scenario %s: %s, partition %s, holdout %s, %d rounds, seed %d%n", s.name(), data,
        s.partition(), holdout, s.rounds(), s.seed());
    long t0 = System.nanoTime();
    var log = logFormat.load(data); // --format events reads any event log; the retail format is the default
    FederationData fd = FederationData.of(log.lines(), log.report(), partitioner, holdout, declaredCatalogue(s));
    System.out.printf("loaded in %.1f s: %s%n", (System.nanoTime() - t0) / 1e9, fd.report());
    return fd;
  }

  /**
   * The catalogue's description words (federated-explore's new-product order): the declared catalogue's
   * descriptions when it carries them, else a retail log's Description column (a product attribute
   * rather than a customer's); an event log has none.
   */
  static List<List<String>> productWords(Scenario s, org.hedgerow.edge.data.LogFormat logFormat, FederationData fd) {
    if (fd.catalogue().hasDescriptions()) {
      return fd.catalogue().descriptionWords();
    }
    if (!(logFormat instanceof org.hedgerow.edge.data.RetailLogLoader)) {
      return List.of();
    }
    return ProductWords.load(Home.resolve(s.data())).byIndex(fd.catalogue());
  }

  /** The scenario's declared catalogue, or null when it declares none. */
  static org.hedgerow.edge.task.Catalogue declaredCatalogue(Scenario s) {
    return s.catalogue() == null ? null : org.hedgerow.edge.task.Catalogue.load(Home.resolve(s.catalogue()));
  }

  private static int write(SimulationResult r, Path out) throws Exception {
    Reports.write(r, out);
    Reports.printTable(r, System.out);
    if (r.scenario().deterministicNoise() != null) {
      // The ledger's entries are signed as they were made and cannot carry the mark: it goes beside them.
      java.nio.file.Files.writeString(out.resolve(DETERMINISTIC_NOISE_NOTE), org.hedgerow.privacy.noise.NoiseSource.WARNING
          + ": every DP noise source, sampler and rounder of this run drew from streams derived from seed "
          + r.scenario().deterministicNoise() + ". Its summary, ledger, privacy.csv and audit report describe noise that "
          + "anyone with the seed can remove.\n");
    }
    System.out.println("wrote " + out.resolve(Reports.SUMMARY) + ", " + out.resolve(Reports.ROUNDS) + ", "
        + out.resolve(Reports.PLOT) + (r.privacy() == null ? ""
            : ", " + out.resolve(Reports.PRIVACY) + ", " + out.resolve(Reports.DP_ROUNDS)));
    if (r.privacy() != null && r.privacy().ledger() != null) {
      // The compliance view of the same run: the ledger checked as an auditor would, written beside it.
      org.hedgerow.cli.audit.AuditReport report = org.hedgerow.cli.audit.AuditReportWriter.write(
          org.hedgerow.cli.audit.LedgerEvidence.of(out.resolve(Reports.LEDGER), out.resolve(Reports.LEDGER_KEY), null),
          out, r.scenario().deterministicNoise() == null ? null : org.hedgerow.privacy.noise.NoiseSource.WARNING);
      System.out.printf("wrote %s and %s (%s; ledger %s, %s, head %s)%n",
          out.resolve(org.hedgerow.cli.audit.AuditReportWriter.HTML_FILE),
          out.resolve(org.hedgerow.cli.audit.AuditReportWriter.JSON_FILE), report.intact() ? "intact" : "CHECK FAILED",
          out.resolve(Reports.LEDGER), out.resolve(Reports.LEDGER_KEY), report.head());
      if (!report.intact()) {
        throw new IllegalStateException("the run's own ledger does not verify: " + report.verification().findings());
      }
    }
    return 0;
  }
}
