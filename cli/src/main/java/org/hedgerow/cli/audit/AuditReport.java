package org.hedgerow.cli.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.hedgerow.aggregation.wire.LedgerReportJson;
import org.hedgerow.aggregation.wire.SpendJson;
import org.hedgerow.privacy.budget.Spend;
import org.hedgerow.privacy.crypto.Hex;
import org.hedgerow.privacy.ledger.LedgerEntry;
import org.hedgerow.privacy.ledger.LedgerVerifier;

/**
 * The facts of an audit report, all from one {@link LedgerVerifier} run on the evidence: the checks
 * (passed, or failed with the verifier's findings), per silo its ε reported and recomputed against
 * its cap and its ε after every link, every release with its mechanism and parameters, what the
 * guarantee does not cover, and the ledger head. {@code report.json}, {@code report.html} and the
 * plots are renderings of this record and say nothing it does not hold.
 *
 * @param generatedAt when the report was made
 * @param ledgerFile the ledger read
 * @param coordinatorKey hex of the coordinator's ledger key it was checked under
 * @param verification the verifier's verdict
 * @param checks the verdict by check, in report order
 * @param silos per holder of the ledger (and per silo known only from its own log)
 * @param releases every link, in ledger order
 * @param notCovered what the guarantee and the checks do not cover, for this ledger
 */
public record AuditReport(Instant generatedAt, String ledgerFile, String coordinatorKey,
    LedgerVerifier.Report verification, List<ReportCheck> checks, List<Silo> silos, List<Release> releases,
    List<String> notCovered) {

  /** One budget holder: what it reported, what the accountant recomputed, and its ε after each of its links. */
  public record Silo(String holder, double cap, double delta, double reportedEpsilon, double recomputedEpsilon,
      String agreement, int links, int releases, boolean signed, String publicKey, boolean pinned, boolean ownLog,
      List<Point> series) {}

  /** ε of a holder after the link {@code sequence}, which charged {@code round} (0: a pre-training release). */
  public record Point(long sequence, int round, double epsilon) {}

  /** One link: the spend and where it sits in the chain. */
  public record Release(long sequence, String hash, Spend spend, boolean holderSigned) {}

  public boolean intact() {
    return verification.intact();
  }

  public String head() {
    return verification.head();
  }

  /** The failed checks, in report order. */
  public List<ReportCheck> failed() {
    return checks.stream().filter(c -> !c.passed()).toList();
  }

  /** Builds the report of {@code evidence}: verifies it, then files and derives everything from the verdict. */
  public static AuditReport of(LedgerEvidence.Loaded evidence, Instant now) {
    LedgerVerifier.Report v = evidence.verify();
    Map<String, List<Point>> series = new LinkedHashMap<>();
    List<Release> releases = new ArrayList<>();
    for (LedgerEntry e : evidence.entries()) {
      Spend s = e.spend();
      series.computeIfAbsent(s.holder(), h -> new ArrayList<>()).add(new Point(e.sequence(), s.round(), s.epsilon()));
      releases.add(new Release(e.sequence(), e.hash(), s, e.holderSigned()));
    }
    List<Silo> silos = new ArrayList<>();
    for (LedgerVerifier.HolderSummary h : v.holders().values()) {
      silos.add(new Silo(h.holder(), h.cap(), h.delta(), h.reportedEpsilon(), h.recomputedEpsilon(),
          agreement(h.reportedEpsilon(), h.recomputedEpsilon()), h.links(), h.releases(), h.signed(), h.publicKey(),
          evidence.pinned().containsKey(h.holder()), evidence.siloLogs().containsKey(h.holder()),
          List.copyOf(series.getOrDefault(h.holder(), List.of()))));
    }
    return new AuditReport(now, evidence.ledgerFile().toString(),
        Hex.encode(evidence.coordinatorKey()).toLowerCase(Locale.ROOT), v, ReportCheck.classify(v.findings()),
        List.copyOf(silos), List.copyOf(releases), NotCovered.of(evidence, v));
  }

  /** How the reported ε compares with the accountant's, in the verifier's own terms (its tolerance, both ways). */
  static String agreement(double reported, double recomputed) {
    if (!Double.isFinite(recomputed) || !Double.isFinite(reported)) {
      return "not recomputed";
    }
    String difference = LedgerVerifier.compareEpsilon(reported, recomputed);
    return difference == null ? "equal" : difference;
  }

  /** {@code report.json}: the same facts as the HTML, plus the verifier's verdict in {@code audit verify --json}'s shape. */
  public ObjectNode toJson(Map<String, String> plots) {
    ObjectMapper m = new ObjectMapper();
    ObjectNode o = m.createObjectNode();
    o.put("generated_at", generatedAt.toString());
    o.put("ledger_file", ledgerFile);
    o.put("coordinator_key", coordinatorKey);
    o.put("head", head());
    o.put("links", verification.links());
    o.put("intact", intact());
    ArrayNode checksJson = o.putArray("checks");
    for (ReportCheck c : checks) {
      ObjectNode x = checksJson.addObject();
      x.put("name", c.name());
      x.put("description", c.description());
      x.put("passed", c.passed());
      c.findings().forEach(x.putArray("findings")::add);
    }
    ArrayNode silosJson = o.putArray("silos");
    for (Silo s : silos) {
      ObjectNode x = silosJson.addObject();
      x.put("holder", s.holder());
      LedgerReportJson.number(x, "cap", s.cap());
      LedgerReportJson.number(x, "delta", s.delta());
      LedgerReportJson.number(x, "epsilon_reported", s.reportedEpsilon());
      LedgerReportJson.number(x, "epsilon_recomputed", s.recomputedEpsilon());
      x.put("epsilon_agreement", s.agreement());
      x.put("links", s.links());
      x.put("releases", s.releases());
      x.put("signed", s.signed());
      x.put("public_key", s.publicKey());
      x.put("key_pinned", s.pinned());
      x.put("own_log_compared", s.ownLog());
      ArrayNode pts = x.putArray("epsilon_series");
      s.series().forEach(p -> pts.addObject().put("sequence", p.sequence()).put("round", p.round())
          .put("epsilon", p.epsilon()));
    }
    ArrayNode rel = o.putArray("releases");
    for (Release r : releases) {
      ObjectNode x = rel.addObject();
      x.put("sequence", r.sequence());
      x.setAll(SpendJson.toJson(r.spend()));
      x.put("holder_signed", r.holderSigned());
      x.put("hash", r.hash());
    }
    notCovered.forEach(o.putArray("not_covered")::add);
    ObjectNode p = o.putObject("plots");
    plots.forEach(p::put);
    o.set("verification", LedgerReportJson.toJson(verification));
    return o;
  }
}
