package org.hedgerow.aggregation.wire;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.hedgerow.privacy.ledger.LedgerVerifier;

/**
 * A {@link LedgerVerifier.Report} as one JSON object: what {@code hedgerow audit verify --json}
 * prints, what {@code report.json} holds under {@code verification} and what the coordinator's
 * {@code GET /v1/ledger/verification} answers — one shape, so an auditor's tools read all three.
 *
 * <pre>{"links":12,"head":"&lt;64 hex&gt;","intact":true,"findings":[],"notes":[],
 *  "holders":{"germany":{"links":4,"releases":2,"reported_epsilon":7.99,"recomputed_epsilon":7.99,"cap":8.0,
 *  "delta":1.0E-5,"signed":true,"public_key":"&lt;hex&gt;","last_counter":3,"unreported_counters":[]}}}</pre>
 *
 * Numbers that are not finite (a holder only known from its own log) are written as null.
 */
public final class LedgerReportJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private LedgerReportJson() {}

  public static ObjectNode toJson(LedgerVerifier.Report r) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("links", r.links());
    o.put("head", r.head());
    o.put("intact", r.intact());
    r.findings().forEach(o.putArray("findings")::add); // the receiver is evaluated once: an empty list gives []
    r.notes().forEach(o.putArray("notes")::add);
    ObjectNode holders = o.putObject("holders");
    r.holders().values().forEach(h -> {
      ObjectNode x = holders.putObject(h.holder());
      x.put("links", h.links());
      x.put("releases", h.releases());
      number(x, "reported_epsilon", h.reportedEpsilon());
      number(x, "recomputed_epsilon", h.recomputedEpsilon());
      number(x, "cap", h.cap());
      number(x, "delta", h.delta());
      x.put("signed", h.signed());
      x.put("public_key", h.publicKey());
      x.put("last_counter", h.lastCounter());
      h.unreported().forEach(x.putArray("unreported_counters")::add);
    });
    return o;
  }

  /** {@code v}, or null when it is not finite (JSON has no NaN). */
  public static void number(ObjectNode o, String name, double v) {
    if (Double.isFinite(v)) {
      o.put(name, v);
    } else {
      o.putNull(name);
    }
  }
}
