package org.hedgerow.coordinator.auth;

import java.io.IOException;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * The coordinator's request for a server certificate from an offline CA: subject
 * {@code CN=}{@value CertificateAuthority#SERVER_NAME}, and the host names and IP addresses it serves as
 * a subjectAlternativeName in an {@code extensionRequest}, which {@link CertificateAuthority#signServer}
 * copies into the certificate.
 */
final class ServerCertificateRequest {
  private ServerCertificateRequest() {}

  static PKCS10CertificationRequest create(KeyPair key, Set<String> hosts) {
    List<GeneralName> names = new ArrayList<>();
    for (String h : hosts) {
      if (h == null || h.isBlank() || h.contains(" ") || h.contains("/")) {
        throw new IllegalArgumentException("not a host name or IP address: '" + h + "'");
      }
      String t = h.trim();
      boolean ip = t.matches("[0-9.]+") || t.contains(":");
      names.add(new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, t));
    }
    try {
      Extensions requested = new Extensions(new Extension(Extension.subjectAlternativeName, false,
          new GeneralNames(names.toArray(GeneralName[]::new)).getEncoded()));
      return new JcaPKCS10CertificationRequestBuilder(
          new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, CertificateAuthority.SERVER_NAME).build(),
          key.getPublic())
          .addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, requested)
          .build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate()));
    } catch (IOException | OperatorCreationException e) {
      throw new IllegalStateException("cannot build the server's certificate request: " + e.getMessage(), e);
    }
  }
}
