package org.hedgerow.simulations;

import org.hedgerow.coordinator.assembly.FederationConfig;
import org.hedgerow.coordinator.assembly.CoordinatorBuilder;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.hedgerow.aggregation.model.ModelSpec;
import org.hedgerow.aggregation.strategy.FitConfig;
import org.hedgerow.coordinator.AccessControl;
import org.hedgerow.coordinator.CoordinatorOptions;
import org.hedgerow.coordinator.service.CoordinatorVerticle;
import org.hedgerow.coordinator.auth.StateDirectory;
import org.hedgerow.coordinator.store.CoordinatorStore;
import org.hedgerow.coordinator.store.JdbcCoordinatorStore;
import org.hedgerow.coordinator.store.StoreLocation;
import org.hedgerow.edge.client.ClientCredentials;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Simulation#remote}: the small three-silo federation against a coordinator served as a
 * service (HTTPS, enrolment, mutual TLS, a SQLite store) in this JVM but started separately, the way
 * {@code hedgerow coordinator start --dir} runs it, without {@code --clients}.
 */
class SimulationRemoteTest {
  @TempDir Path tmp;
  private final PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
  private Vertx vertx;
  private CoordinatorStore store;

  @AfterEach
  void stop() throws Exception {
    if (vertx != null) {
      vertx.close().await(30, TimeUnit.SECONDS);
    }
    if (store != null) {
      store.close();
    }
  }

  /** A service-mode coordinator for {@code sc}, waiting for every enrolled silo; its URL. */
  private URI startCoordinator(Scenario sc, Path state) throws Exception {
    StateDirectory.init(state, List.of());
    store = JdbcCoordinatorStore.open(StoreLocation.parse("sqlite:" + tmp.resolve("coordinator.db")));
    AccessControl access = AccessControl.load(state, store, true);
    ModelSpec spec = new Simulation(sc, quiet).modelSpec();
    FederationConfig config = FederationConfig.plain(spec, sc.rounds(), sc.seed(),
        new FitConfig(sc.localEpochs(), sc.batchSize(), sc.seed()), sc.aggregator())
        .withPrivacy(sc.privacy().equals("local") ? CoordinatorOptions.PRIVACY_LOCAL : CoordinatorOptions.PRIVACY_NONE);
    CoordinatorVerticle v = CoordinatorBuilder.of(config).clients(0, 1)
        .maxUploadBytes(4L * spec.parameterCount() + 1024 + (1 << 20)).store(store).access(access).build();
    vertx = Vertx.vertx();
    vertx.deployVerticle(v).await(30, TimeUnit.SECONDS);
    return URI.create("https://127.0.0.1:" + v.port());
  }

  private RemoteCoordinator remote(URI uri, Path state) {
    return RemoteCoordinator.of(uri, state.resolve("ca.pem"), state.resolve("operator.token"));
  }

