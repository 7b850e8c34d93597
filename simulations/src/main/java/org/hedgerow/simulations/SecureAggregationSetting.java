package org.hedgerow.simulations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Set;
import org.hedgerow.aggregation.secagg.SecureSumEncoding;
import org.hedgerow.coordinator.secagg.SecureAggregationOptions;

/**
 * The scenario's {@code "secure_aggregation"} key: {@code "none"}, {@code "secagg"} or
 * {@code "secagg+"}, or an object {@code {"mode": …, "neighbours": k, "threshold": t, "bits": b,
 * "clip": c, "weight_cap": W}} whose optional keys override the coordinator's defaults (see
 * {@link SecureAggregationOptions}). When not {@code none} the simulator also runs the federation
 * behind secure aggregation: {@code federated-secagg}, or {@code federated-dp-secagg} with local DP.
 */
public record SecureAggregationSetting(String mode, Integer neighbours, Integer threshold, Integer bits, Double clip,
    Long weightCap) {
  public static final List<String> MODES = List.of("none", "secagg", "secagg+");
  private static final Set<String> KEYS = Set.of("mode", "neighbours", "threshold", "bits", "clip", "weight_cap");
  public static final SecureAggregationSetting NONE = new SecureAggregationSetting("none", null, null, null, null, null);

  public SecureAggregationSetting {
    if (!MODES.contains(mode)) {
      throw new IllegalArgumentException("secure_aggregation must be one of " + MODES + ". Provided value: " + mode);
    }
    if (mode.equals("none") && (neighbours != null || threshold != null || bits != null || clip != null
        || weightCap != null)) {
      throw new IllegalArgumentException("secure_aggregation 'none' takes no parameters");
    }
    if (clip != null && !(clip > 0 && Double.isFinite(clip))) {
      throw new IllegalArgumentException("secure_aggregation clip must be > 0 and finite. Provided value: " + clip);
    }
    if (mode.equals("secagg") && neighbours != null) {
      throw new IllegalArgumentException("secure_aggregation 'neighbours' applies to secagg+ only");
    }
  }

  /** The clip a silo's delta is bounded by before encoding: the scenario's, or the coordinator's default. */
  public double clipOrDefault() {
    return clip == null ? SecureSumEncoding.DEFAULT_CLIP : clip;
  }

  public boolean enabled() {
    return !mode.equals("none");
  }

  /** Parses the key's value; a missing key means {@code none}. */
  static SecureAggregationSetting fromJson(JsonNode n, String source) {
    if (n == null || n.isNull()) {
      return NONE;
    }
    if (n.isTextual()) {
      return new SecureAggregationSetting(n.asText(), null, null, null, null, null);
    }
    if (!n.isObject()) {
      throw new IllegalArgumentException(source + ": 'secure_aggregation' must be a string or an object");
    }
    n.fieldNames().forEachRemaining(k -> {
      if (!KEYS.contains(k)) {
        throw new IllegalArgumentException(source + ": unknown key 'secure_aggregation." + k + "' (known: "
            + new java.util.TreeSet<>(KEYS) + ")");
      }
    });
    if (!n.path("mode").isTextual()) {
      throw new IllegalArgumentException(source + ": 'secure_aggregation.mode' must be a string");
    }
    return new SecureAggregationSetting(n.get("mode").asText(), integer(n, "neighbours", source),
        integer(n, "threshold", source), integer(n, "bits", source),
        n.hasNonNull("clip") ? number(n, "clip", source) : null,
        n.hasNonNull("weight_cap") ? (long) (double) number(n, "weight_cap", source) : null);
  }

  private static Integer integer(JsonNode n, String k, String source) {
    JsonNode v = n.get(k);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isIntegralNumber() || !v.canConvertToInt()) {
      throw new IllegalArgumentException(source + ": 'secure_aggregation." + k + "' must be an integer");
    }
    return v.asInt();
  }

  private static Double number(JsonNode n, String k, String source) {
    if (!n.get(k).isNumber()) {
      throw new IllegalArgumentException(source + ": 'secure_aggregation." + k + "' must be a number");
    }
    return n.get(k).asDouble();
  }

  /** The plain string when no parameter is set, else the object form. */
  JsonNode toJson() {
    if (neighbours == null && threshold == null && bits == null && clip == null && weightCap == null) {
      return JsonNodeFactory.instance.textNode(mode);
    }
    ObjectNode o = JsonNodeFactory.instance.objectNode().put("mode", mode);
    if (neighbours != null) {
      o.put("neighbours", neighbours);
    }
    if (threshold != null) {
      o.put("threshold", threshold);
    }
    if (bits != null) {
      o.put("bits", bits);
    }
    if (clip != null) {
      o.put("clip", clip);
    }
    if (weightCap != null) {
      o.put("weight_cap", weightCap);
    }
    return o;
  }

  /** The coordinator's options; stage 0's deadline is the round deadline because clients train first. */
  SecureAggregationOptions coordinatorOptions(long roundDeadlineMillis) {
    return new SecureAggregationOptions(mode, neighbours, threshold, bits,
        clip == null ? SecureSumEncoding.DEFAULT_CLIP : clip, weightCap, roundDeadlineMillis,
        SecureAggregationOptions.DEFAULT_STAGE_DEADLINE_MILLIS);
  }
}
