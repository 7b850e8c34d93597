package org.hedgerow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.hedgerow.coordinator.http.RejectedException;
import org.hedgerow.coordinator.auth.AdminRoutes;
import org.hedgerow.coordinator.auth.Authenticator;
import org.hedgerow.coordinator.auth.ClientRegistry;
import org.hedgerow.coordinator.auth.EnrolmentService;
import org.hedgerow.coordinator.auth.Principal;
import org.hedgerow.coordinator.auth.Role;
import org.hedgerow.coordinator.auth.StateDirectory;
import org.hedgerow.coordinator.auth.TlsServerOptions;
import org.hedgerow.edge.client.ClientCredentials;
import org.hedgerow.edge.client.CoordinatorClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's and the silo's commands against a real HTTPS server built from the state directory
 * (the enrolment routes plus a {@code /v1/whoami} client route): init, token, enrol, mutual TLS with
 * {@link ClientCredentials}, revoke.
 */
class EnrolmentCliTest {
  @TempDir Path tmp;
  private Vertx vertx;

  @AfterEach
  void stop() throws Exception {
    if (vertx != null) {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  /** Serves the admin routes and {@code GET /v1/whoami} over mutual TLS from {@code state}. */
  private URI serve(StateDirectory state) throws Exception {
    vertx = Vertx.vertx();
    org.hedgerow.coordinator.auth.InMemoryCredentialStore store = new org.hedgerow.coordinator.auth.InMemoryCredentialStore();
    ClientRegistry registry = ClientRegistry.load(store);
    Authenticator auth = Authenticator.forTls(state, registry);
    Router router = Router.router(vertx);
    new AdminRoutes(vertx, new EnrolmentService(store, registry, state.ca()), auth).mount(router);
    router.get("/v1/whoami").handler(auth.handler(Role.CLIENT)).handler(ctx -> {
      Principal p = Authenticator.principal(ctx);
      ctx.json(new JsonObject().put("role", p.role().name()).put("name", p.name()));
    });
    router.route().failureHandler(ctx -> {
      int status = ctx.failure() instanceof RejectedException r ? r.status() : 500;
      ctx.response().setStatusCode(status).end(new JsonObject().put("error", String.valueOf(
          ctx.failure() == null ? null : ctx.failure().getMessage())).encode());
    });
    HttpServer server = vertx.createHttpServer(TlsServerOptions.https(state)).requestHandler(router)
        .listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    return URI.create("https://127.0.0.1:" + server.actualPort());
  }

  @Test
  void initTokenEnrolRevoke_endToEnd_siloAuthenticatesByCertificateUntilRevoked() throws Exception {
    Path state = tmp.resolve("state");
    CliRun init = CliRun.of("coordinator", "init", "--dir", state.toString(), "--host", "coord.example.org");
    assertEquals(0, init.exitCode(), init.err());
    assertTrue(init.out().contains(state.resolve("operator.token").toString()), init.out());
    URI base = serve(StateDirectory.load(state));
    String ca = state.resolve("ca.pem").toString();
    String op = state.resolve("operator.token").toString();

    CliRun token = CliRun.of("coordinator", "token", "--coordinator", base.toString(), "--trust", ca,
        "--operator-token-file", op, "--client-id", "silo-1", "--ttl-hours", "1");
    assertEquals(0, token.exitCode(), token.err());
    String t = token.out().strip();
    assertEquals(43, t.length(), token.out());

    Path creds = tmp.resolve("creds");
    Path tokenFile = tmp.resolve("enrol.token");
    Files.writeString(tokenFile, t + "\n");
    CliRun both = CliRun.of("enrol", "--coordinator", base.toString(), "--trust", ca, "--token", t, "--token-file",
        tokenFile.toString(), "--dir", creds.toString());
    assertEquals(2, both.exitCode(), both.err());
    assertTrue(both.err().contains("exactly one of --token-file FILE or --token TOKEN"), both.err());
    // The token from a file: it never appears on the command line.
    CliRun enrol = CliRun.of("enrol", "--coordinator", base.toString(), "--trust", ca, "--token-file",
        tokenFile.toString(), "--dir", creds.toString());
    assertEquals(0, enrol.exitCode(), enrol.err());
    assertTrue(enrol.out().contains("enrolled as 'silo-1'"), enrol.out());
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(creds.resolve("client-key.pem"))));

    ClientCredentials c = ClientCredentials.load(creds);
    assertEquals("silo-1", c.clientId());
    CoordinatorClient client = new CoordinatorClient(base, 1, c.sslContext());
    JsonNode me = client.getJson("/v1/whoami");
    assertEquals("CLIENT", me.get("role").asText());
    assertEquals("silo-1", me.get("name").asText());

    CliRun again = CliRun.of("enrol", "--coordinator", base.toString(), "--trust", ca, "--token", t,
        "--dir", tmp.resolve("creds2").toString());
    assertNotEquals(0, again.exitCode());
    assertTrue(again.err().contains("401") && again.err().contains("already used"), again.err());

    CliRun revoke = CliRun.of("coordinator", "revoke", "--coordinator", base.toString(), "--trust", ca,
        "--operator-token-file", op, "--client-id", "silo-1");
    assertEquals(0, revoke.exitCode(), revoke.err());
    assertTrue(revoke.out().contains("revoked 'silo-1'"), revoke.out());
    CoordinatorClient.RefusedException e = assertThrows(CoordinatorClient.RefusedException.class,
        () -> client.getJson("/v1/whoami"));
    assertEquals(401, e.status());
    assertTrue(e.getMessage().contains("client 'silo-1' is revoked"), e.getMessage());
  }

