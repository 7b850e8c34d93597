package org.hedgerow.benchmarks.load;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.hedgerow.aggregation.model.ModelSpec;
import org.hedgerow.aggregation.wire.ParameterCodec;

/**
 * Upload load benchmark: N concurrent simulated clients each PUT one 1 MiB update (262,144 float32
 * parameters, ParameterCodec encoding) over loopback, against several targets in the same JVM and
 * run. Waves of the targets are interleaved (bare, coordinator, ..., bare, coordinator, ...) so that
 * drift in the shared machine's load hits them alike. Targets: {@code bare} and {@code bare-tls}
 * ({@link BareTarget}), {@code coordinator} (service mode, TLS off), {@code coordinator-tls} (service
 * mode, mutual TLS, one certificate per silo) and {@code coordinator-open} (open registration), see
 * {@link CoordinatorTarget}. The coordinator targets send each upload with its own upload id, as real
 * clients do; {@code coordinator-noid}, {@code coordinator-tls-noid} and {@code coordinator-open-noid}
 * send none (the bench before session 8), and {@code --no-upload-id} makes the plain names send none
 * too. With both variants of a target in one run the summary also gives with-id ÷ without-id.
 * {@code --alternate-order} runs the targets in reverse order in every other rep (warm-ups included), so
 * that no target always runs right after the same other one.
 *
 * <pre>
 * bin/loadbench [--clients 100,1000] [--reps 3 | 5,2] [--warmup 1 | 1,0] [--targets bare,coordinator,bare-tls,coordinator-tls,bare-durable,coordinator-noid]
 *               [--max-connections 1000] [--dim 262144] [--no-upload-id] [--alternate-order]
 * </pre>
 */
public final class LoadBench {
  private LoadBench() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> a = parse(args);
    int[] clientCounts = Arrays.stream(a.getOrDefault("clients", "100,1000").split(",")).mapToInt(Integer::parseInt).toArray();
    // One value for every N, or one per N (e.g. --reps 5,2 --warmup 1,0: later N are warmed up by earlier ones).
    int[] repsPerN = perN(a.getOrDefault("reps", "3"), clientCounts.length, "reps");
    int[] warmupPerN = perN(a.getOrDefault("warmup", "1"), clientCounts.length, "warmup");
    int maxConnections = Integer.parseInt(a.getOrDefault("max-connections", "1000"));
    int dim = Integer.parseInt(a.getOrDefault("dim", "262144"));
    List<String> targetNames = List.of(a.getOrDefault("targets", "bare,coordinator,bare-tls,coordinator-tls").split(","));
    boolean uploadIds = !a.containsKey("no-upload-id");
    boolean alternate = a.containsKey("alternate-order");

    // 1023 inputs → 256 outputs: 1023·256 + 256 = 262,144 parameters = 1 MiB of float32.
    int outputs = 256;
    if (dim % outputs != 0 || dim / outputs < 2) {
      throw new IllegalArgumentException("--dim must be a multiple of 256 and >= 512. Provided value: " + dim);
    }
    ModelSpec spec = new ModelSpec("loadbench", List.of(dim / outputs - 1, outputs), "relu", "sigmoid", 0,
        "binary-cross-entropy", 1e-3);
    float[] delta = new float[spec.parameterCount()];
    java.util.Random r = new java.util.Random(1);
    for (int i = 0; i < delta.length; i++) {
      delta[i] = (float) (r.nextGaussian() * 1e-3);
    }
    byte[] bytes = ParameterCodec.encode(delta);
    Buffer body = Buffer.buffer(bytes);

