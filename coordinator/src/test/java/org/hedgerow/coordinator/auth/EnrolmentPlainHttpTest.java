package org.hedgerow.coordinator.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.hedgerow.aggregation.wire.Wire;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** TLS-off mode (benchmarks, local demos): enrolment hands out a bearer token instead of a certificate. */
class EnrolmentPlainHttpTest {
  private final String operatorToken = Tokens.generate();
  private final String auditorToken = Tokens.generate();
  private final HttpClient http = HttpClient.newHttpClient();
  private final InMemoryCredentialStore store = new InMemoryCredentialStore();
  private Vertx vertx;
  private URI base;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    ClientRegistry registry = ClientRegistry.load(store);
    AuthTestServer server = new AuthTestServer(vertx, new HttpServerOptions(),
        new Authenticator(registry, Tokens.hash(operatorToken), Tokens.hash(auditorToken), true),
        new EnrolmentService(store, registry, null));
    base = URI.create("http://127.0.0.1:" + server.port());
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private HttpResponse<String> send(String method, String path, String bearer, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void enrol_withoutTls_bearerTokenAuthenticatesUntilRevoked() throws Exception {
    HttpResponse<String> r = send("POST", Wire.ADMIN_ENROLMENT_TOKENS, operatorToken,
        new JsonObject().put("client_id", "silo-1").put("ttl_seconds", 600).encode());
    assertEquals(201, r.statusCode(), r.body());
    String token = new JsonObject(r.body()).getString("token");
    r = send("POST", Wire.ENROL, null, new JsonObject().put("token", token).encode());
    assertEquals(201, r.statusCode(), r.body());
    JsonObject e = new JsonObject(r.body());
    assertNull(e.getString("certificate"));
    String bearer = e.getString("token");
    assertFalse(bearer.equals(token));
    assertEquals(new JsonObject().put("role", "CLIENT").put("name", "silo-1"),
        new JsonObject(send("GET", AuthTestServer.WHOAMI, bearer, null).body()));
    assertEquals(Tokens.hash(bearer), store.client("silo-1").orElseThrow().bearerTokenHash());
    assertEquals(200, send("POST", Wire.revokeClient("silo-1"), operatorToken, null).statusCode());
    r = send("GET", AuthTestServer.WHOAMI, bearer, null);
    assertEquals(401, r.statusCode(), r.body());
    assertEquals("client 'silo-1' is revoked", new JsonObject(r.body()).getString("error"));
  }
}
