package org.hedgerow.cli.bench;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What one benchmark run measured. Times are milliseconds; client and server compute are thread
 * CPU time, {@code unmaskMs} and {@code wallMs} are wall-clock.
 *
 * @param clientMs mean per-client compute over all its stages, over clients that completed all four
 * @param clientMaxMs the largest per-client compute among them
 * @param clientStageMs the mean of {@code clientMs} per stage (index: {@code Stage} ordinal, advertise keys to
 *     unmask), over the same clients
 * @param serverMs server compute: decoding, checks, folding masked inputs, routing, unmasking
 * @param unmaskMs wall time of the final unmasking step alone
 * @param plainMs compute of the plaintext baseline: summing the same survivors' vectors
 * @param expansion bytes a complete client sent over all stages ÷ 4·dimension
 * @param abortReason null if the round completed
 */
public record SecAggBenchResult(SecAggBenchParams params, int neighbours, int threshold, int dropped, int survivors,
    double clientMs, double clientMaxMs, double[] clientStageMs, double serverMs, double unmaskMs, double plainMs, double expansion,
    double wallMs, boolean correct, String abortReason) {

  /** server compute ÷ plaintext summing of the same vectors. */
  public double serverVsPlain() {
    return plainMs > 0 ? serverMs / plainMs : Double.NaN;
  }

  Map<String, Object> fields() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("clients", params.clients());
    m.put("dim", params.dimension());
    m.put("dropout", params.dropout());
    m.put("drop_stage", params.dropStage().name().toLowerCase(Locale.ROOT));
    m.put("neighbours", neighbours);
    m.put("threshold", threshold);
    m.put("bits", params.bits());
    m.put("seed", params.seed());
    m.put("dropped", dropped);
    m.put("survivors", survivors);
    m.put("client_ms", round(clientMs));
    m.put("client_ms_max", round(clientMaxMs));
    String[] stages = {"advertise", "share", "mask", "confirm", "unmask"};
    for (int s = 0; s < stages.length && s < clientStageMs.length; s++) {
      m.put("client_ms_" + stages[s], round(clientStageMs[s]));
    }
    m.put("server_ms", round(serverMs));
    m.put("unmask_ms", round(unmaskMs));
    m.put("plain_ms", round(plainMs));
    m.put("server_vs_plain", round(serverVsPlain()));
    m.put("expansion", Double.isFinite(expansion) ? Math.round(expansion * 10000) / 10000.0 : expansion);
    m.put("wall_ms", round(wallMs));
    m.put("correct", correct);
    if (abortReason != null) {
      m.put("aborted", abortReason);
    }
    return m;
  }

  private static double round(double v) {
    return Double.isFinite(v) ? Math.round(v * 10) / 10.0 : v;
  }

  /** One JSON object on one line. */
  public String toJson() {
    StringBuilder b = new StringBuilder("{");
    for (Map.Entry<String, Object> e : fields().entrySet()) {
      if (b.length() > 1) {
        b.append(", ");
      }
      b.append('"').append(e.getKey()).append("\": ");
      Object v = e.getValue();
      if (v instanceof String s) {
        b.append('"').append(s.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
      } else if (v instanceof Double d && !Double.isFinite(d)) {
        b.append("null");
      } else {
        b.append(v);
      }
    }
    return b.append('}').toString();
  }

  /** {@code key: value} lines for people. */
  public String toText() {
    StringBuilder b = new StringBuilder();
    for (Map.Entry<String, Object> e : fields().entrySet()) {
      b.append(String.format("%-16s %s%n", e.getKey(), e.getValue()));
    }
    return b.toString();
  }
}