  @Test
  void remote_httpsEnrolledSilos_everyRoundEvaluatedLikeInProcessAndReportsWritten() throws Exception {
    Scenario sc = SmallFederation.scenario();
    Path state = tmp.resolve("state");
    URI uri = startCoordinator(sc, state);
    Path creds = tmp.resolve("out/credentials");

    SimulationResult r = new Simulation(sc, quiet).remote(SmallFederation.data(), remote(uri, state), creds, false);

    for (String silo : List.of("france", "germany", "iberia")) {
      assertEquals(silo, ClientCredentials.load(creds.resolve(silo)).clientId());
    }
    assertEquals(Set.of("popularity", "repeat", "federated"), r.methods().keySet());
    assertEquals(2, r.rounds().size());
    for (RoundRow row : r.rounds()) {
      assertEquals(3, row.clients());
      assertTrue(row.bytesUp() > 0 && row.bytesDown() > 0, row.toString());
    }
    assertEquals(uri.toString(), r.coordinator());
    // The same seeds, silo names and FedAvg (summing clients in id order): the in-process run's models.
    Simulation.SingleRun local = new Simulation(sc, quiet).federationOnly(SmallFederation.data());
    for (int i = 0; i < 2; i++) {
      assertEquals(local.rounds().get(i).hr10(), r.rounds().get(i).hr10(), 0.0, "round " + (i + 1));
    }

    Path out = tmp.resolve("out");
    Reports.write(r, out);
    JsonNode s = new ObjectMapper().readTree(out.resolve(Reports.SUMMARY).toFile());
    assertEquals(uri.toString(), s.get("coordinator").asText());
    assertTrue(s.at("/methods/federated").has("hr@10"));
    assertEquals(3, Files.readAllLines(out.resolve(Reports.ROUNDS)).size());
    assertTrue(Files.size(out.resolve(Reports.PLOT)) > 1000);

    // The federation is over: a second run is refused up front and says why.
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> new Simulation(sc, quiet).remote(SmallFederation.data(), remote(uri, state), creds, false));
    assertTrue(e.getMessage().contains("already finished"), e.getMessage());
  }

  @Tag("slow")
  @Test
  void remote_localDp_spendsReachTheCoordinatorAndMatchTheSilosBudgets() throws Exception {
    ObjectNode o = new ObjectMapper().createObjectNode();
    o.put("privacy", "local").put("epsilon_cap", 3.0).put("delta", 1e-5);
    Scenario sc = SmallFederation.scenario().with(o, "test");
    Path state = tmp.resolve("state");
    URI uri = startCoordinator(sc, state);

    SimulationResult r = new Simulation(sc, quiet).remote(SmallFederation.data(), remote(uri, state),
        tmp.resolve("credentials"), false);

    assertTrue(r.methods().containsKey("federated-dp"));
    assertFalse(r.methods().containsKey("federated"));
    assertTrue(r.rounds().isEmpty());
    assertEquals(2, r.dpRounds().size());
    PrivacyReport p = r.privacy();
    assertNotNull(p);
    assertEquals(3 * 4, p.spends().size(), "per silo: its two releases and 2 rounds, signed");
    // PrivacyReport.of already refused any silo whose ledger entries differ from its own budget.
    p.holders().forEach((silo, h) -> {
      assertEquals(2, h.rounds(), silo);
      assertTrue(h.epsilon() > 0 && h.epsilon() <= 3.0, silo + " " + h.epsilon());
    });
    Reports.write(r, tmp.resolve("out"));
    assertEquals(1 + 3 * 4, Files.readAllLines(tmp.resolve("out").resolve(Reports.PRIVACY)).size());
  }

  @Test
  void remote_coordinatorServesAnotherModel_refusedBeforeEnrollingAnyone() throws Exception {
    Path state = tmp.resolve("state");
    ObjectNode wider = new ObjectMapper().createObjectNode();
    wider.putArray("hidden").add(32);
    URI uri = startCoordinator(SmallFederation.scenario().with(wider, "test"), state);
    Path creds = tmp.resolve("credentials");
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> new Simulation(
        SmallFederation.scenario(), quiet).remote(SmallFederation.data(), remote(uri, state), creds, false));
    assertTrue(e.getMessage().contains("same --scenario"), e.getMessage());
    assertFalse(Files.exists(creds));
  }

  @Test
  void clientId_validNameKept_otherNamesMappedDistinctAndValid() {
    assertEquals("uk-1", RemoteCoordinator.clientId("uk-1"));
    assertEquals("rest-of-world", RemoteCoordinator.clientId("rest-of-world"));
    String a = RemoteCoordinator.clientId("North America");
    String b = RemoteCoordinator.clientId("North/America");
    assertTrue(a.startsWith("North-America-"), a);
    assertFalse(a.equals(b), a + " " + b);
    for (String id : List.of(a, b, RemoteCoordinator.clientId("_x"), RemoteCoordinator.clientId("é".repeat(100)))) {
      assertTrue(RemoteCoordinator.CLIENT_ID.matcher(id).matches(), id);
    }
  }

  @Test
  void of_httpsWithoutTrustOrToken_refusedNamingTheOption() {
    URI https = URI.create("https://127.0.0.1:8443");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RemoteCoordinator.of(https, null, tmp.resolve("operator.token")));
    assertTrue(e.getMessage().contains("--trust"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> RemoteCoordinator.of(https, tmp.resolve("ca.pem"), null));
    assertTrue(e.getMessage().contains("--operator-token-file"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> RemoteCoordinator.of(URI.create("ftp://h/"), null, null));
    assertTrue(e.getMessage().contains("ftp://h/"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> RemoteCoordinator.of(https, tmp.resolve("nope.pem"), tmp.resolve("operator.token")));
    assertTrue(e.getMessage().contains("nope.pem"), e.getMessage());
  }
}
