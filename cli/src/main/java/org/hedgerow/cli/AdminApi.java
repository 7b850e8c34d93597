package org.hedgerow.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.hedgerow.coordinator.auth.StateDirectory;
import org.hedgerow.edge.client.ClientCredentials;

/** The operator's side of the coordinator's admin API, for the {@code hedgerow coordinator} commands. */
final class AdminApi {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI coordinator;
  private final HttpClient http;
  private final String operatorToken;

  /**
   * @param trust the federation CA ({@code STATE/ca.pem}); required for an https:// coordinator, which
   *     is then trusted on that CA alone
   */
  AdminApi(URI coordinator, Path trust, Path operatorTokenFile) {
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
    this.operatorToken = StateDirectory.readToken(operatorTokenFile);
  }

  /** POSTs {@code body} to {@code path} as the operator; the JSON answer, or an error naming the refusal. */
  JsonNode post(String path, String body, int expectedStatus) {
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
    JsonNode answer;
    try {
      answer = JSON.readTree(r.body());
    } catch (IOException e) {
      answer = null;
    }
    if (r.statusCode() != expectedStatus) {
      String msg = answer != null && answer.has("error") ? answer.get("error").asText() : r.body();
      throw new IllegalStateException("coordinator refused (" + r.statusCode() + "): " + msg);
    }
    if (answer == null) {
      throw new IllegalStateException("coordinator answered with invalid JSON: " + r.body());
    }
    return answer;
  }
}
