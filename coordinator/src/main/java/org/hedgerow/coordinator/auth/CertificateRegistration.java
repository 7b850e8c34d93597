package org.hedgerow.coordinator.auth;

import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.hedgerow.aggregation.secagg.CertifiedIdentityKeys;
import org.hedgerow.coordinator.http.RejectedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * With an offline CA, a silo is registered by its first mutual-TLS request: the federation CA's signature
 * on its client certificate is the admission (the CA operator checked the silo before signing), so the
 * coordinator records the certificate's fingerprint under its CN, as enrolment would have, and from then on
 * the {@link Authenticator} knows it. A router-wide handler placed before authentication; a certificate
 * already known costs one hash and a map look-up.
 *
 * <p>Admitted: a certificate that chains to the CA (TLS checked it; checked again here), valid now, for TLS
 * client authentication, whose CN is a valid client id and which certifies an identity key. Refused (401):
 * a revoked client id (revocation is permanent in this mode; sign the silo under a new id), and a
 * certificate for a registered id that was issued before that registration (an old certificate cannot
 * push out a renewed one). A certificate for a registered id issued after its registration replaces it
 * (renewal).
 */
public final class CertificateRegistration {
  private static final Logger LOG = LoggerFactory.getLogger(CertificateRegistration.class);
  private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

  private final Vertx vertx;
  private final CredentialStore store;
  private final ClientRegistry registry;
  private final X509Certificate ca;
  private final Clock clock;

  public CertificateRegistration(Vertx vertx, CredentialStore store, ClientRegistry registry, X509Certificate ca,
      Clock clock) {
    this.vertx = vertx;
    this.store = store;
    this.registry = registry;
    this.ca = ca;
    this.clock = clock;
  }

  /** Router handler: registers an unknown CA-signed client certificate off the event loop, then passes on. */
  public void handle(RoutingContext ctx) {
    X509Certificate cert = peerCertificate(ctx);
    if (cert == null || registry.byFingerprint(Fingerprints.sha256(cert)).isPresent()) {
      ctx.next();
      return;
    }
    // The body must wait: later handlers (authentication, then the body handlers) set up reading it.
    if (!ctx.request().isEnded()) {
      ctx.request().pause();
    }
    vertx.executeBlocking(() -> register(cert), false).onComplete(r -> {
      if (r.failed()) {
        ctx.fail(r.cause());
        return;
      }
      ctx.request().resume();
      ctx.next();
    });
  }

  /**
   * Registers {@code cert}'s client (blocking: writes the store). Idempotent: a certificate registered
   * meanwhile is returned as it is.
   *
   * @throws RejectedException 401 naming why the certificate is not admitted
   */
  public synchronized EnrolledClient register(X509Certificate cert) {
    String fingerprint = Fingerprints.sha256(cert);
    EnrolledClient known = registry.byFingerprint(fingerprint).orElse(null);
    if (known != null) {
      return known;
    }
    String clientId = admittedClientId(cert);
    Instant now = clock.instant();
    EnrolledClient existing = registry.byId(clientId).orElse(null);
    if (existing != null && existing.revoked()) {
      throw new RejectedException(401, "client '" + clientId + "' is revoked (with an offline CA revocation is "
          + "permanent: have the CA sign this silo under a new client id)");
    }
    if (existing != null && existing.certificateFingerprint() != null
        && !cert.getNotBefore().toInstant().isAfter(existing.enrolledAt())) {
      throw new RejectedException(401, "client '" + clientId + "' is registered with a certificate newer than this one "
          + "(SHA-256 " + fingerprint + ", issued " + cert.getNotBefore().toInstant() + "): it was superseded");
    }
    // The store records clients through redeemed tokens: a one-time token nobody is ever given, spent at once,
    // keeps the registration in the same transaction as the client record (and leaves its time in the store).
    String tokenHash = Tokens.hash(Tokens.generate());
    store.saveEnrolmentToken(new EnrolmentToken(tokenHash, clientId, now, now.plus(EnrolmentService.MIN_TOKEN_TTL)));
    EnrolledClient client = store.redeemEnrolmentToken(tokenHash, now,
        id -> new EnrolledClient(id, fingerprint, null, now, null))
        .orElseThrow(() -> new IllegalStateException("the store did not record client '" + clientId + "'"));
    registry.put(client);
    LOG.atInfo().addKeyValue("event", existing == null ? "client_registered" : "client_certificate_renewed")
        .addKeyValue("client", clientId).addKeyValue("certificate_sha256", fingerprint)
        .log("registered client '{}' by its certificate from the offline CA", clientId);
    return client;
  }

  private String admittedClientId(X509Certificate cert) {
    try {
      cert.verify(ca.getPublicKey());
      cert.checkValidity(java.util.Date.from(clock.instant()));
    } catch (GeneralSecurityException e) {
      throw new RejectedException(401, "client certificate not valid under the federation CA: " + e.getMessage());
    }
    List<String> usages;
    try {
      usages = cert.getExtendedKeyUsage();
    } catch (CertificateParsingException e) {
      usages = null;
    }
    if (usages == null || !usages.contains(CLIENT_AUTH)) {
      throw new RejectedException(401, "the certificate presented is not a client certificate (no TLS client "
          + "authentication usage)");
    }
    String clientId = CertificateAuthority.commonName(cert);
    try {
      EnrolmentService.checkClientId(clientId);
    } catch (RejectedException e) {
      throw new RejectedException(401, "the client certificate's CN is not a client id: " + e.getMessage());
    }
    if (CertifiedIdentityKeys.identityKeyOf(cert) == null) {
      throw new RejectedException(401, "client certificate of '" + clientId + "' certifies no identity key; "
          + "have the CA sign a request made by 'hedgerow enrol --csr-out'");
    }
    return clientId;
  }

  private static X509Certificate peerCertificate(RoutingContext ctx) {
    if (!ctx.request().isSSL()) {
      return null;
    }
    try {
      List<Certificate> chain = ctx.request().connection().peerCertificates();
      return chain == null || chain.isEmpty() || !(chain.get(0) instanceof X509Certificate x) ? null : x;
    } catch (SSLPeerUnverifiedException e) {
      return null;
    }
  }
}
