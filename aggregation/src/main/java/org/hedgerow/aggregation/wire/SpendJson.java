package org.hedgerow.aggregation.wire;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.hedgerow.privacy.accounting.DistributedGaussianParameters;
import org.hedgerow.privacy.budget.SignedSpend;
import org.hedgerow.privacy.budget.Spend;
import org.hedgerow.privacy.crypto.Hex;

/**
 * The one JSON form of a {@link SignedSpend}: a line of a silo's {@code spends.jsonl}, an element of
 * {@code POST /v1/spends}, and the spend part of a ledger link. Doubles are written in Java's
 * shortest round-trip form, so a spend read back has the same {@link Spend#signedBytes()} and its
 * signature still verifies.
 *
 * <pre>{"counter":0,"round":0,"silo":"germany","mechanism":"silo-stats-gaussian","noise_multiplier":4.0,
 *  "clip_norm":1.0,"sample_rate":1.0,"steps":1,"epsilon":1.01,"delta":1.0E-5,"cap":8.0,
 *  "public_key":"&lt;64 hex&gt;","signature":"&lt;base64&gt;"}</pre>
 */
public final class SpendJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private SpendJson() {}

  /** The spend's fields (without key and signature). */
  public static ObjectNode toJson(Spend s) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("counter", s.counter());
    o.put("round", s.round());
    o.put("silo", s.holder());
    o.put("mechanism", s.mechanism());
    o.put("noise_multiplier", s.noiseMultiplier());
    o.put("clip_norm", s.clipNorm());
    o.put("sample_rate", s.sampleRate());
    o.put("steps", s.steps());
    o.put("epsilon", s.epsilon());
    o.put("delta", s.delta());
    o.put("cap", s.cap());
    if (s.distributed() != null) {
      o.set("distributed", toJson(s.distributed()));
    }
    return o;
  }

  /** The {@code "distributed"} object of a spend. */
  public static ObjectNode toJson(DistributedGaussianParameters d) {
    ObjectNode p = MAPPER.createObjectNode();
    p.put("share_variance", d.shareVariance());
    p.put("min_survivors", d.minSurvivors());
    p.put("max_contributors", d.maxContributors());
    p.put("dimension", d.dimension());
    p.put("scale", d.scale());
    p.put("learning_rate", d.learningRate());
    p.put("l2_sensitivity", d.l2Sensitivity());
    p.put("tau", d.tau());
    p.put("bits", d.bits());
    p.put("modulus_bits", d.modulusBits());
    return p;
  }

  /** Parses the text of a {@code "distributed"} object ({@link #toJson(DistributedGaussianParameters)}); null stays null. */
  public static DistributedGaussianParameters distributedFromJson(String json) {
    if (json == null) {
      return null;
    }
    try {
      return distributed(MAPPER.readTree(json));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("distributed parameters are not JSON: " + e.getOriginalMessage(), e);
    }
  }

  public static ObjectNode toJson(SignedSpend s) {
    ObjectNode o = toJson(s.spend());
    o.put("public_key", Hex.encode(s.publicKey()).toLowerCase(java.util.Locale.ROOT));
    o.put("signature", Base64.getEncoder().encodeToString(s.signature()));
    return o;
  }

  /** One line of JSON (no newline). */
  public static String line(SignedSpend s) {
    return toJson(s).toString();
  }

  /** Reads the spend fields of {@code o}; the message of a refusal names the field. */
  public static Spend spendFromJson(JsonNode o) {
    if (o == null || !o.isObject()) {
      throw new IllegalArgumentException("a spend must be a JSON object");
    }
    try {
      return new Spend(intField(o, "round"), text(o, "silo"), text(o, "mechanism"), number(o, "noise_multiplier"),
          number(o, "sample_rate"), longField(o, "steps"), number(o, "epsilon"), number(o, "delta"), number(o, "cap"),
          number(o, "clip_norm"), longField(o, "counter"), distributed(o.get("distributed")));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("bad spend: " + e.getMessage(), e);
    }
  }

  /** The distributed parameters of a spend ({@code "distributed"}), or null if it has none. */
  private static DistributedGaussianParameters distributed(JsonNode d) {
    if (d == null || d.isNull()) {
      return null;
    }
    if (!d.isObject()) {
      throw new IllegalArgumentException("field 'distributed' must be an object");
    }
    try {
      return new DistributedGaussianParameters(number(d, "share_variance"), intField(d, "min_survivors"),
          intField(d, "max_contributors"), intField(d, "dimension"), number(d, "scale"), number(d, "learning_rate"),
          number(d, "l2_sensitivity"), number(d, "tau"), intField(d, "bits"), intField(d, "modulus_bits"));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("distributed: " + e.getMessage(), e);
    }
  }

  /** Reads a signed spend; the message of a refusal names the field. It does not check the signature. */
  public static SignedSpend fromJson(JsonNode o) {
    Spend s = spendFromJson(o);
    byte[] key;
    byte[] sig;
    String keyText;
    String sigText;
    try {
      keyText = text(o, "public_key");
      sigText = text(o, "signature");
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("bad spend: " + e.getMessage(), e);
    }
    try {
      key = Hex.decode(keyText);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("bad spend: public_key is not hex", e);
    }
    try {
      sig = Base64.getDecoder().decode(sigText);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("bad spend: signature is not base64", e);
    }
    try {
      return new SignedSpend(s, key, sig);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("bad spend: " + e.getMessage(), e);
    }
  }

  /** Parses one line written by {@link #line}. */
  public static SignedSpend parseLine(String line) {
    try {
      return fromJson(MAPPER.readTree(line));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** {@code {"spends": [...]}}: the body of {@code POST /v1/spends}. */
  public static String batch(List<SignedSpend> spends) {
    ObjectNode o = MAPPER.createObjectNode();
    ArrayNode a = o.putArray("spends");
    spends.forEach(s -> a.add(toJson(s)));
    return o.toString();
  }

  /** Parses a body written by {@link #batch}; an error names the element that was wrong. */
  public static List<SignedSpend> parseBatch(String body) {
    JsonNode root;
    try {
      root = MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
    }
    if (root == null || !root.isObject() || !root.path("spends").isArray()) {
      throw new IllegalArgumentException("expected {\"spends\": [...]}");
    }
    List<SignedSpend> out = new ArrayList<>();
    int i = 0;
    for (JsonNode n : root.get("spends")) {
      try {
        out.add(fromJson(n));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("spends[" + i + "]: " + e.getMessage(), e);
      }
      i++;
    }
    return out;
  }

  private static JsonNode field(JsonNode o, String name) {
    JsonNode n = o.get(name);
    if (n == null || n.isNull()) {
      throw new IllegalArgumentException("missing field '" + name + "'");
    }
    return n;
  }

  private static String text(JsonNode o, String name) {
    JsonNode n = field(o, name);
    if (!n.isTextual()) {
      throw new IllegalArgumentException("field '" + name + "' must be a string");
    }
    return n.asText();
  }

  private static double number(JsonNode o, String name) {
    JsonNode n = field(o, name);
    if (!n.isNumber()) {
      throw new IllegalArgumentException("field '" + name + "' must be a number");
    }
    double v = n.doubleValue();
    if (!Double.isFinite(v)) {
      throw new IllegalArgumentException("field '" + name + "' must be finite");
    }
    return v;
  }

  private static long longField(JsonNode o, String name) {
    JsonNode n = field(o, name);
    if (!n.isIntegralNumber() || !n.canConvertToLong()) {
      throw new IllegalArgumentException("field '" + name + "' must be a whole number");
    }
    return n.longValue();
  }

  private static int intField(JsonNode o, String name) {
    JsonNode n = field(o, name);
    if (!n.isIntegralNumber() || !n.canConvertToInt()) {
      throw new IllegalArgumentException("field '" + name + "' must be a whole number");
    }
    return n.intValue();
  }
}
