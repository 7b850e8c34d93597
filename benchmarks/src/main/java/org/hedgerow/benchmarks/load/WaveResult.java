package org.hedgerow.benchmarks.load;

import java.util.Arrays;

/**
 * One timed wave: {@code clients} concurrent uploads of {@code bodyBytes} each.
 *
 * @param latenciesMillis per upload, from sending the request to the end of the response, sorted
 * @param wallSeconds first request sent to last response received
 * @param serverCpuSeconds CPU time of the server's event-loop thread during the wave
 * @param clientCpuSeconds CPU time of the driver's event-loop thread during the wave
 * @param processCpuSeconds CPU time of the whole JVM during the wave (includes GC and JIT)
 * @param storeWriterCpuSeconds CPU time of the coordinator store's threads (SQLite writer, body appends) during the wave
 * @param workerCpuSeconds CPU time of Vert.x worker threads during the wave: in practice the server's (the
 *     coordinator's upload-id hashes and body reads ahead); the driver runs nothing on its workers
 * @param vmCpuSeconds process CPU that no Java thread accounts for: GC, JIT and other VM threads
 */
public record WaveResult(String target, int clients, long bodyBytes, double[] latenciesMillis, double wallSeconds,
    double serverCpuSeconds, double clientCpuSeconds, double processCpuSeconds, double storeWriterCpuSeconds,
    double workerCpuSeconds, double vmCpuSeconds) {
  public double uploadsPerSecond() {
    return clients / wallSeconds;
  }

  public double mebibytesPerSecond() {
    return clients * (double) bodyBytes / (1 << 20) / wallSeconds;
  }

  /**
   * How much longer the last answer took than the one before it. For the coordinator that is the
   * round's close: the update that completes the round is answered only once the next model is
   * durable, every other one as soon as its own write is.
   */
  public double tailMillis() {
    int n = latenciesMillis.length;
    return n < 2 ? 0 : latenciesMillis[n - 1] - latenciesMillis[n - 2];
  }

  /** Nearest-rank percentile of the sorted latencies. */
  public double percentileMillis(double p) {
    return percentile(latenciesMillis, p);
  }

  static double percentile(double[] sorted, double p) {
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  static double[] sorted(double[] v) {
    double[] c = v.clone();
    Arrays.sort(c);
    return c;
  }
}
