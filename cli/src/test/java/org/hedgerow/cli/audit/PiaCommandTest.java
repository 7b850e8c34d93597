package org.hedgerow.cli.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.hedgerow.cli.Hedgerow;
import org.hedgerow.privacy.budget.PrivacyBudget;
import org.hedgerow.simulations.Scenario;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The PIA follows the configuration: change the scenario and the statements change with it. */
class PiaCommandTest {
  @TempDir Path dir;

  /** Runs {@code audit pia} on a scenario with {@code json}'s keys over the bundled default; returns pia.md. */
  private String pia(String name, String json) throws Exception {
    Path scenario = dir.resolve(name + ".json");
    Files.writeString(scenario, json);
    Path out = dir.resolve(name);
    StringWriter err = new StringWriter();
    picocli.CommandLine cl = Hedgerow.commandLine();
    cl.setOut(new PrintWriter(new StringWriter(), true));
    cl.setErr(new PrintWriter(err, true));
    assertEquals(0, cl.execute("audit", "pia", "--scenario", scenario.toString(), "--out", out.toString()),
        err.toString());
    String md = Files.readString(out.resolve(PiaCommand.MARKDOWN_FILE));
    String html = Files.readString(out.resolve(PiaCommand.HTML_FILE));
    assertTrue(html.contains("<h2>Residual risks and mitigations</h2>") && !html.contains("http"), "html: " + html);
    return md;
  }

  @Test
  void pia_noPrivacy_claimsNoEpsilonAndNamesTheRisk() throws Exception {
    String md = pia("plain", "{\"privacy\": \"none\"}");
    assertTrue(md.contains("No unit of privacy"), md);
    assertTrue(md.contains("no epsilon is claimed"), md);
    assertTrue(md.contains("membership inference"), md);
    assertFalse(md.contains("Planned epsilon"), md);
    assertTrue(md.contains("Secure aggregation is off"), md);
  }

  @Test
  void pia_localDpCapChanged_epsilonFromTheAccountantFollowsTheCap() throws Exception {
    String eight = pia("cap8", "{\"privacy\": \"local\", \"epsilon_cap\": 8}");
    String three = pia("cap3", "{\"privacy\": \"local\", \"epsilon_cap\": 3, \"delta\": 1e-6}");
    assertTrue(eight.contains("one customer (data subject)"), eight);
    assertTrue(eight.contains("cap epsilon 8 at delta 1.0E-5"), eight);
    assertTrue(three.contains("cap epsilon 3 at delta 1.0E-6"), three);
    // The planned figure is the accountant's on the calibrated sigma: at most the cap, within calibration tolerance.
    double planned8 = planned(eight);
    double planned3 = planned(three);
    assertTrue(planned8 <= 8 && planned8 > 7.9, eight);
    assertTrue(planned3 <= 3 && planned3 > 2.9, three);
    assertTrue(eight.contains("declared catalogue 'data/online-retail/catalogue.csv'"), eight);
  }

  @Test
  void pia_fixedSigmaTooSmall_saysWhichRoundsTheBudgetRefuses() throws Exception {
    String md = pia("small-sigma", "{\"privacy\": \"local\", \"epsilon_cap\": 2, \"noise_multiplier\": 0.6, "
        + "\"rounds\": 10}");
    assertTrue(md.contains("the budget allows only"), md);
    assertTrue(md.contains("as configured"), md);
  }

  @Test
  void pia_centralAndSecureAggregation_switchUnitAndThreatModel() throws Exception {
    String central = pia("central", "{\"privacy\": \"central\", \"partition\": \"region\"}");
    assertTrue(central.contains("one whole shop, not one customer"), central);
    assertTrue(central.contains("coordinator sees every clipped update without noise"), central);
    Scenario s = Scenario.load(dir.resolve("central.json"));
    PrivacyBudget expect = new PrivacyBudget("coordinator", s.epsilonCap(), s.delta());
    double sigma = new org.hedgerow.simulations.Simulation(s, System.out).centralNoiseMultiplier();
    for (int r = 1; r <= s.rounds(); r++) {
      expect.spend(r, "central-gaussian", sigma, 1.0, 1, s.clipNorm());
    }
    assertTrue(central.contains(String.format(Locale.ROOT, "%.4f", expect.epsilon())), central);

    String secure = pia("secure", "{\"privacy\": \"local\", \"secure_aggregation\": {\"mode\": \"secagg+\", "
        + "\"neighbours\": 4}}");
    assertTrue(secure.contains("SecAgg+ (sparse graph)") && secure.contains("Neighbours 4"), secure);
    assertTrue(secure.contains("Updates leave the silo only masked"), secure);
    assertTrue(secure.contains("together they do not"), secure);
    assertFalse(secure.contains("Secure aggregation is off"), secure);
  }

  private static double planned(String md) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("after all \\d+ rounds: ([0-9.]+)").matcher(md);
    assertTrue(m.find(), md);
    return Double.parseDouble(m.group(1));
  }
}
