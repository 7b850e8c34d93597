package org.hedgerow.coordinator.service;

import io.vertx.ext.web.RoutingContext;
import java.util.List;
import org.hedgerow.aggregation.wire.LedgerJson;
import org.hedgerow.aggregation.wire.SpendJson;
import org.hedgerow.aggregation.wire.SpendsAnswer;
import org.hedgerow.coordinator.AccessControl;
import org.hedgerow.coordinator.Federation;
import org.hedgerow.coordinator.http.RejectedException;
import org.hedgerow.coordinator.ledger.Ledgers;
import org.hedgerow.coordinator.store.CoordinatorStore;
import org.hedgerow.privacy.budget.SignedSpend;
import org.hedgerow.privacy.crypto.Hex;
import org.hedgerow.privacy.ledger.PrivacyLedger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Privacy spends in: {@code POST /v1/spends}; and the ledger out: {@code GET /v1/ledger}. */
final class SpendRoutes {
  private static final Logger log = LoggerFactory.getLogger(SpendRoutes.class);
  /** Largest {@code POST /v1/spends} body: a silo's whole log of a long run is a few hundred bytes per spend. */
  static final long MAX_SPENDS_BODY_BYTES = 64 * 1024;

  private final Federation federation;
  private final CoordinatorStore store;
  private final Callers callers;
  private final RoundDriver driver;
  /** Null in development mode (no ledger key, no ledger route). */
  private final AccessControl access;

  SpendRoutes(Federation federation, CoordinatorStore store, Callers callers, RoundDriver driver, AccessControl access) {
    this.federation = federation;
    this.store = store;
    this.callers = callers;
    this.driver = driver;
    this.access = access;
  }

  /**
   * {@code POST /v1/spends}: a silo's signed spends, checked against its recorded log and stored
   * before the answer {@code {"recorded": n, "next_counter": k}}. Spends already recorded with the same
   * bytes are skipped (a retry is safe); any refusal records nothing.
   */
  void postSpends(RoutingContext ctx) {
    Federation.Client client = callers.participant(ctx);
    if (ctx.body() == null || ctx.body().length() <= 0) {
      throw new RejectedException(400, "expected a JSON body {\"spends\": [...]}");
    }
    if (ctx.body().length() > MAX_SPENDS_BODY_BYTES) { // a router-wide body handler with a larger limit ran first
      throw new RejectedException(413, "request body of " + ctx.body().length() + " bytes is larger than the limit of "
          + MAX_SPENDS_BODY_BYTES + " bytes; post fewer spends at a time");
    }
    List<SignedSpend> batch;
    try {
      batch = SpendJson.parseBatch(ctx.body().asString());
    } catch (IllegalArgumentException e) {
      throw new RejectedException(400, "spends body: " + e.getMessage());
    }
    Federation.PendingSpends p = federation.prepareSpends(client, batch);
    if (p.toStore().isEmpty()) {
      Responses.json(ctx, 200, new SpendsAnswer(0, p.nextCounter()));
      return;
    }
    driver.stored(store.recordSpends(p.toStore())).onComplete(ar -> {
      if (ar.failed()) {
        federation.spendsFailed(p);
        ctx.fail(RoundDriver.storeFailure("the spends of '" + client.id() + "'", ar.cause()));
        return;
      }
      federation.spendsRecorded(p);
      log.atInfo().addKeyValue("event", "spends_recorded").addKeyValue("client", client.id())
          .addKeyValue("recorded", p.toStore().size()).addKeyValue("next_counter", p.nextCounter())
          .log("recorded {} signed spends of '{}'", p.toStore().size(), client.id());
      Responses.json(ctx, 200, new SpendsAnswer(p.toStore().size(), p.nextCounter()));
    });
  }

  /**
   * The privacy ledger as JSON Lines: every spend the coordinator recorded, in order, hash-chained and
   * countersigned with the ledger key. Ed25519 signatures are deterministic, so the same spends always
   * give the same links and head (returned in a header: an auditor who keeps it detects any rewrite).
   */
  void ledger(RoutingContext ctx) {
    PrivacyLedger l = Ledgers.of(federation.ledger(), access.ledgerKey().privateKey());
    ctx.response().putHeader("Content-Type", "application/x-ndjson")
        .putHeader("X-Hedgerow-Ledger-Head", l.head())
        .putHeader("X-Hedgerow-Ledger-Key", Hex.encode(access.ledgerKey().publicKey()))
        .end(LedgerJson.toJsonLines(l.entries()));
  }
}
