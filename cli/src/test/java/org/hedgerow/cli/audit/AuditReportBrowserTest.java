package org.hedgerow.cli.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.hedgerow.coordinator.browser.HeadlessChromium;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * {@code report.html} opened from disk in a real headless Chromium (no server, no network): every silo
 * with its ε and cap, the plots drawn; an edited ledger shows the failure first. Screenshots go to
 * {@code target/screenshots/}.
 */
@Tag("browser")
class AuditReportBrowserTest {
  private static final Path SHOTS = Path.of("target", "screenshots");
  @TempDir Path dir;

  private HeadlessChromium open(Path html) throws Exception {
    HeadlessChromium c = HeadlessChromium.start(false);
    c.driver().get(html.toUri().toString());
    c.waitFor("the report", Duration.ofSeconds(30), d -> !d.findElements(By.id("verdict")).isEmpty());
    return c;
  }

  @Test
  void report_openedOffline_showsEverySiloWithEpsilonAndCapAndThePlots() throws Exception {
    LedgerFixture f = new LedgerFixture(dir);
    Path out = dir.resolve("report");
    AuditReport r = AuditReportWriter.write(LedgerEvidence.of(f.ledger, f.coordinatorKey, f.enrolled), out);
    try (HeadlessChromium c = open(out.resolve(AuditReportWriter.HTML_FILE))) {
      assertEquals("true", c.driver().findElement(By.id("verdict")).getAttribute("data-intact"));
      for (AuditReport.Silo s : r.silos()) {
        WebElement row = c.driver().findElement(By.cssSelector("#silos tr[data-silo='" + s.holder() + "']"));
        assertEquals(Html.num(s.reportedEpsilon()), row.findElement(By.cssSelector("td.eps")).getText());
        assertEquals(Html.num(s.cap()), row.findElement(By.cssSelector("td.cap")).getText());
      }
      assertEquals(LedgerFixture.SILOS.size(), c.driver().findElements(By.cssSelector("#silos tr[data-silo]")).size());
      // The plot decoded and laid out: a base64 PNG the browser could not read would have no natural width.
      Object width = c.driver().executeScript("return document.getElementById('plot-epsilon').naturalWidth");
      assertEquals(900L, ((Number) width).longValue());
      c.screenshot(SHOTS, "audit-report-intact");
    }
  }

  @Test
  void report_ofEditedLedger_showsTheFailureFirstInRed() throws Exception {
    LedgerFixture f = new LedgerFixture(dir);
    f.editEpsilon(10, 9.5); // iberia's first round claims more than it spent
    Path out = dir.resolve("report");
    AuditReportWriter.write(LedgerEvidence.of(f.ledger, f.coordinatorKey, f.enrolled), out);
    try (HeadlessChromium c = open(out.resolve(AuditReportWriter.HTML_FILE))) {
      WebElement verdict = c.driver().findElement(By.id("verdict"));
      assertEquals("false", verdict.getAttribute("data-intact"));
      assertTrue(verdict.getText().startsWith("LEDGER CHECK FAILED"), verdict.getText());
      assertTrue(verdict.getText().contains("link 10 (iberia, counter 2, round 1)"), verdict.getText());
      assertTrue(verdict.getText().contains("over-reported"), verdict.getText());
      String colour = verdict.getCssValue("color");
      assertTrue(colour.startsWith("rgba(139, 26, 26") || colour.startsWith("rgb(139, 26, 26"), colour);
      int verdictTop = verdict.getLocation().getY();
      int tableTop = c.driver().findElement(By.id("silos")).getLocation().getY();
      assertTrue(verdictTop < tableTop, "the failure is shown above the figures");
      c.screenshot(SHOTS, "audit-report-failed");
    }
  }
}
