package org.hedgerow.coordinator.service;

import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import org.hedgerow.aggregation.wire.DeclineAnswer;
import org.hedgerow.aggregation.wire.DeclineRequest;
import org.hedgerow.aggregation.wire.JoinAnswer;
import org.hedgerow.aggregation.wire.JoinRequest;
import org.hedgerow.coordinator.Federation;
import org.hedgerow.coordinator.auth.Principal;
import org.hedgerow.coordinator.http.RejectedException;
import org.hedgerow.coordinator.secagg.SecureAggregationWorkflow;
import org.hedgerow.coordinator.store.CoordinatorStore;
import org.hedgerow.coordinator.store.StoredDecline;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/clients} (open registration, or an enrolled silo joining) and {@code POST
 * /v1/rounds/{r}/decline} (a silo leaving): who takes part.
 */
final class ClientRoutes {
  private static final Logger log = LoggerFactory.getLogger(ClientRoutes.class);

  private final Federation federation;
  private final CoordinatorStore store;
  private final Callers callers;
  private final RoundDriver driver;
  /** Null when updates are sent in the clear. */
  private final SecureAggregationWorkflow secagg;

  ClientRoutes(Federation federation, CoordinatorStore store, Callers callers, RoundDriver driver,
      SecureAggregationWorkflow secagg) {
    this.federation = federation;
    this.store = store;
    this.callers = callers;
    this.driver = driver;
    this.secagg = secagg;
  }

  void register(RoutingContext ctx) {
    if (callers.serviceMode()) {
      joinAuthenticated(ctx);
      return;
    }
    JoinRequest request = Requests.body(ctx, JoinRequest.class, "registration body");
    byte[] identityKey = identityKey(request); // before registering anyone
    Federation.PendingJoin j = federation.prepareRegister(request.silo(), identityKey, System.currentTimeMillis());
    driver.stored(store.join(j.participant(), j.credential())).onComplete(ar -> {
      if (ar.failed()) {
        federation.joinFailed(j);
        ctx.fail(RoundDriver.storeFailure("the registration of '" + j.client().id() + "'", ar.cause()));
        return;
      }
      federation.joined(j);
      if (secagg != null) {
        secagg.enrol(j.client().id(), identityKey);
      }
      log.info("registered client '{}' ({} of {})", j.client().id(), federation.registeredClients(),
          federation.expectedClients());
      JoinAnswer answer = new JoinAnswer(j.client().id(), j.client().token());
      // Answered once a round this join opens is durable too, so the caller finds it open.
      driver.advance().onComplete(x -> Responses.json(ctx, 201, answer));
    });
  }

  /** Service mode: an enrolled silo, identified by its certificate (or TLS-off bearer token), joins. */
  private void joinAuthenticated(RoutingContext ctx) {
    Principal p = callers.enrolledClient(ctx);
    JoinRequest request = Requests.bodyOr(ctx, JoinRequest.class, "join body", new JoinRequest(null, null));
    byte[] identityKey = identityKey(request);
    join(p.name(), identityKey).onComplete(ar -> {
      if (ar.failed()) {
        ctx.fail(ar.cause());
      } else {
        Responses.json(ctx, 201, new JoinAnswer(ar.result().id(), null));
      }
    });
  }

  /**
   * The Ed25519 identity key of a registration or join (base64 of 32 bytes): required under secure
   * aggregation, optional otherwise (a silo that posts signed spends needs one).
   */
  private byte[] identityKey(JoinRequest request) {
    if (secagg == null && request.identityKey() == null) {
      return null;
    }
    return SecureAggregationWorkflow.parseIdentityKey(request.identityKey());
  }

  /**
   * Lets an enrolled, authenticated client take part (its credential is already in the store).
   * Idempotent: a client that already takes part is simply returned.
   *
   * @param identityKey its Ed25519 identity key under secure aggregation, else null
   */
  private Future<Federation.Client> join(String clientId, byte[] identityKey) {
    Optional<Federation.PendingJoin> pending;
    try {
      pending = federation.prepareJoin(clientId, identityKey, System.currentTimeMillis());
    } catch (RejectedException e) {
      return Future.failedFuture(e);
    }
    if (pending.isEmpty()) {
      return Future.succeededFuture(federation.participant(clientId).orElseThrow());
    }
    Federation.PendingJoin j = pending.get();
    return driver.stored(store.join(j.participant(), null)).transform(ar -> {
      if (ar.failed()) {
        federation.joinFailed(j);
        return Future.failedFuture(RoundDriver.storeFailure("the join of '" + clientId + "'", ar.cause()));
      }
      federation.joined(j);
      if (secagg != null && identityKey != null) {
        secagg.enrol(clientId, identityKey);
      }
      log.info("client '{}' joined ({} of {})", clientId, federation.registeredClients(), federation.expectedClients());
      Federation.Client c = federation.participant(clientId).orElseThrow();
      return driver.advance().transform(x -> Future.succeededFuture(c));
    });
  }

  void decline(RoutingContext ctx) {
    Federation.Client client = callers.participant(ctx);
    int round = Requests.parseInt(ctx.pathParam("round"), "round");
    DeclineRequest request = Requests.body(ctx, DeclineRequest.class, "decline body");
    double epsilon = request.epsilon() == null ? Double.NaN : request.epsilon();
    double cap = request.cap() == null ? Double.NaN : request.cap();
    StoredDecline d = federation.prepareDecline(client, round, request.reason(), epsilon, cap,
        System.currentTimeMillis());
    driver.stored(store.decline(d)).onComplete(ar -> {
      if (ar.failed()) {
        federation.declineFailed(d);
        ctx.fail(RoundDriver.storeFailure("the decline of '" + client.id() + "'", ar.cause()));
        driver.afterWrite();
        return;
      }
      federation.declined(d);
      log.warn("'{}' declined round {} and leaves the federation: {}", client.id(), round, request.reason());
      DeclineAnswer answer = new DeclineAnswer(true, round, federation.activeClients());
      if (!federation.roundComplete() && secagg != null) {
        secagg.clientLeft();
      }
      driver.afterWrite().onComplete(x -> Responses.json(ctx, 200, answer));
    });
  }
}
