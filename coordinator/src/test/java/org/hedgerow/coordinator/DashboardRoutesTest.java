package org.hedgerow.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.hedgerow.coordinator.ui.DashboardRoutes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dashboard's page and the two facts it adds to the API, against a coordinator with three silos. */
class DashboardRoutesTest {
  @TempDir Path dir;
  private DashboardFederation fed;

  @BeforeEach
  void start() throws Exception {
    fed = new DashboardFederation(dir);
  }

  @AfterEach
  void stop() throws Exception {
    fed.close();
  }

  private JsonObject get(String path, String token) throws Exception {
    HttpResponse<String> r = fed.f.get(fed.f.anonymous, path, token);
    assertEquals(200, r.statusCode(), r.body());
    return new JsonObject(r.body());
  }

  @Test
  void page_withoutCredentials_servedWithStrictCspAndNoExternalResource() throws Exception {
    HttpResponse<String> page = fed.f.get(fed.f.anonymous, DashboardRoutes.UI, null);
    assertEquals(200, page.statusCode());
    assertTrue(page.body().contains("Bearer token"));
    assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("").contains("default-src 'none'"));
    assertFalse(page.body().contains("http://") || page.body().contains("https://"), "no resource from elsewhere");
    HttpResponse<String> js = fed.f.get(fed.f.anonymous, DashboardRoutes.UI + "dashboard.js", null);
    assertEquals(200, js.statusCode());
    assertTrue(js.headers().firstValue("Content-Type").orElse("").startsWith("text/javascript"));
    assertEquals(404, fed.f.get(fed.f.anonymous, DashboardRoutes.UI + "secret.txt", null).statusCode());
  }

  @Test
  void verification_intactThenStoreEdited_reportsTheFindingNamingTheLink() throws Exception {
    JsonObject v = get(DashboardRoutes.LEDGER_VERIFICATION, fed.f.auditorToken);
    assertTrue(v.getBoolean("intact"), v.encodePrettily());
    assertEquals(6, v.getInteger("links"));
    for (String silo : DashboardFederation.SILOS) {
      JsonObject h = v.getJsonObject("holders").getJsonObject(silo);
      assertEquals(h.getDouble("reported_epsilon"), h.getDouble("recomputed_epsilon"));
      assertEquals(8.0, h.getDouble("cap"));
    }
    fed.tamperAndRestart("france", 1);
    JsonObject after = get(DashboardRoutes.LEDGER_VERIFICATION, fed.f.operatorToken);
    assertFalse(after.getBoolean("intact"));
    String findings = after.getJsonArray("findings").encode();
    assertTrue(findings.contains("(france, counter 1, round 1): silo signature invalid"), findings);
    assertTrue(findings.contains("under-reported"), findings);
  }

  @Test
  void lastSeen_afterSilosTalked_listsEachSilo() throws Exception {
    JsonObject seen = get(DashboardRoutes.LAST_SEEN, fed.f.auditorToken).getJsonObject("last_seen");
    assertEquals(java.util.Set.copyOf(DashboardFederation.SILOS), seen.fieldNames());
    assertFalse(seen.containsKey("auditor"), "only silos are listed");
  }

  @Test
  void factsEndpoints_wrongTokenOrSilo_refused() throws Exception {
    for (String path : new String[] {DashboardRoutes.LEDGER_VERIFICATION, DashboardRoutes.LAST_SEEN}) {
      ServiceFixture.assertRefused(fed.f.get(fed.f.anonymous, path, "not-a-token"), 401, "unknown bearer token");
      ServiceFixture.assertRefused(fed.f.get(fed.f.anonymous, path, null), 401, "no client certificate");
    }
  }
}
