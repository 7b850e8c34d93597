package org.hedgerow.simulations;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import org.hedgerow.coordinator.auth.StateDirectory;
import org.hedgerow.edge.client.ClientCredentials;
import org.hedgerow.edge.client.CoordinatorClient;
import org.hedgerow.edge.client.OperatorApi;

/**
 * A coordinator that is already running (started with {@code hedgerow coordinator start}), as the
 * operator of a simulation sees it: its URL, the federation CA that its HTTPS certificate chains to,
 * and the operator token.
 *
 * <p>Over https:// the simulated silos are enrolled: the operator issues each a one-time token,
 * the silo exchanges it for a client certificate ({@link ClientCredentials#enrol}) and from then on
 * talks mutual TLS. Over http:// (a development coordinator started without {@code --dir}) silos use
 * open registration and no credentials are made; the operator token is optional there.
 */
public final class RemoteCoordinator {
  /** A client id the coordinator accepts (it becomes a certificate CN and a path segment). */
  static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  /** Lifetime of the enrolment tokens simulate issues: they are redeemed seconds later. */
  static final Duration TOKEN_TTL = Duration.ofHours(1);

  private final URI uri;
  private final Path trust;
  private final String operatorToken;
  private final SSLContext trustOnly;

  private RemoteCoordinator(URI uri, Path trust, String operatorToken) {
    this.uri = uri;
    this.trust = trust;
    this.operatorToken = operatorToken;
    this.trustOnly = trust == null ? null : ClientCredentials.trusting(trust);
  }

  /**
   * @param trust the federation CA ({@code STATE/ca.pem}); required for https://, ignored for http://
   * @param operatorTokenFile {@code STATE/operator.token}; required for https://, optional for http://
   * @throws IllegalArgumentException naming the missing or wrong value
   */
  public static RemoteCoordinator of(URI uri, Path trust, Path operatorTokenFile) {
    String scheme = uri.getScheme();
    boolean https = "https".equalsIgnoreCase(scheme);
    if (!https && !"http".equalsIgnoreCase(scheme) || uri.getHost() == null) {
      throw new IllegalArgumentException("--coordinator must be an http:// or https:// URL with a host. Provided "
          + "value: " + uri);
    }
    if (https && trust == null) {
      throw new IllegalArgumentException("an https:// coordinator needs --trust CA.pem (the ca.pem of its state "
          + "directory). Provided --coordinator: " + uri);
    }
    if (https && operatorTokenFile == null) {
      throw new IllegalArgumentException("an https:// coordinator needs --operator-token-file FILE (its state "
          + "directory's operator.token) to enrol the simulated silos. Provided --coordinator: " + uri);
    }
    if (trust != null && !Files.isRegularFile(trust)) {
      throw new IllegalArgumentException("--trust: no such file: " + trust);
    }
    String token = operatorTokenFile == null ? null : StateDirectory.readToken(operatorTokenFile);
    return new RemoteCoordinator(uri, https ? trust : null, token);
  }

  public URI uri() {
    return uri;
  }

  /** True over https://: silos are enrolled and use mutual TLS. */
  public boolean enrols() {
    return trustOnly != null;
  }

  /** The operator's read-only client: follows rounds, downloads each global model, reads the status. */
  public CoordinatorClient operator() {
    return operatorToken == null ? new CoordinatorClient(uri) : CoordinatorClient.operator(uri, trustOnly, operatorToken);
  }

  /**
   * The coordinator client id for a silo: its name when the coordinator accepts it as a client id
   * (every name the bundled partitioners make does), otherwise the name with every other character
   * replaced by '-', cut to 55 characters, plus '-' and 8 hex digits of the name's SHA-256 (so two
   * names that differ only in replaced characters still get different ids).
   */
  public static String clientId(String silo) {
    if (CLIENT_ID.matcher(silo).matches()) {
      return silo;
    }
    String s = silo.replaceAll("[^A-Za-z0-9._-]", "-");
    if (s.isEmpty() || !Character.isLetterOrDigit(s.charAt(0))) {
      s = "s" + s;
    }
    if (s.length() > 55) {
      s = s.substring(0, 55);
    }
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(silo.getBytes(StandardCharsets.UTF_8));
      return s + "-" + HexFormat.of().formatHex(h, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  /**
   * Makes sure client {@code clientId} has credentials in {@code dir}: reuses those already there
   * (a simulation run again, or resumed, after its silos enrolled) or has the operator issue a
   * one-time token and enrols with it. Blocking.
   *
   * @return true if this call enrolled the silo, false if it reused saved credentials
   */
  public boolean ensureEnrolled(String clientId, Path dir) {
    if (Files.exists(dir.resolve(ClientCredentials.CERT))) {
      ClientCredentials saved = ClientCredentials.load(dir);
      if (!clientId.equals(saved.clientId())) {
        throw new IllegalStateException(dir + " holds the credentials of client '" + saved.clientId() + "', not '"
            + clientId + "'; use another --out directory");
      }
      return false;
    }
    ClientCredentials.enrol(uri, trust, issueToken(clientId), dir);
    return true;
  }

  /** A silo's client: mutual TLS with the credentials in {@code dir} over https://, open registration otherwise. */
  CoordinatorClient silo(Path dir) {
    return enrols() ? new CoordinatorClient(uri, 8, ClientCredentials.load(dir)) : new CoordinatorClient(uri);
  }

  /** {@code POST /v1/admin/enrolment-tokens} as the operator: a one-time token for {@code clientId}. */
  private String issueToken(String clientId) {
    try {
      return new OperatorApi(uri, trust, operatorToken).issueEnrolmentToken(clientId, TOKEN_TTL).token();
    } catch (IllegalStateException e) {
      throw new IllegalStateException("could not issue an enrolment token for '" + clientId + "': " + e.getMessage(), e);
    }
  }
}
