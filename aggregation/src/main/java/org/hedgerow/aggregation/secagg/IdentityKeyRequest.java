package org.hedgerow.aggregation.secagg;

import java.util.HexFormat;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.pkcs.Attribute;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;

/**
 * How a silo asks an <em>offline</em> CA to certify its identity key: inside its PKCS#10 certificate
 * request, as two attributes. The standard {@code extensionRequest} attribute carries the extension of
 * {@link CertifiedIdentityKeys} (the 32-byte Ed25519 key), and attribute {@value #PROOF_OID} carries the
 * proof of possession: the identity key's signature over
 * {@link CertifiedIdentityKeys#possessionMessage} of the request's own TLS key. The online enrolment
 * sends the same two values as JSON fields next to the request; offline there is only the file.
 */
public final class IdentityKeyRequest {
  /** {@code 2.25.<UUID 3c1d9a4e-7b52-4f08-a6e3-91d0c5b8f217 as an integer>}: the proof-of-possession attribute. */
  public static final String PROOF_OID = "2.25." + new java.math.BigInteger(1,
      HexFormat.of().parseHex("3c1d9a4e7b524f08a6e391d0c5b8f217"));

  private IdentityKeyRequest() {}

  /** The value of the {@code extensionRequest} attribute asking for {@code identityKey} to be certified. */
  public static ASN1Encodable extensionRequest(byte[] identityKey) {
    try {
      return new Extensions(new Extension(new ASN1ObjectIdentifier(CertifiedIdentityKeys.OID), false,
          CertifiedIdentityKeys.extensionValue(identityKey)));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("cannot encode the identity key request: " + e.getMessage(), e);
    }
  }

  /** The value of the {@value #PROOF_OID} attribute. */
  public static ASN1Encodable proof(byte[] signature) {
    return new DEROctetString(signature);
  }

  /** The identity key a request's attributes ask to certify, or null if they ask for none. */
  public static byte[] identityKeyIn(Attribute[] attributes) {
    for (Attribute a : attributes) {
      if (!a.getAttrType().equals(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest) || a.getAttrValues().size() != 1) {
        continue;
      }
      Extension e = Extensions.getInstance(a.getAttrValues().getObjectAt(0))
          .getExtension(new ASN1ObjectIdentifier(CertifiedIdentityKeys.OID));
      if (e != null) {
        try {
          return ASN1OctetString.getInstance(e.getParsedValue()).getOctets();
        } catch (IllegalArgumentException bad) {
          throw new IllegalArgumentException("the request's identity-key extension is not an OCTET STRING", bad);
        }
      }
    }
    return null;
  }

  /** The proof of possession in a request's attributes, or null if there is none. */
  public static byte[] proofIn(Attribute[] attributes) {
    ASN1ObjectIdentifier oid = new ASN1ObjectIdentifier(PROOF_OID);
    for (Attribute a : attributes) {
      if (a.getAttrType().equals(oid) && a.getAttrValues().size() == 1) {
        try {
          return ASN1OctetString.getInstance(a.getAttrValues().getObjectAt(0)).getOctets();
        } catch (IllegalArgumentException bad) {
          throw new IllegalArgumentException("the request's identity-key proof is not an OCTET STRING", bad);
        }
      }
    }
    return null;
  }
}
