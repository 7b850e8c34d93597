package org.hedgerow.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.hedgerow.coordinator.browser.HeadlessChromium;
import org.hedgerow.coordinator.ui.DashboardRoutes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The dashboard in a real headless Chromium against a running coordinator with three enrolled silos:
 * the auditor signs in with the bearer token and sees every silo with its ε and cap, the ledger check
 * passed — and failed, after a recorded spend was edited in the store; a wrong token is refused.
 * Screenshots go to {@code target/screenshots/}.
 */
@Tag("browser")
class DashboardBrowserTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final Path SHOTS = Path.of("target", "screenshots");
  @TempDir Path dir;
  private DashboardFederation fed;
  private HeadlessChromium chromium;

  @BeforeEach
  void start() throws Exception {
    fed = new DashboardFederation(dir);
    chromium = HeadlessChromium.start(true); // the test federation's CA is made for this test only
  }

  @AfterEach
  void stop() throws Exception {
    try {
      if (chromium != null) {
        chromium.close();
      }
    } finally {
      fed.close();
    }
  }

  private void signIn(String token) throws InterruptedException {
    chromium.driver().get(fed.f.base.resolve(DashboardRoutes.UI).toString());
    chromium.waitFor("the sign-in form", WAIT, d -> d.findElement(By.id("token")).isDisplayed());
    chromium.driver().findElement(By.id("token")).sendKeys(token);
    chromium.driver().findElement(By.id("login")).click();
  }

  private String silosTable() {
    return chromium.driver().findElement(By.id("silos")).getText();
  }

  @Test
  void auditor_signsIn_seesEverySiloWithEpsilonAndCapAndTheLedgerVerified() throws Exception {
    signIn(fed.f.auditorToken);
    chromium.waitFor("three silos in the budget table", WAIT,
        d -> d.findElements(By.cssSelector("#silos tbody tr")).size() == 3);
    chromium.waitFor("the ledger verdict", WAIT,
        d -> d.findElement(By.id("ledger-status")).getAttribute("data-intact") != null);
    JsonObject status = fed.f.status();
    JsonObject spends = new JsonObject();
    status.getJsonObject("privacy").getJsonArray("spends").forEach(o -> spends.put(((JsonObject) o).getString("silo"),
        o)); // the last spend of each silo
    for (String silo : DashboardFederation.SILOS) {
      WebElement row = chromium.driver().findElement(By.cssSelector("#silos tr[data-silo='" + silo + "']"));
      double shown = Double.parseDouble(row.findElement(By.cssSelector("td.eps")).getText());
      double recorded = spends.getJsonObject(silo).getDouble("epsilon");
      assertEquals(recorded, shown, 1e-7 * recorded, silo + ": the epsilon shown is the one recorded");
      assertEquals("8", row.findElement(By.cssSelector("td.cap")).getText(), silo + ": cap");
    }
    WebElement verdict = chromium.driver().findElement(By.id("ledger-status"));
    assertEquals("true", verdict.getAttribute("data-intact"));
    assertTrue(verdict.getText().startsWith("Ledger verified: 6 links"), verdict.getText());
    String participants = chromium.driver().findElement(By.id("participants")).getText();
    for (String silo : DashboardFederation.SILOS) {
      assertTrue(participants.contains(silo), participants);
    }
    assertFalse(participants.contains("not seen since start"), "every silo talked to this coordinator: " + participants);
    assertEquals("1", chromium.driver().findElement(By.id("model-version")).getText());
    // Two samples of /metrics (one refresh apart) make a line, not a dot.
    chromium.waitFor("two metrics samples", WAIT, d -> d.findElements(By.cssSelector("#chart-requests circle")).size() >= 2);
    chromium.screenshot(SHOTS, "dashboard-auditor");
  }

  @Test
  void wrongToken_refusedAndNothingShown() throws Exception {
    signIn("not-the-auditor-token");
    chromium.waitFor("the refusal", WAIT, d -> d.findElement(By.id("login-error")).isDisplayed());
    String error = chromium.driver().findElement(By.id("login-error")).getText();
    assertTrue(error.startsWith("Refused: HTTP 401"), error);
    assertTrue(error.contains("unknown bearer token"), error);
    assertFalse(chromium.driver().findElement(By.id("dashboard")).isDisplayed());
    assertTrue(silosTable().isEmpty() || !silosTable().contains("germany"), "no data without a valid token");
    chromium.screenshot(SHOTS, "dashboard-refused");
  }

  @Test
  void storeEdited_ledgerCheckShownAsFailedNamingTheLink() throws Exception {
    fed.tamperAndRestart("france", 1);
    signIn(fed.f.auditorToken);
    chromium.waitFor("the ledger verdict", WAIT,
        d -> d.findElement(By.id("ledger-status")).getAttribute("data-intact") != null);
    WebElement verdict = chromium.driver().findElement(By.id("ledger-status"));
    assertEquals("false", verdict.getAttribute("data-intact"));
    assertTrue(verdict.getAttribute("class").contains("failed"));
    assertTrue(verdict.getText().startsWith("LEDGER CHECK FAILED"), verdict.getText());
    String findings = chromium.driver().findElement(By.id("findings")).getText();
    assertTrue(findings.contains("(france, counter 1, round 1): silo signature invalid"), findings);
    WebElement france = chromium.driver().findElement(By.cssSelector("#silos tr[data-silo='france']"));
    List<WebElement> cells = france.findElements(By.tagName("td"));
    assertTrue(cells.get(2).getAttribute("class").contains("fail"), "the recomputed epsilon is marked: "
        + france.getText());
    chromium.screenshot(SHOTS, "dashboard-ledger-failed");
  }
}
