package org.hedgerow.aggregation.wire;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.hedgerow.privacy.budget.Spend;
import org.hedgerow.privacy.crypto.Hex;
import org.hedgerow.privacy.ledger.LedgerEntry;

/**
 * The privacy ledger as JSON Lines, one link per line: what {@code GET /v1/ledger} and
 * {@code hedgerow audit export} write and what {@code hedgerow audit verify} reads. The spend's
 * fields are {@link SpendJson}'s; doubles are written in their shortest round-trip form, so a link
 * read back hashes to the same value and its signatures still verify. Needs Jackson only.
 *
 * <pre>{"sequence":0,"previous_hash":"00…","counter":0,"round":0,"silo":"germany",
 *  "mechanism":"silo-stats-gaussian","noise_multiplier":4.0,"clip_norm":1.0,"sample_rate":1.0,"steps":1,
 *  "epsilon":1.01,"delta":1.0E-5,"cap":8.0,"public_key":"&lt;64 hex, empty for the coordinator's own&gt;",
 *  "silo_signature":"&lt;base64&gt;","coordinator_signature":"&lt;base64&gt;","hash":"&lt;64 hex&gt;"}</pre>
 */
public final class LedgerJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private LedgerJson() {}

  public static ObjectNode toJson(LedgerEntry e) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("sequence", e.sequence());
    o.put("previous_hash", e.previousHash());
    o.setAll(SpendJson.toJson(e.spend()));
    o.put("public_key", Hex.encode(e.publicKey()).toLowerCase(Locale.ROOT));
    o.put("silo_signature", Base64.getEncoder().encodeToString(e.siloSignature()));
    o.put("coordinator_signature", Base64.getEncoder().encodeToString(e.coordinatorSignature()));
    o.put("hash", e.hash());
    return o;
  }

  /** Reads one link; the message of a refusal names the field that was missing or wrong. */
  public static LedgerEntry fromJson(JsonNode o) {
    if (o == null || !o.isObject()) {
      throw new IllegalArgumentException("a ledger link must be a JSON object");
    }
    Spend s = SpendJson.spendFromJson(o);
    JsonNode seq = o.get("sequence");
    if (seq == null || !seq.isIntegralNumber() || !seq.canConvertToLong()) {
      throw new IllegalArgumentException("missing or non-integer 'sequence'");
    }
    byte[] key;
    try {
      key = Hex.decode(text(o, "public_key", ""));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("field 'public_key' is not hex", e);
    }
    return new LedgerEntry(seq.longValue(), text(o, "previous_hash", null), s, key,
        base64(o, "silo_signature", ""), base64(o, "coordinator_signature", null));
  }

  private static String text(JsonNode o, String name, String absent) {
    JsonNode n = o.get(name);
    if (n == null || n.isNull()) {
      if (absent != null) {
        return absent;
      }
      throw new IllegalArgumentException("missing field '" + name + "'");
    }
    if (!n.isTextual()) {
      throw new IllegalArgumentException("field '" + name + "' must be a string");
    }
    return n.asText();
  }

  private static byte[] base64(JsonNode o, String name, String absent) {
    try {
      return Base64.getDecoder().decode(text(o, name, absent));
    } catch (IllegalArgumentException e) {
      if (e.getMessage() != null && e.getMessage().startsWith("missing field")) {
        throw e;
      }
      throw new IllegalArgumentException("field '" + name + "' is not base64", e);
    }
  }

  public static String toJsonLines(List<LedgerEntry> entries) {
    StringBuilder b = new StringBuilder();
    for (LedgerEntry e : entries) {
      b.append(toJson(e)).append('\n');
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
        out.add(fromJson(MAPPER.readTree(line)));
      } catch (JsonProcessingException e) {
        throw new IllegalArgumentException("ledger line " + (i + 1) + ": not JSON: " + e.getOriginalMessage(), e);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("ledger line " + (i + 1) + ": " + e.getMessage(), e);
      }
    }
    return out;
  }
}