  @Test
  void clientCredentials_noCertificate_refusedAndAnotherCaNotTrusted() throws Exception {
    Path state = tmp.resolve("state");
    StateDirectory.init(state, java.util.List.of());
    URI base = serve(StateDirectory.load(state));
    HttpClient anonymous = HttpClient.newBuilder().sslContext(ClientCredentials.trusting(state.resolve("ca.pem")))
        .build();
    HttpResponse<String> r = anonymous.send(HttpRequest.newBuilder(base.resolve("/v1/whoami")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(401, r.statusCode(), r.body());
    // A silo that trusts another federation's CA does not talk to this coordinator at all.
    Path other = tmp.resolve("other");
    StateDirectory.init(other, java.util.List.of());
    HttpClient wrongTrust = HttpClient.newBuilder().sslContext(ClientCredentials.trusting(other.resolve("ca.pem")))
        .build();
    assertThrows(java.io.IOException.class, () -> wrongTrust.send(
        HttpRequest.newBuilder(base.resolve("/health")).build(), HttpResponse.BodyHandlers.ofString()));
  }

  @Test
  void init_existingState_exitsNonZeroAndSaysItRefuses() {
    Path state = tmp.resolve("state");
    assertEquals(0, CliRun.of("coordinator", "init", "--dir", state.toString()).exitCode());
    CliRun again = CliRun.of("coordinator", "init", "--dir", state.toString());
    assertNotEquals(0, again.exitCode());
    assertTrue(again.err().contains("refusing to overwrite"), again.err());
  }

  @Test
  void token_wrongOperatorToken_exitsNonZeroNamingTheRefusal() throws Exception {
    Path state = tmp.resolve("state");
    StateDirectory.init(state, java.util.List.of());
    URI base = serve(StateDirectory.load(state));
    CliRun r = CliRun.of("coordinator", "token", "--coordinator", base.toString(), "--trust",
        state.resolve("ca.pem").toString(), "--operator-token-file", state.resolve("auditor.token").toString(),
        "--client-id", "silo-1");
    assertNotEquals(0, r.exitCode());
    assertTrue(r.err().contains("403") && r.err().contains("operator role"), r.err());
  }

  @Test
  void enrol_plainHttpUrl_exitsNonZeroAskingForHttps() throws Exception {
    Path state = tmp.resolve("state");
    StateDirectory.init(state, java.util.List.of());
    CliRun r = CliRun.of("enrol", "--coordinator", "http://127.0.0.1:1", "--trust", state.resolve("ca.pem").toString(),
        "--token", "x", "--dir", tmp.resolve("c").toString());
    assertEquals(2, r.exitCode());
    assertTrue(r.err().contains("https://"), r.err());
  }

  @Test
  void rotateTokens_auditorOnly_newAuditorTokenOperatorKept() throws Exception {
    Path state = tmp.resolve("state");
    assertEquals(0, CliRun.of("coordinator", "init", "--dir", state.toString()).exitCode());
    String op = StateDirectory.readToken(state.resolve("operator.token"));
    String au = StateDirectory.readToken(state.resolve("auditor.token"));
    CliRun r = CliRun.of("coordinator", "rotate-tokens", "--dir", state.toString(), "--auditor");
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().contains("wrote " + state.resolve("auditor.token")), r.out());
    assertEquals(op, StateDirectory.readToken(state.resolve("operator.token")));
    assertTrue(!au.equals(StateDirectory.readToken(state.resolve("auditor.token"))));
    CliRun missing = CliRun.of("coordinator", "rotate-tokens", "--dir", tmp.resolve("nothing").toString());
    assertTrue(missing.exitCode() != 0);
    assertTrue(missing.err().contains("coordinator init"), missing.err());
  }
}
