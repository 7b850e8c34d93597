package org.hedgerow.edge.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.hedgerow.aggregation.secagg.CertifiedIdentityKeys;
import org.hedgerow.aggregation.secagg.IdentityKeyRequest;
import org.hedgerow.edge.state.SiloState;
import org.hedgerow.privacy.crypto.Ed25519;
import org.hedgerow.privacy.crypto.Ed25519KeyPair;
import org.hedgerow.privacy.crypto.Hex;

/**
 * Enrolment with an offline federation CA, in two steps with the CA operator in between (no coordinator
 * involved): {@link #request} makes the silo's keys and a certificate request that names it and proves
 * possession of its identity key ({@link IdentityKeyRequest}); the CA operator checks and signs it
 * ({@code hedgerow ca sign}); {@link #install} checks the certificate it got back and completes the
 * credentials directory, which {@link ClientCredentials#load} then reads as after an online enrolment.
 */
public final class OfflineEnrolment {
  private OfflineEnrolment() {}

  /**
   * Creates (or keeps) the identity key and a new TLS key in {@code dir} (0700; keys 0600) and returns the
   * PEM certificate request for {@code CN=clientId}. Refuses a directory that already holds a TLS key.
   */
  public static String request(Path dir, String clientId) {
    if (clientId == null || clientId.isBlank()) {
      throw new IllegalArgumentException("the client id is empty");
    }
    for (String f : new String[] {ClientCredentials.KEY, ClientCredentials.CERT}) {
      if (Files.exists(dir.resolve(f))) {
        throw new IllegalStateException(dir.resolve(f) + " already exists; refusing to replace this silo's key. Use "
            + "another directory, or install the certificate for the request made earlier (--install-certificate).");
      }
    }
    Ed25519KeyPair identity = SiloState.loadOrCreateIdentityKey(dir); // creates dir owner-only
    KeyPair kp = ClientCredentials.newKeyPair();
    byte[] proof = Ed25519.sign(identity.privateKey(),
        CertifiedIdentityKeys.possessionMessage(kp.getPublic().getEncoded()));
    PKCS10CertificationRequest csr;
    try {
      csr = new JcaPKCS10CertificationRequestBuilder(
          new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, clientId).build(), kp.getPublic())
          .addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest,
              IdentityKeyRequest.extensionRequest(identity.publicKey()))
          .addAttribute(new org.bouncycastle.asn1.ASN1ObjectIdentifier(IdentityKeyRequest.PROOF_OID),
              IdentityKeyRequest.proof(proof))
          .build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate()));
    } catch (OperatorCreationException e) {
      throw new IllegalStateException("cannot sign the certificate request: " + e.getMessage(), e);
    }
    Path keyFile = dir.resolve(ClientCredentials.KEY);
    try {
      if (keyFile.getFileSystem().supportedFileAttributeViews().contains("posix")) {
        Files.createFile(keyFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } else {
        Files.createFile(keyFile);
      }
      Files.writeString(keyFile, ClientCredentials.pem(new JcaPKCS8Generator(kp.getPrivate(), null).generate()),
          StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot save the silo's key in " + keyFile + ": " + e, e);
    }
    return ClientCredentials.pem(csr);
  }

  /**
   * Installs the certificate the offline CA signed for the request {@link #request} made in {@code dir}:
   * it must be for this silo's key, signed by the CA in {@code trustCaPem}, and certify this silo's
   * identity key. Writes {@value ClientCredentials#CERT} and {@value ClientCredentials#CA}.
   *
   * @throws IllegalStateException naming what does not match; nothing is written then
   */
  public static ClientCredentials install(Path dir, Path certificateFile, Path trustCaPem) {
    Path keyFile = dir.resolve(ClientCredentials.KEY);
    if (!Files.exists(keyFile)) {
      throw new IllegalStateException("no " + keyFile + ": make the certificate request first with 'hedgerow enrol "
          + "--csr-out FILE --client-id ID --dir " + dir + "'");
    }
    if (Files.exists(dir.resolve(ClientCredentials.CERT))) {
      throw new IllegalStateException(dir.resolve(ClientCredentials.CERT) + " already exists; refusing to overwrite "
          + "this silo's certificate");
    }
    PrivateKey key = ClientCredentials.readPrivateKey(keyFile);
    X509Certificate cert = ClientCredentials.readCertificate(certificateFile);
    X509Certificate ca = ClientCredentials.readCertificate(trustCaPem);
    try {
      cert.verify(ca.getPublicKey());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(certificateFile + " is not signed by the federation CA " + trustCaPem, e);
    }
    ClientCredentials.checkKeyMatches(key, cert, dir); // names both files when the certificate is for another key
    Ed25519KeyPair identity = SiloState.identityKeyIn(dir);
    byte[] certified = CertifiedIdentityKeys.identityKeyOf(cert);
    if (identity == null || certified == null || !Arrays.equals(certified, identity.publicKey())) {
      throw new IllegalStateException(certificateFile + " does not certify this silo's identity key "
          + (identity == null ? "(none in " + dir + ")" : Hex.encode(identity.publicKey())));
    }
    Path caFile = dir.resolve(ClientCredentials.CA);
    if (Files.exists(caFile) && !ClientCredentials.readCertificate(caFile).equals(ca)) {
      throw new IllegalStateException(caFile + " holds another CA than " + trustCaPem);
    }
    try {
      if (!Files.exists(caFile)) {
        Files.writeString(caFile, ClientCredentials.pem(ca), StandardCharsets.UTF_8);
      }
      Files.writeString(dir.resolve(ClientCredentials.CERT), ClientCredentials.pem(cert), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot save the certificate in " + dir + ": " + e, e);
    }
    return ClientCredentials.load(dir);
  }
}
