package org.hedgerow.cli.audit;

import static org.hedgerow.cli.audit.Html.esc;
import static org.hedgerow.cli.audit.Html.num;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.hedgerow.privacy.budget.Spend;

/**
 * {@code report.html}: the {@link AuditReport} as one self-contained page — inline style, plots as
 * base64 PNGs, no script and no external resource, so it opens offline and can be filed as is. A
 * failed check is shown first, in red, naming the check and the verifier's findings.
 */
final class AuditReportHtml {
  private AuditReportHtml() {}

  static String render(AuditReport r, Path dir, Map<String, String> plots) throws IOException {
    StringBuilder b = new StringBuilder(Html.head("Hedgerow privacy audit report"));
    b.append("<h1>Privacy audit report</h1>\n<p class=\"muted\">Ledger <code>").append(esc(r.ledgerFile()))
        .append("</code>, checked ").append(esc(r.generatedAt().toString())).append(" under coordinator key <code>")
        .append(esc(r.coordinatorKey())).append("</code>.</p>\n");
    banner(b, r);
    b.append("<p>Ledger head hash (publish it; anyone holding the same ledger gets the same head): <code id=\"head\">")
        .append(esc(r.head())).append("</code> after ").append(r.verification().links()).append(" links.</p>\n");
    silos(b, r);
    if (plots.containsKey("epsilon")) {
      b.append("<h2>Epsilon over rounds</h2>\n");
      image(b, dir.resolve(plots.get("epsilon")), "epsilon per silo over rounds against its cap", "plot-epsilon");
    }
    checks(b, r);
    releases(b, r);
    if (plots.containsKey("noise")) {
      image(b, dir.resolve(plots.get("noise")), "noise multiplier of every release", "plot-noise");
    }
    b.append("<h2>Not covered by the guarantee or these checks</h2>\n<ul id=\"not-covered\">\n");
    r.notCovered().forEach(n -> b.append("<li>").append(esc(n)).append("</li>\n"));
    b.append("</ul>\n");
    if (!r.verification().notes().isEmpty()) {
      b.append("<h2>Notes</h2>\n<ul id=\"notes\">\n");
      r.verification().notes().forEach(n -> b.append("<li>").append(esc(n)).append("</li>\n"));
      b.append("</ul>\n");
    }
    b.append("<p class=\"muted\">Written by <code>hedgerow audit report</code>; the same facts are in report.json. "
        + "Every epsilon recomputed here comes from the privacy module's accountant (SpendAccounting).</p>\n");
    return b.append("</body></html>\n").toString();
  }

  private static void banner(StringBuilder b, AuditReport r) {
    if (r.intact()) {
      b.append("<div id=\"verdict\" class=\"banner passed\" data-intact=\"true\">Ledger verified: every check passed "
          + "(hash chain, countersignatures, silo signatures, epsilon recomputed both ways, caps, counters").append(
              r.silos().stream().anyMatch(AuditReport.Silo::ownLog) ? ", silos' own logs" : "").append(").</div>\n");
      return;
    }
    b.append("<div id=\"verdict\" class=\"banner failed\" data-intact=\"false\">LEDGER CHECK FAILED: ")
        .append(r.verification().findings().size()).append(" finding(s) in ")
        .append(String.join(", ", r.failed().stream().map(ReportCheck::name).toList())).append(".<ul>\n");
    for (ReportCheck c : r.failed()) {
      for (String f : c.findings()) {
        b.append("<li><b>").append(esc(c.name())).append(":</b> ").append(esc(f)).append("</li>\n");
      }
    }
    b.append("</ul></div>\n");
  }

  private static void silos(StringBuilder b, AuditReport r) {
    b.append("<h2>Epsilon per silo against its cap</h2>\n<table id=\"silos\"><tr><th>holder</th><th>epsilon reported"
        + "</th><th>epsilon recomputed</th><th>agreement</th><th>cap</th><th>delta</th><th>links</th><th>releases</th>"
        + "<th>signed</th><th>key pinned</th><th>own log compared</th></tr>\n");
    for (AuditReport.Silo s : r.silos()) {
      boolean ok = s.agreement().equals("equal") && s.reportedEpsilon() <= s.cap();
      b.append("<tr data-silo=\"").append(esc(s.holder())).append("\"><td>").append(esc(s.holder()))
          .append("</td><td class=\"n eps\">").append(num(s.reportedEpsilon())).append("</td><td class=\"n\">")
          .append(num(s.recomputedEpsilon())).append("</td><td class=\"").append(ok ? "pass" : "fail").append("\">")
          .append(esc(s.agreement())).append("</td><td class=\"n cap\">").append(num(s.cap())).append("</td><td class=\"n\">")
          .append(num(s.delta())).append("</td><td class=\"n\">").append(s.links()).append("</td><td class=\"n\">")
          .append(s.releases()).append("</td><td>").append(s.signed() ? "yes" : "<span class=\"fail\">no</span>")
          .append("</td><td>").append(s.pinned() ? "yes" : "no").append("</td><td>").append(s.ownLog() ? "yes" : "no")
          .append("</td></tr>\n");
    }
    b.append("</table>\n");
  }

  private static void checks(StringBuilder b, AuditReport r) {
    b.append("<h2>Verification</h2>\n<table id=\"checks\"><tr><th>check</th><th>what</th><th>result</th></tr>\n");
    for (ReportCheck c : r.checks()) {
      b.append("<tr data-check=\"").append(esc(c.name())).append("\"><td>").append(esc(c.name())).append("</td><td>")
          .append(esc(c.description())).append("</td><td class=\"").append(c.passed() ? "pass\">passed" : "fail\">FAILED: "
              + c.findings().size() + " finding(s)").append("</td></tr>\n");
    }
    b.append("</table>\n");
  }

  private static void releases(StringBuilder b, AuditReport r) {
    b.append("<h2>Every release: mechanism and parameters</h2>\n<table id=\"releases\"><tr><th>link</th><th>holder</th>"
        + "<th>counter</th><th>round</th><th>mechanism</th><th>sigma</th><th>C</th><th>q</th><th>steps</th>"
        + "<th>epsilon after</th><th>signed by holder</th></tr>\n");
    for (AuditReport.Release x : r.releases()) {
      Spend s = x.spend();
      b.append("<tr><td class=\"n\">").append(x.sequence()).append("</td><td>").append(esc(s.holder()))
          .append("</td><td class=\"n\">").append(s.counter()).append("</td><td class=\"n\">").append(s.round())
          .append("</td><td>").append(esc(s.mechanism())).append("</td><td class=\"n\">").append(num(s.noiseMultiplier()))
          .append("</td><td class=\"n\">").append(num(s.clipNorm())).append("</td><td class=\"n\">")
          .append(num(s.sampleRate())).append("</td><td class=\"n\">").append(s.steps()).append("</td><td class=\"n\">")
          .append(num(s.epsilon())).append("</td><td>").append(x.holderSigned() ? "yes" : "no (coordinator's own)")
          .append("</td></tr>\n");
    }
    b.append("</table>\n");
  }

  private static void image(StringBuilder b, Path png, String alt, String id) throws IOException {
    b.append("<p><img id=\"").append(id).append("\" alt=\"").append(esc(alt)).append("\" src=\"data:image/png;base64,")
        .append(Base64.getEncoder().encodeToString(Files.readAllBytes(png))).append("\"></p>\n");
  }
}