    List<LoadTarget> targets = new ArrayList<>();
    for (String t : targetNames) {
      targets.add(switch (t.trim()) {
        case "bare" -> new BareTarget(null);
        case "bare-tls" -> new BareTarget(SelfSignedKeyStore.create());
        case "bare-durable" -> new BareDurableTarget();
        case "coordinator" -> new CoordinatorTarget(spec, CoordinatorTarget.Mode.SERVICE, uploadIds);
        case "coordinator-tls" -> new CoordinatorTarget(spec, CoordinatorTarget.Mode.SERVICE_TLS, uploadIds);
        case "coordinator-open" -> new CoordinatorTarget(spec, CoordinatorTarget.Mode.OPEN, uploadIds);
        case "coordinator-noid" -> new CoordinatorTarget(spec, CoordinatorTarget.Mode.SERVICE, false);
        case "coordinator-tls-noid" -> new CoordinatorTarget(spec, CoordinatorTarget.Mode.SERVICE_TLS, false);
        case "coordinator-open-noid" -> new CoordinatorTarget(spec, CoordinatorTarget.Mode.OPEN, false);
        default -> throw new IllegalArgumentException("unknown target '" + t + "'; known: bare, bare-tls, coordinator, "
            + "coordinator-tls, coordinator-open, bare-durable, coordinator-noid, coordinator-tls-noid, coordinator-open-noid");
      });
    }
    if (targets.stream().map(LoadTarget::name).distinct().count() != targets.size()) {
      throw new IllegalArgumentException("a target is named twice (with --no-upload-id, 'coordinator' is 'coordinator-noid'). "
          + "Provided value: --targets " + String.join(",", targetNames) + (uploadIds ? "" : " --no-upload-id"));
    }

