package org.hedgerow.coordinator.auth;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.hedgerow.coordinator.http.RejectedException;

/**
 * Enrolment of silos: the operator issues a one-time token for a client id; the silo redeems it
 * with a certificate signing request and gets a client certificate signed by the federation CA (or,
 * without TLS, a bearer token). Revocation marks a client so that the {@link Authenticator} refuses it.
 *
 * <p>Every method blocks on the {@link CredentialStore}: call them off the event loop. Each change
 * is written to the store first and then to the {@link ClientRegistry}, so the cache never knows a
 * client the store does not. Refusals are {@link RejectedException}s and change nothing.
 */
public final class EnrolmentService {
  /** Lifetime of an enrolment token when the operator does not choose one. */
  public static final Duration DEFAULT_TOKEN_TTL = Duration.ofHours(24);
  /** Longest lifetime an enrolment token may have. */
  public static final Duration MAX_TOKEN_TTL = Duration.ofDays(30);
  /** Shortest lifetime an enrolment token may have. */
  public static final Duration MIN_TOKEN_TTL = Duration.ofMinutes(1);
  private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  private final CredentialStore store;
  private final ClientRegistry registry;
  private final CertificateAuthority ca;
  private final Duration clientValidity;
  private final Clock clock;
  private final boolean offlineCa;

  /** A token the operator hands to a silo. */
  public record IssuedToken(String clientId, String token, Instant expiresAt) {}

  /**
   * The result of a redeemed token: a certificate and the CA that signed it (TLS), or a bearer
   * token (TLS off; certificate and CA are then null).
   */
  public record Enrolment(String clientId, String certificatePem, String caPem, String bearerToken) {}

  /**
   * @param ca signs client certificates; null when the coordinator runs without TLS (silos then get
   *     bearer tokens)
   * @param clientValidity how long client certificates are valid
   */
  public EnrolmentService(CredentialStore store, ClientRegistry registry, CertificateAuthority ca,
      Duration clientValidity, Clock clock) {
    this.store = store;
    this.registry = registry;
    this.ca = ca;
    this.clientValidity = clientValidity;
    this.clock = clock;
    this.offlineCa = false;
  }

  private EnrolmentService(CredentialStore store, ClientRegistry registry, Clock clock) {
    this.store = store;
    this.registry = registry;
    this.ca = null;
    this.clientValidity = CertificateAuthority.CLIENT_VALIDITY;
    this.clock = clock;
    this.offlineCa = true;
  }

  /**
   * For a coordinator whose CA is offline: it serves mutual TLS but cannot sign, so enrolment tokens and
   * {@code /v1/enrol} are refused ({@link #OFFLINE_ENROLMENT}); silos register by certificate
   * ({@link CertificateRegistration}). Revocation and the client list work as usual.
   */
  public static EnrolmentService withOfflineCa(CredentialStore store, ClientRegistry registry) {
    return new EnrolmentService(store, registry, Clock.systemUTC());
  }

  /** Why a coordinator with an offline CA refuses enrolment, and what to do instead. */
  public static final String OFFLINE_ENROLMENT = "enrolment is offline: this federation's CA key is not on the "
      + "coordinator, which cannot sign certificates. A silo makes a request with 'hedgerow enrol --csr-out FILE "
      + "--client-id ID --dir CREDS', the CA operator signs it with 'hedgerow ca sign', the silo installs it with "
      + "'hedgerow enrol --install-certificate FILE'; the coordinator registers the silo on its first call";

  /** True when the CA is offline (enrolment refused, registration by certificate). */
  public boolean offlineCa() {
    return offlineCa;
  }

  public EnrolmentService(CredentialStore store, ClientRegistry registry, CertificateAuthority ca) {
    this(store, registry, ca, CertificateAuthority.CLIENT_VALIDITY, Clock.systemUTC());
  }

  /** True when silos get certificates (the coordinator serves mutual TLS). */
  public boolean tls() {
    return ca != null || offlineCa;
  }

  /** Issues a one-time enrolment token for {@code clientId}, valid for {@code ttl} (null: the default). */
  public IssuedToken issueToken(String clientId, Duration ttl) {
    refuseIfOffline();
    checkClientId(clientId);
    Duration t = ttl == null ? DEFAULT_TOKEN_TTL : ttl;
    if (t.compareTo(MIN_TOKEN_TTL) < 0 || t.compareTo(MAX_TOKEN_TTL) > 0) {
      throw new RejectedException(400, "ttl_seconds must be between " + MIN_TOKEN_TTL.toSeconds() + " and "
          + MAX_TOKEN_TTL.toSeconds() + ". Provided value: " + t.toSeconds());
    }
    String token = Tokens.generate();
    Instant now = clock.instant();
    Instant expires = now.plus(t);
    store.saveEnrolmentToken(new EnrolmentToken(Tokens.hash(token), clientId, now, expires));
    return new IssuedToken(clientId, token, expires);
  }

