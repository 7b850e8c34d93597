package org.hedgerow.benchmarks;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.hedgerow.aggregation.secagg.CertifiedIdentityKeys;
import org.hedgerow.aggregation.secagg.VerifiedCertificates;
import org.hedgerow.coordinator.auth.CertificateAuthority;
import org.hedgerow.privacy.crypto.Ed25519;
import org.hedgerow.privacy.crypto.Ed25519KeyPair;
import org.hedgerow.privacy.crypto.Ed25519PublicKey;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a secure-aggregation client pays per peer it checks: an Ed25519 signature (BouncyCastle 1.87)
 * from the encoded key and from an already decoded one, and a peer's client certificate against the
 * federation CA (ECDSA P-256 through the JDK), checked from scratch or found in a silo's
 * {@link VerifiedCertificates}.
 *
 * <p>The JDK's {@code CertificateFactory} keeps the last 750 certificates it parsed (by their bytes)
 * and each keeps its last verification result, so checking one certificate again in the same JVM is
 * nearly free. "From scratch" therefore cycles through {@value #DISTINCT_CERTIFICATES} distinct
 * certificates, as a silo's first round over that many peers would.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SignatureCheckBenchmark {
  static final int DISTINCT_CERTIFICATES = 1024;
  private byte[] publicKey;
  private Ed25519PublicKey decoded;
  private final byte[] message = new byte[140]; // an advertisement's signed bytes are 136
  private byte[] signature;
  private X509Certificate ca;
  private byte[] certificate;
  private byte[][] peers;
  private byte[][] peerKeys;
  private int next;
  private VerifiedCertificates remembered;

  @Setup
  public void setup() throws Exception {
    SecureRandom random = new SecureRandom();
    Ed25519KeyPair identity = Ed25519.generateKeyPair(random);
    publicKey = identity.publicKey();
    decoded = Ed25519PublicKey.decodeOrNull(publicKey);
    random.nextBytes(message);
    signature = Ed25519.sign(identity.privateKey(), message);
    CertificateAuthority authority = CertificateAuthority.create("benchmark CA", Duration.ofDays(1));
    ca = authority.certificate();
    peers = new byte[DISTINCT_CERTIFICATES][];
    peerKeys = new byte[DISTINCT_CERTIFICATES][];
    for (int i = 0; i < DISTINCT_CERTIFICATES; i++) {
      peerKeys[i] = Ed25519.generateKeyPair(random).publicKey();
      peers[i] = issue(authority, i, peerKeys[i]);
    }
    certificate = issue(authority, DISTINCT_CERTIFICATES, publicKey);
    remembered = new VerifiedCertificates(ca);
    CertifiedIdentityKeys.federationCa(remembered).check(1, publicKey, certificate);
  }

  private static byte[] issue(CertificateAuthority authority, int serial, byte[] identityKey) throws Exception {
    Instant now = Instant.now();
    return new JcaX509v3CertificateBuilder(new X500Name("CN=benchmark CA"), BigInteger.valueOf(serial + 1L),
        Date.from(now.minusSeconds(60)), Date.from(now.plus(Duration.ofDays(1))), new X500Name("CN=silo-" + serial),
        CertificateAuthority.newKeyPair().getPublic())
        .addExtension(new ASN1ObjectIdentifier(CertifiedIdentityKeys.OID), false,
            CertifiedIdentityKeys.extensionValue(identityKey))
        .build(new JcaContentSignerBuilder("SHA256withECDSA").build(authority.keyAndCertificate().key())).getEncoded();
  }

  @Benchmark
  public boolean ed25519VerifyEncodedKey() {
    return Ed25519.verify(publicKey, message, signature);
  }

  @Benchmark
  public boolean ed25519VerifyDecodedKey() {
    return decoded.verify(message, signature);
  }

  @Benchmark
  public Object certificateCheckFirstTime() {
    int i = next;
    next = (next + 1) % DISTINCT_CERTIFICATES;
    CertifiedIdentityKeys.federationCa(new VerifiedCertificates(ca)).check(i, peerKeys[i], peers[i]);
    return peers[i];
  }

  @Benchmark
  public Object certificateCheckRemembered() {
    CertifiedIdentityKeys.federationCa(remembered).check(1, publicKey, certificate);
    return certificate;
  }
}
