package org.hedgerow.coordinator.ledger;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.hedgerow.privacy.budget.Spend;
import org.hedgerow.privacy.ledger.LedgerEntry;

/**
 * The privacy ledger as JSON Lines, one link per line: what {@code GET /v1/ledger} serves and what
 * {@code hedgerow audit verify} reads. Doubles are written in their shortest round-trip form, so a
 * link read back hashes to the same value.
 */
public final class LedgerJson {
  private LedgerJson() {}

  public static JsonObject toJson(LedgerEntry e) {
    Spend s = e.spend();
    return new JsonObject()
        .put("sequence", e.sequence())
        .put("previous_hash", e.previousHash())
        .put("round", s.round())
        .put("silo", s.holder())
        .put("mechanism", s.mechanism())
        .put("noise_multiplier", s.noiseMultiplier())
        .put("sample_rate", s.sampleRate())
        .put("steps", s.steps())
        .put("epsilon", s.epsilon())
        .put("delta", s.delta())
        .put("cap", s.cap())
        .put("silo_signature", Base64.getEncoder().encodeToString(e.siloSignature()))
        .put("coordinator_signature", Base64.getEncoder().encodeToString(e.coordinatorSignature()))
        .put("hash", e.hash());
  }

  /** Reads one link; the message of a refusal names the field that was missing or wrong. */
  public static LedgerEntry fromJson(JsonObject o) {
    try {
      Spend s = new Spend(required(o, "round").intValue(), requiredString(o, "silo"), requiredString(o, "mechanism"),
          required(o, "noise_multiplier").doubleValue(), required(o, "sample_rate").doubleValue(),
          required(o, "steps").longValue(), required(o, "epsilon").doubleValue(), required(o, "delta").doubleValue(),
          required(o, "cap").doubleValue(), 1.0, 0);
      return new LedgerEntry(required(o, "sequence").longValue(), requiredString(o, "previous_hash"), s,
          Base64.getDecoder().decode(o.getString("silo_signature", "")),
          Base64.getDecoder().decode(requiredString(o, "coordinator_signature")));
    } catch (ClassCastException e) {
      throw new IllegalArgumentException("ledger link has a field of the wrong type: " + e.getMessage());
    }
  }

  public static String toJsonLines(List<LedgerEntry> entries) {
    StringBuilder b = new StringBuilder();
    for (LedgerEntry e : entries) {
      b.append(toJson(e).encode()).append('\n');
    }
    return b.toString();
  }

  /** Parses JSON Lines; blank lines are skipped; an error names the line. */
  public static List<LedgerEntry> fromJsonLines(String text) {
    List<LedgerEntry> out = new ArrayList<>();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty()) {
        continue;
      }
      try {
        out.add(fromJson(new JsonObject(line)));
      } catch (DecodeException | IllegalArgumentException e) {
        throw new IllegalArgumentException("ledger line " + (i + 1) + ": " + e.getMessage(), e);
      }
    }
    return out;
  }

  private static Number required(JsonObject o, String key) {
    Number n = o.getNumber(key);
    if (n == null) {
      throw new IllegalArgumentException("missing number '" + key + "'");
    }
    return n;
  }

  private static String requiredString(JsonObject o, String key) {
    String s = o.getString(key);
    if (s == null) {
      throw new IllegalArgumentException("missing string '" + key + "'");
    }
    return s;
  }
}
