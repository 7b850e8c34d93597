package org.hedgerow.edge.client;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.hedgerow.aggregation.wire.EnrolmentTokenAnswer;
import org.hedgerow.aggregation.wire.EnrolmentTokenRequest;
import org.hedgerow.aggregation.wire.ErrorBody;
import org.hedgerow.aggregation.wire.RevokeAnswer;
import org.hedgerow.aggregation.wire.Wire;
import org.hedgerow.aggregation.wire.WireJson;

/**
 * The operator's side of the coordinator's admin API: the one HTTP client that the
 * {@code hedgerow coordinator token|revoke} commands and the simulator's remote mode use. Here, in
 * edge-client, because both the cli and simulations depend on it (and the cli must not depend on
 * simulations for production code, nor the edge client on the coordinator).
 */
public final class OperatorApi {
  private final URI coordinator;
  private final HttpClient http;
  private final String operatorToken;

  /**
   * @param trust the federation CA ({@code STATE/ca.pem}); required for an https:// coordinator, which
   *     is then trusted on that CA alone
   * @param operatorToken the operator's bearer token (the content of {@code STATE/operator.token})
   * @throws IllegalArgumentException naming a wrong URL or a missing CA
   */
  public OperatorApi(URI coordinator, Path trust, String operatorToken) {
    String scheme = coordinator.getScheme();
    if (!"https".equalsIgnoreCase(scheme) && !"http".equalsIgnoreCase(scheme)) {
      throw new IllegalArgumentException("--coordinator must be an http:// or https:// URL. Provided value: "
          + coordinator);
    }
    HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
        .version(HttpClient.Version.HTTP_1_1);
    if ("https".equalsIgnoreCase(scheme)) {
      if (trust == null) {
        throw new IllegalArgumentException("an https:// coordinator needs --trust CA.pem (the ca.pem of its state "
            + "directory)");
      }
      b.sslContext(ClientCredentials.trusting(trust));
    }
    this.coordinator = coordinator;
    this.http = b.build();
    this.operatorToken = operatorToken;
  }

  /** {@code POST /v1/admin/enrolment-tokens}: a one-time enrolment token for {@code clientId}. */
  public EnrolmentTokenAnswer issueEnrolmentToken(String clientId, Duration ttl) {
    String path = Wire.ADMIN_ENROLMENT_TOKENS;
    EnrolmentTokenAnswer a = answer(path, post(path, WireJson.encode(new EnrolmentTokenRequest(clientId,
        ttl == null ? null : ttl.toSeconds())), 201), EnrolmentTokenAnswer.class);
    if (a.token() == null) {
      throw new IllegalStateException("the coordinator's answer to issuing a token for '" + clientId + "' has no token");
    }
    return a;
  }

  /** {@code POST /v1/admin/clients/{id}/revoke}. */
  public RevokeAnswer revoke(String clientId) {
    String path = Wire.revokeClient(clientId);
    return answer(path, post(path, "", 200), RevokeAnswer.class);
  }

  private static <T> T answer(String path, String body, Class<T> type) {
    try {
      return WireJson.decode(body, type);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("coordinator answered " + path + " with an invalid " + type.getSimpleName() + ": "
          + e.getMessage() + ": " + body, e);
    }
  }

  /** POSTs {@code body} to {@code path} as the operator; the answer's text, or an error naming the refusal. */
  private String post(String path, String body, int expectedStatus) {
    HttpRequest req = HttpRequest.newBuilder(coordinator.resolve(path)).timeout(Duration.ofSeconds(30))
        .header("Authorization", "Bearer " + operatorToken).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    HttpResponse<String> r;
    try {
      r = http.send(req, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException("cannot reach the coordinator at " + coordinator + " (" + e + ")", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
    if (r.statusCode() != expectedStatus) {
      String msg;
      try {
        msg = WireJson.decode(r.body(), ErrorBody.class).error();
      } catch (IllegalArgumentException e) {
        msg = null;
      }
      msg = msg != null ? msg : r.body();
      throw new IllegalStateException("coordinator refused " + path + " (" + r.statusCode() + "): " + msg
          + (r.statusCode() == 401 ? " (is the operator token this coordinator's operator.token? it may have been "
          + "rotated)" : ""));
    }
    return r.body();
  }
}
