package org.hedgerow.coordinator.ui;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.hedgerow.aggregation.wire.LedgerReportJson;
import org.hedgerow.coordinator.AccessControl;
import org.hedgerow.coordinator.auth.Role;
import org.hedgerow.coordinator.ledger.Ledgers;
import org.hedgerow.coordinator.store.StoredSpend;
import org.hedgerow.privacy.crypto.Hex;
import org.hedgerow.privacy.ledger.LedgerVerifier;
import org.hedgerow.privacy.ledger.PrivacyLedger;

/**
 * The operator's and auditor's dashboard, mounted on the coordinator's router in service mode:
 * <ul>
 *   <li>{@code GET /ui/} — static page, script and style sheet from this module's resources (no
 *       credentials: they hold no data; a strict Content-Security-Policy allows nothing but this
 *       origin). The page asks for the operator's or auditor's bearer token and reads the JSON API
 *       with it, so it sees exactly what that role may see;</li>
 *   <li>{@code GET /v1/ledger/verification} (operator or auditor) — the served ledger checked by
 *       {@link LedgerVerifier} under the coordinator's own key, in {@code audit verify --json}'s
 *       shape. The chain and countersignatures are the coordinator's own and always hold here; what
 *       this catches is a silo signature or an ε that no longer checks out (a store edited behind the
 *       coordinator's back). An auditor's independent check stays {@code hedgerow audit verify};</li>
 *   <li>{@code GET /v1/admin/last-seen} (operator or auditor) — when each silo last made a
 *       successful request, since this coordinator started.</li>
 * </ul>
 */
public final class DashboardRoutes {
  public static final String UI = "/ui/";
  public static final String LEDGER_VERIFICATION = "/v1/ledger/verification";
  public static final String LAST_SEEN = "/v1/admin/last-seen";
  private static final String RESOURCES = "/org/hedgerow/coordinator/ui/";
  private static final Map<String, String> ASSETS = Map.of("index.html", "text/html; charset=utf-8",
      "dashboard.js", "text/javascript; charset=utf-8", "dashboard.css", "text/css; charset=utf-8");
  static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
      + "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  private final Vertx vertx;
  private final AccessControl access;
  private final Supplier<List<StoredSpend>> ledger;
  private final LastSeen lastSeen;
  private final Map<String, Buffer> assets = new LinkedHashMap<>();
  /** The last verification and the ledger length it covered: the ledger only grows, so equal length, same answer. */
  private volatile Cached cached;

  private record Cached(int links, JsonObject answer) {}

  /**
   * @param ledger the coordinator's recorded spends in ledger order; called on the event loop
   */
  public DashboardRoutes(Vertx vertx, AccessControl access, Supplier<List<StoredSpend>> ledger) {
    this.vertx = vertx;
    this.access = access;
    this.ledger = ledger;
    this.lastSeen = new LastSeen(access.authenticator(), Clock.systemUTC());
    ASSETS.keySet().forEach(name -> assets.put(name, Buffer.buffer(resource(name))));
  }

  /** Mounts the routes; call before the coordinator's other routes so that last-seen sees every request. */
  public DashboardRoutes mount(Router router) {
    router.route().handler(lastSeen::handle);
    // Vert.x matches "/ui" and "/ui/" with one route: the page's relative links need the slash.
    router.get("/ui").handler(ctx -> {
      if (ctx.request().path().endsWith("/")) {
        asset(ctx, "index.html");
      } else {
        ctx.redirect(UI);
      }
    });
    router.get(UI + ":asset").handler(ctx -> asset(ctx, ctx.pathParam("asset")));
    router.get(LEDGER_VERIFICATION).handler(access.authenticator().handler(Role.OPERATOR, Role.AUDITOR))
        .handler(this::verification);
    router.get(LAST_SEEN).handler(access.authenticator().handler(Role.OPERATOR, Role.AUDITOR))
        .handler(ctx -> {
          JsonObject seen = new JsonObject();
          lastSeen.snapshot().forEach((id, at) -> seen.put(id, at.toString()));
          json(ctx, new JsonObject().put("last_seen", seen));
        });
    return this;
  }

  private void asset(RoutingContext ctx, String name) {
    Buffer body = assets.get(name);
    if (body == null) {
      ctx.next(); // the router's 404
      return;
    }
    ctx.response().putHeader("Content-Type", ASSETS.get(name)).putHeader("Content-Security-Policy", CSP)
        .putHeader("X-Content-Type-Options", "nosniff").putHeader("Referrer-Policy", "no-referrer")
        .putHeader("Cache-Control", "no-cache").end(body);
  }

  private void verification(RoutingContext ctx) {
    List<StoredSpend> spends = ledger.get();
    Cached c = cached;
    if (c != null && c.links() == spends.size()) {
      json(ctx, c.answer());
      return;
    }
    // Signing and re-accounting every link is too slow for the event loop on a long ledger.
    vertx.executeBlocking(() -> {
      PrivacyLedger l = Ledgers.of(spends, access.ledgerKey().privateKey());
      LedgerVerifier.Report r = LedgerVerifier.verify(l.entries(), access.ledgerKey().publicKey(), Map.of());
      return new JsonObject(LedgerReportJson.toJson(r).toString())
          .put("coordinator_key", Hex.encode(access.ledgerKey().publicKey()).toLowerCase(java.util.Locale.ROOT))
          .put("checked_at", java.time.Instant.now().toString());
    }, false).onComplete(ar -> {
      if (ar.failed()) {
        ctx.fail(ar.cause());
        return;
      }
      cached = new Cached(spends.size(), ar.result());
      json(ctx, ar.result());
    });
  }

  private static void json(RoutingContext ctx, JsonObject o) {
    ctx.response().putHeader("Content-Type", "application/json").putHeader("Cache-Control", "no-store")
        .end(o.encode());
  }

  private static byte[] resource(String name) {
    try (InputStream in = DashboardRoutes.class.getResourceAsStream(RESOURCES + name)) {
      if (in == null) {
        throw new IllegalStateException("resource " + RESOURCES + name + " is missing from the coordinator's classpath");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read resource " + RESOURCES + name, e);
    }
  }
}