    // One event loop each: the server side and the driver each get (at most) one of the two cores.
    Vertx serverVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(2));
    Vertx clientVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(2));
    LoadDriver driver = new LoadDriver(clientVertx, threadOf(serverVertx), threadOf(clientVertx), maxConnections);
    System.out.printf(Locale.ROOT, "# loadbench: body %d bytes (%d float32), clients %s, reps %s (+%s warm-up), max connections %d, "
            + "targets %s%s, JVM %s, %d CPUs, max heap %d MiB%n", bytes.length, delta.length, Arrays.toString(clientCounts), Arrays.toString(repsPerN), Arrays.toString(warmupPerN),
        maxConnections, targets.stream().map(LoadTarget::name).toList(), alternate ? " (reversed every other rep)" : "", System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().maxMemory() >> 20);
    System.out.println("target\tclients\trep\twall_s\tuploads_per_s\tMiB_per_s\tp50_ms\tp99_ms\tmax_ms\ttail_ms\tserver_cpu_s\tdriver_cpu_s\tprocess_cpu_s\tstore_writer_cpu_s\tworker_cpu_s\tgc_jit_vm_cpu_s");
    Map<String, List<WaveResult>> all = new LinkedHashMap<>();
    for (int c = 0; c < clientCounts.length; c++) {
      int n = clientCounts[c];
      int reps = repsPerN[c];
      int warmup = warmupPerN[c];
      System.out.println("# /proc/loadavg before N=" + n + ": " + loadAverage());
      for (int rep = -warmup; rep < reps; rep++) {
        List<LoadTarget> order = targets;
        if (alternate && Math.floorMod(rep, 2) == 1) {
          order = new ArrayList<>(targets);
          java.util.Collections.reverse(order);
        }
        for (LoadTarget t : order) {
          WaveResult w;
          try {
            w = runWave(t, serverVertx, driver, n, bytes, body);
          } catch (Exception e) {
            System.out.printf(Locale.ROOT, "%s\t%d\t%s\tFAILED: %s%n", t.name(), n, rep < 0 ? "warmup" : Integer.toString(rep + 1), e);
            continue;
          }
          System.out.printf(Locale.ROOT, "%s\t%d\t%s\t%.3f\t%.1f\t%.1f\t%.1f\t%.1f\t%.1f\t%.1f\t%.2f\t%.2f\t%.2f\t%.2f\t%.2f\t%.2f%n", t.name(), n,
              rep < 0 ? "warmup" : Integer.toString(rep + 1), w.wallSeconds(), w.uploadsPerSecond(), w.mebibytesPerSecond(),
              w.percentileMillis(50), w.percentileMillis(99), w.percentileMillis(100), w.tailMillis(), w.serverCpuSeconds(),
              w.clientCpuSeconds(), w.processCpuSeconds(), w.storeWriterCpuSeconds(), w.workerCpuSeconds(), w.vmCpuSeconds());
          if (rep >= 0) {
            all.computeIfAbsent(t.name() + "\t" + n, k -> new ArrayList<>()).add(w);
          }
          System.gc(); // don't bill one wave's garbage to the next
        }
      }
    }
    System.out.println("# /proc/loadavg at the end: " + loadAverage());
    summary(all);
    clientVertx.close().await(30, TimeUnit.SECONDS);
    serverVertx.close().await(30, TimeUnit.SECONDS);
  }

  private static WaveResult runWave(LoadTarget t, Vertx serverVertx, LoadDriver driver, int n, byte[] bytes, Buffer body)
      throws Exception {
    int port = t.start(serverVertx, n, bytes);
    try {
      HttpClient setup = driver.client(t.tls(), n);
      List<Upload> uploads = t.prepare(setup, port, n);
      setup.close().await(30, TimeUnit.SECONDS);
      System.gc(); // nor the untimed set-up's (enrolment, joins) to the timed wave
      List<HttpClient> clients = driver.clientsFor(t.tls(), uploads);
      WaveResult w = driver.wave(t.name(), clients, port, uploads, body);
      t.verify(n);
      for (HttpClient c : clients) {
        c.close().await(30, TimeUnit.SECONDS);
      }
      return w;
    } finally {
      t.stop();
    }
  }

  /**
   * Per target and N: median uploads/s with min..max and mean ± sd over the measured reps, and the
   * ratio to its baseline ("bare" for plain targets, "bare-tls" for coordinator-tls and
   * coordinator-tls-noid), both as the ratio of medians and as the median (min..max) of the per-rep
   * ratios. Waves of one rep ran back to back, so a per-rep ratio compares waves that saw nearly the
   * same machine load. Then, for each target run both with and without upload ids, the same two
   * ratios of the with-id target to its "-noid" twin.
   */
  private static void summary(Map<String, List<WaveResult>> all) {
    System.out.println();
    System.out.println("# summary over measured reps: median (min..max), mean ± sd; latencies pooled over reps; "
        + "ratio = median/median of baseline, paired = median (min..max) of per-rep ratios");
    System.out.println("target\tclients\treps\tuploads_per_s_median\tmin..max\tmean ± sd\tp50_ms\tp99_ms\ttail_ms_median"
        + "\tserver_cpu_per_upload_ms\tdriver_cpu_per_upload_ms\tprocess_cpu_per_upload_ms\tstore_writer_cpu_per_upload_ms\tworker_cpu_per_upload_ms\tgc_jit_vm_cpu_per_upload_ms\tbaseline\tratio\tpaired_ratio");
    for (Map.Entry<String, List<WaveResult>> e : all.entrySet()) {
      List<WaveResult> ws = e.getValue();
      String[] key = e.getKey().split("\t");
      double[] ups = ws.stream().mapToDouble(WaveResult::uploadsPerSecond).toArray();
      double[] lat = WaveResult.sorted(ws.stream().flatMapToDouble(w -> Arrays.stream(w.latenciesMillis())).toArray());
      long uploads = ws.stream().mapToLong(WaveResult::clients).sum();
      double serverCpu = ws.stream().mapToDouble(WaveResult::serverCpuSeconds).sum() * 1000 / uploads;
      double driverCpu = ws.stream().mapToDouble(WaveResult::clientCpuSeconds).sum() * 1000 / uploads;
      double processCpu = ws.stream().mapToDouble(WaveResult::processCpuSeconds).sum() * 1000 / uploads;
      double writerCpu = ws.stream().mapToDouble(WaveResult::storeWriterCpuSeconds).sum() * 1000 / uploads;
      double workerCpu = ws.stream().mapToDouble(WaveResult::workerCpuSeconds).sum() * 1000 / uploads;
      double vmCpu = ws.stream().mapToDouble(WaveResult::vmCpuSeconds).sum() * 1000 / uploads;
      String baseline = key[0].startsWith("coordinator-tls") ? "bare-tls" : "bare";
      List<WaveResult> base = key[0].equals("bare") ? null : all.get(baseline + "\t" + key[1]);
      String[] r = base == null ? new String[] {"-", "-"} : ratios(ws, base);
      System.out.printf(Locale.ROOT, "%s\t%s\t%d\t%.1f\t%.1f..%.1f\t%.1f ± %.1f\t%.1f\t%.1f\t%.1f\t%.2f\t%.2f\t%.2f\t%.2f\t%.2f\t%.2f\t%s\t%s\t%s%n",
          key[0], key[1], ws.size(), median(ups), min(ups), max(ups), mean(ups), sd(ups), WaveResult.percentile(lat, 50),
          WaveResult.percentile(lat, 99), median(ws.stream().mapToDouble(WaveResult::tailMillis).toArray()), serverCpu, driverCpu, processCpu, writerCpu, workerCpu, vmCpu, base == null ? "-" : baseline, r[0], r[1]);
    }
    boolean header = false;
    for (Map.Entry<String, List<WaveResult>> e : all.entrySet()) {
      String[] key = e.getKey().split("\t");
      if (!key[0].endsWith("-noid") || !all.containsKey(key[0].substring(0, key[0].length() - 5) + "\t" + key[1])) {
        continue;
      }
      if (!header) {
        System.out.println();
        System.out.println("# with upload ids ÷ without, same run: ratio of medians, paired = median (min..max) of per-rep ratios");
        System.out.println("target\tclients\tratio\tpaired_ratio");
        header = true;
      }
      String withId = key[0].substring(0, key[0].length() - 5);
      String[] r = ratios(all.get(withId + "\t" + key[1]), e.getValue());
      System.out.printf(Locale.ROOT, "%s / %s\t%s\t%s\t%s%n", withId, key[0], key[1], r[0], r[1]);
    }
  }

  /** Median of {@code ws}'s uploads/s ÷ median of {@code base}'s, and the median (min..max) of the per-rep ratios. */
  private static String[] ratios(List<WaveResult> ws, List<WaveResult> base) {
    double[] ups = ws.stream().mapToDouble(WaveResult::uploadsPerSecond).toArray();
    double[] b = base.stream().mapToDouble(WaveResult::uploadsPerSecond).toArray();
    int m = Math.min(b.length, ups.length);
    double[] per = new double[m];
    for (int i = 0; i < m; i++) {
      per[i] = ups[i] / b[i];
    }
    return new String[] {String.format(Locale.ROOT, "%.3f", median(ups) / median(b)),
        String.format(Locale.ROOT, "%.3f (%.3f..%.3f)", median(per), min(per), max(per))};
  }

  private static double median(double[] v) {
    double[] s = WaveResult.sorted(v);
    int n = s.length;
    return n == 0 ? Double.NaN : n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }

  /** The 1-, 5- and 15-minute load averages, for the record (the machine is shared). */
  static String loadAverage() {
    try {
      return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).strip();
    } catch (java.io.IOException e) {
      return "unavailable (" + e.getMessage() + ")";
    }
  }

  static long threadOf(Vertx vertx) throws Exception {
    CompletableFuture<Long> id = new CompletableFuture<>();
    vertx.runOnContext(v -> id.complete(Thread.currentThread().getId()));
    return id.get(10, TimeUnit.SECONDS);
  }

  private static double mean(double[] v) {
    return Arrays.stream(v).average().orElse(Double.NaN);
  }

  private static double sd(double[] v) {
    if (v.length < 2) {
      return 0;
    }
    double m = mean(v);
    return Math.sqrt(Arrays.stream(v).map(x -> (x - m) * (x - m)).sum() / (v.length - 1));
  }

  private static double min(double[] v) {
    return Arrays.stream(v).min().orElse(Double.NaN);
  }

  private static double max(double[] v) {
    return Arrays.stream(v).max().orElse(Double.NaN);
  }

  private static int[] perN(String spec, int counts, String what) {
    int[] v = Arrays.stream(spec.split(",")).mapToInt(x -> Integer.parseInt(x.trim())).toArray();
    if (v.length == 1) {
      int[] all = new int[counts];
      Arrays.fill(all, v[0]);
      return all;
    }
    if (v.length != counts) {
      throw new IllegalArgumentException("--" + what + " needs one value or one per --clients entry (" + counts
          + "). Provided value: " + spec);
    }
    return v;
  }

  private static Map<String, String> parse(String[] args) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--no-upload-id") || args[i].equals("--alternate-order")) { // flags, no value
        m.put(args[i].substring(2), "true");
        continue;
      }
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("expected --name value pairs. Provided value: " + String.join(" ", args));
      }
      m.put(args[i].substring(2), args[++i]);
    }
    return m;
  }
}
