package org.hedgerow.coordinator.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.hedgerow.aggregation.secagg.IdentityKeyRequest;
import org.hedgerow.coordinator.http.RejectedException;
import org.hedgerow.privacy.crypto.Hex;

/**
 * The federation CA kept on a machine of its own ({@code hedgerow ca init|sign}), so that the coordinator
 * never holds the CA key: it can neither mint client certificates nor certify a substitute identity key.
 * The directory holds {@value #CA} (public: silos and the coordinator need it), {@value #CA_KEY} (0600, in a
 * 0700 directory; the same file names as a coordinator's state, so an online federation's CA can be moved
 * here) and {@value #ISSUED}, one line per certificate signed.
 *
 * <p>Nothing is signed on the request's word alone: a silo's request must name the client id the CA
 * operator expects and prove possession of the identity key it asks to have certified; the
 * coordinator's must name itself and the hosts it serves.
 */
public final class OfflineCa {
  public static final String CA = StateDirectory.CA;
  public static final String CA_KEY = StateDirectory.CA_KEY;
  /** Append-only record of what this CA signed: time, kind, subject, serial, SHA-256, identity key. */
  public static final String ISSUED = "issued.log";

  private final Path dir;
  private final CertificateAuthority ca;

  private OfflineCa(Path dir, CertificateAuthority ca) {
    this.dir = dir;
    this.ca = ca;
  }

  /**
   * Creates a CA in {@code dir} (made 0700; it must not hold a CA yet): key 0600, self-signed certificate
   * valid for {@link CertificateAuthority#CA_VALIDITY}.
   *
   * @return the files written
   */
  public static List<Path> init(Path dir) {
    for (String f : List.of(CA, CA_KEY)) {
      if (Files.exists(dir.resolve(f))) {
        throw new IllegalStateException(dir.resolve(f) + " already exists; refusing to overwrite a CA that may have "
            + "signed certificates. Choose another --dir.");
      }
    }
    CertificateAuthority ca = CertificateAuthority.create("hedgerow federation CA", CertificateAuthority.CA_VALIDITY);
    List<Path> written = new ArrayList<>();
    try {
      SecretFiles.ownerOnlyDirectory(dir);
      written.add(StateDirectory.writeNew(dir.resolve(CA_KEY), Pem.privateKey(ca.keyAndCertificate().key()), true));
      written.add(StateDirectory.writeNew(dir.resolve(CA), Pem.certificate(ca.certificate()), false));
    } catch (FileAlreadyExistsException e) {
      throw new IllegalStateException(e.getFile() + " appeared while creating the CA; refusing to overwrite it", e);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write the CA to " + dir + ": " + e, e);
    }
    return written;
  }

  /** Reads the CA in {@code dir}, refusing a key or directory others can read, or a key that is not the certificate's. */
  public static OfflineCa load(Path dir) {
    if (!Files.isRegularFile(dir.resolve(CA_KEY))) {
      throw new IllegalStateException("no CA key at " + dir.resolve(CA_KEY) + "; create a CA with 'hedgerow ca init --dir "
          + dir + "'");
    }
    SecretFiles.requireOwnerOnly(dir, "the CA's directory");
    SecretFiles.requireOwnerOnly(dir.resolve(CA_KEY), "the federation CA's private key");
    X509Certificate cert = StateDirectory.parse(dir, CA, Pem::readCertificate);
    PrivateKey key = StateDirectory.parse(dir, CA_KEY, Pem::readPrivateKey);
    StateDirectory.checkPair(dir.resolve(CA_KEY), key, dir.resolve(CA), cert);
    return new OfflineCa(dir, new CertificateAuthority(new KeyAndCertificate(key, cert)));
  }

  public X509Certificate certificate() {
    return ca.certificate();
  }

  /**
   * Signs a silo's request made by {@code hedgerow enrol --csr-out}: its self-signature must verify, its
   * subject must be exactly {@code CN=expectedClientId}, and it must carry an identity key with a valid proof
   * of possession ({@link IdentityKeyRequest}). The certificate certifies that identity key.
   *
   * @throws IllegalArgumentException naming what is wrong; nothing is signed
   */
  public X509Certificate signClient(String csrPem, String expectedClientId) {
    try {
      EnrolmentService.checkClientId(expectedClientId);
    } catch (RejectedException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    PKCS10CertificationRequest csr = Pem.readCsr(csrPem);
    CertificateAuthority.verifiedKey(csr);
    String cn = CertificateAuthority.commonName(csr.getSubject());
    if (!expectedClientId.equals(cn) || csr.getSubject().getRDNs().length != 1) {
      throw new IllegalArgumentException("the request's subject is '" + csr.getSubject() + "', not 'CN="
          + expectedClientId + "': refusing to sign a request for another silo than the one you named");
    }
    byte[] identityKey = IdentityKeyRequest.identityKeyIn(csr.getAttributes());
    if (identityKey == null) {
      throw new IllegalArgumentException("the request asks to certify no identity key: secure aggregation needs one "
          + "(make the request with 'hedgerow enrol --csr-out')");
    }
    CertificateAuthority.checkIdentityPossession(csr, identityKey, IdentityKeyRequest.proofIn(csr.getAttributes()));
    X509Certificate cert = ca.signClient(csr, expectedClientId, identityKey, CertificateAuthority.CLIENT_VALIDITY);
    record(cert, "client", Hex.encode(identityKey));
    return cert;
  }

  /**
   * Signs the coordinator's server certificate request ({@code STATE/server.csr} of {@code coordinator init
   * --ca-cert}) for the hosts it names ({@link CertificateAuthority#signServer}).
   */
  public X509Certificate signServer(String csrPem) {
    X509Certificate cert = ca.signServer(Pem.readCsr(csrPem), CertificateAuthority.SERVER_VALIDITY);
    record(cert, "server", "-");
    return cert;
  }

  private void record(X509Certificate cert, String kind, String identityKey) {
    String line = Instant.now() + " " + kind + " CN=" + CertificateAuthority.commonName(cert) + " serial="
        + cert.getSerialNumber().toString(16) + " sha256=" + Fingerprints.sha256(cert) + " identity_key=" + identityKey
        + "\n";
    try {
      Files.writeString(dir.resolve(ISSUED), line, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
          StandardOpenOption.APPEND, StandardOpenOption.SYNC);
    } catch (IOException e) {
      throw new IllegalStateException("cannot record the signed certificate in " + dir.resolve(ISSUED) + ": " + e, e);
    }
  }
}