  /**
   * Redeems an enrolment token. With TLS, {@code csrPem} must be a PEM PKCS#10 request whose
   * signature verifies; the certificate's subject is {@code CN=<client id>} whatever the CSR says.
   * Without TLS the CSR is ignored and a bearer token returned.
   */
  public Enrolment enrol(String token, String csrPem) {
    return enrol(token, csrPem, null, null);
  }

  /**
   * As above, also certifying the silo's Ed25519 identity key (secure aggregation signs with it) in
   * its client certificate when {@code identityKey} is given, after checking {@code identityProof}
   * (its signature over the CSR's key, see {@code CertifiedIdentityKeys.possessionMessage}). Both
   * null: a certificate without a certified identity key.
   */
  public Enrolment enrol(String token, String csrPem, byte[] identityKey, byte[] identityProof) {
    refuseIfOffline();
    if (token == null || token.isBlank()) {
      throw new RejectedException(400, "missing enrolment 'token'");
    }
    Instant now = clock.instant();
    String tokenHash = Tokens.hash(token.strip());
    // The token first: an unknown caller must not make the coordinator parse and verify a CSR.
    if (!store.enrolmentTokenUsable(tokenHash, now)) {
      throw new RejectedException(401, "enrolment token is unknown, already used or expired");
    }
    PKCS10CertificationRequest csr = null;
    if (ca != null) {
      if (csrPem == null || csrPem.isBlank()) {
        throw new RejectedException(400, "missing 'csr': a PEM certificate signing request for the silo's key");
      }
      try {
        csr = Pem.readCsr(csrPem);
        CertificateAuthority.verifiedKey(csr); // refuse a bad CSR before the token is spent
      } catch (IllegalArgumentException e) {
        throw new RejectedException(400, "csr: " + e.getMessage());
      }
      if (identityKey != null || identityProof != null) {
        try {
          CertificateAuthority.checkIdentityPossession(csr, identityKey, identityProof);
        } catch (IllegalArgumentException e) {
          throw new RejectedException(400, e.getMessage());
        }
      }
    }
    AtomicReference<X509Certificate> cert = new AtomicReference<>();
    AtomicReference<String> bearer = new AtomicReference<>();
    PKCS10CertificationRequest request = csr;
    Optional<EnrolledClient> enrolled = store.redeemEnrolmentToken(tokenHash, now, clientId -> {
      if (request != null) {
        X509Certificate c = ca.signClient(request, clientId, identityKey, clientValidity);
        cert.set(c);
        return new EnrolledClient(clientId, Fingerprints.sha256(c), null, now, null);
      }
      String b = Tokens.generate();
      bearer.set(b);
      return new EnrolledClient(clientId, null, Tokens.hash(b), now, null);
    });
    EnrolledClient client = enrolled.orElseThrow(
        () -> new RejectedException(401, "enrolment token is unknown, already used or expired"));
    registry.put(client);
    if (cert.get() != null) {
      return new Enrolment(client.clientId(), Pem.certificate(cert.get()), Pem.certificate(ca.certificate()), null);
    }
    return new Enrolment(client.clientId(), null, null, bearer.get());
  }

  private void refuseIfOffline() {
    if (offlineCa) {
      throw new RejectedException(403, OFFLINE_ENROLMENT);
    }
  }

  /**
   * Revokes {@code clientId}: from now on its certificate or token is refused.
   *
   * @return the client record and whether this call changed it (false: it already was revoked)
   */
  public Revocation revoke(String clientId) {
    checkClientId(clientId);
    boolean changed = store.revoke(clientId, clock.instant());
    EnrolledClient c = store.client(clientId)
        .orElseThrow(() -> new RejectedException(404, "no enrolled client '" + clientId + "'"));
    registry.put(c);
    return new Revocation(c, changed);
  }

  /** The outcome of {@link #revoke}. */
  public record Revocation(EnrolledClient client, boolean changed) {}

  /** Every enrolled client, revoked ones included. */
  public List<EnrolledClient> clients() {
    return store.clients();
  }

  /**
   * Checks a client id: 1 to 64 characters, letters, digits, '.', '_' and '-', starting with a
   * letter or digit (it becomes a certificate CN and a path segment).
   */
  public static String checkClientId(String clientId) {
    if (clientId == null || !CLIENT_ID.matcher(clientId).matches()) {
      throw new RejectedException(400, "client_id must match " + CLIENT_ID.pattern() + ". Provided value: "
          + (clientId == null ? "none" : "'" + abbreviate(clientId) + "'"));
    }
    return clientId;
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 80) + "…";
  }
}
