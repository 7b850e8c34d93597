package org.hedgerow.edge.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.hedgerow.aggregation.wire.ParameterCodec;
import org.hedgerow.aggregation.wire.Wire;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How {@link CoordinatorClient} identifies itself, against a tiny Vert.x server that records every
 * request's Authorization header and client certificate: an enrolled silo joins by certificate and
 * never sends a bearer token; open registration keeps its token; an operator client sends its token on
 * every call. The coordinator's own side of mutual TLS is tested in the cli module.
 */
class CoordinatorClientTest {
  @TempDir Path tmp;
  private Vertx vertx;
  /** "METHOD PATH auth=<header or none> cert=<CN or none>" per request, in arrival order. */
  private final List<String> seen = new CopyOnWriteArrayList<>();
  /** {@code POST /v1/spends} answers 503 this many times before it records. */
  private final java.util.concurrent.atomic.AtomicInteger spendFailures = new java.util.concurrent.atomic.AtomicInteger();

  @AfterEach
  void stop() throws Exception {
    if (vertx != null) {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void join_withClientCertificate_joinsAndSendsNoBearerHeader() throws Exception {
    Pki pki = new Pki();
    Path creds = pki.clientCredentials("silo-7");
    URI base = serve(pki.serverOptions());
    CoordinatorClient c = new CoordinatorClient(base, 1, ClientCredentials.load(creds).sslContext());
    assertTrue(c.authenticatesByCertificate());

    assertEquals("silo-7", c.join(new byte[] {1, 2, 3}));
    CoordinatorClient.RoundState r = c.round(0);
    assertTrue(r.training());
    assertTrue(r.selected());
    CoordinatorClient.GlobalModel m = c.model(3);
    c.upload(1, m.version(), m.specHash(), 10, new float[] {0.5f, 0f, -1f}, 0.1, 0.2);
    c.decline(2, "budget", 1.0, 2.0);

    assertEquals(List.of(
        "POST /v1/clients auth=none cert=silo-7 body={\"identity_key\":\"AQID\"}",
        "GET /v1/round auth=none cert=silo-7",
        "GET /v1/model/parameters auth=none cert=silo-7",
        "PUT /v1/rounds/1/update auth=none cert=silo-7",
        "POST /v1/rounds/2/decline auth=none cert=silo-7"), seen);
  }

  @Test
  void join_withoutIdentityKey_sendsEmptyObject() throws Exception {
    Pki pki = new Pki();
    URI base = serve(pki.serverOptions());
    CoordinatorClient c = new CoordinatorClient(base, 1,
        ClientCredentials.load(pki.clientCredentials("shop.a_1")).sslContext());
    assertEquals("shop.a_1", c.join(null));
    assertEquals("POST /v1/clients auth=none cert=shop.a_1 body={}", seen.get(0));
  }

  @Test
  void upload_certificateClientBeforeJoin_refusedLocallyNamingJoin() throws Exception {
    Pki pki = new Pki();
    CoordinatorClient c = new CoordinatorClient(URI.create("https://127.0.0.1:1"), 1,
        ClientCredentials.load(pki.clientCredentials("silo-1")).sslContext());
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> c.upload(1, 0, "h", 1, new float[1], 0, 0));
    assertTrue(e.getMessage().contains("join before uploading"), e.getMessage());
    e = assertThrows(IllegalStateException.class, () -> c.register("silo-1"));
    assertTrue(e.getMessage().contains("use join()"), e.getMessage());
  }

  @Test
  void join_openRegistrationClient_refusedNamingRegister() {
    CoordinatorClient c = new CoordinatorClient(URI.create("http://127.0.0.1:1"));
    assertFalse(c.authenticatesByCertificate());
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> c.join(null));
    assertTrue(e.getMessage().contains("register()"), e.getMessage());
  }

  @Test
  void register_openRegistration_keepsItsBearerTokenOnClientCalls() throws Exception {
    URI base = serve(new HttpServerOptions());
    CoordinatorClient c = new CoordinatorClient(base, 1);
    assertEquals("open-1", c.register("shop"));
    c.round(0);
    CoordinatorClient.GlobalModel m = c.model(3);
    c.upload(1, m.version(), m.specHash(), 10, new float[3], 0.1, 0.2);
    assertEquals(List.of(
        "POST /v1/clients auth=none cert=none body={\"silo\":\"shop\"}",
        "GET /v1/round auth=Bearer tok-open cert=none",
        "GET /v1/model/parameters auth=none cert=none",
        "PUT /v1/rounds/1/update auth=Bearer tok-open cert=none"), seen);
  }

  @Test
  void postSpends_retriedAfter503_returnsNextCounterAndUploadNamesTheSpend() throws Exception {
    URI base = serve(new HttpServerOptions());
    CoordinatorClient c = new CoordinatorClient(base, 3);
    c.register("shop", new byte[32]);
    CoordinatorClient.RoundState state = c.round(0);
    assertEquals("local", state.privacy());
    assertTrue(state.declaresLocalDp());
    org.hedgerow.privacy.crypto.Ed25519KeyPair key =
        org.hedgerow.privacy.crypto.Ed25519.generateKeyPair(new SecureRandom());
    org.hedgerow.privacy.budget.PrivacyBudget budget = new org.hedgerow.privacy.budget.PrivacyBudget("shop", 8, 1e-5);
    List<org.hedgerow.privacy.budget.SignedSpend> spends = List.of(
        org.hedgerow.privacy.budget.SignedSpend.sign(budget.chargeGaussianRelease("silo-stats-gaussian", 4), key),
        org.hedgerow.privacy.budget.SignedSpend.sign(budget.spend(1, "dp-sgd-user", 1.5, 0.5, 5, 1.0), key));
    spendFailures.set(1);
    assertEquals(2, c.postSpends(spends));
    c.upload(1, 0, "spec", 10, new float[3], Double.NaN, Double.NaN, 1L);
    List<String> posts = seen.stream().filter(l -> l.startsWith("POST /v1/spends")).toList();
    assertEquals(2, posts.size(), "one 503, one retry: " + seen);
    assertEquals(posts.get(0), posts.get(1), "the retry sends the same body");
    assertTrue(posts.get(1).contains(org.hedgerow.aggregation.wire.SpendJson.batch(spends)), posts.get(1));
    assertEquals("PUT /v1/rounds/1/update auth=Bearer tok-open cert=none counter=1", seen.get(seen.size() - 1));
  }

  @Test
  void operator_everyCall_carriesTheOperatorToken() throws Exception {
    Pki pki = new Pki();
    URI base = serve(pki.serverOptions());
    CoordinatorClient op = CoordinatorClient.operator(base, ClientCredentials.trusting(pki.caFile()), " op-secret\n");
    assertFalse(op.authenticatesByCertificate());
    op.round(0);
    op.model(3);
    op.getJson(Wire.STATUS);
    assertEquals(List.of(
        "GET /v1/round auth=Bearer op-secret cert=none",
        "GET /v1/model/parameters auth=Bearer op-secret cert=none",
        "GET /v1/status auth=Bearer op-secret cert=none"), seen);
  }

  @Test
  void operator_httpsWithoutTrust_refusedNamingTheUrl() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> CoordinatorClient.operator(URI.create("https://coord.example.org:8443"), null, "t"));
    assertTrue(e.getMessage().contains("https://coord.example.org:8443"), e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> CoordinatorClient.operator(URI.create("http://127.0.0.1:1"), null, " "));
  }

  /** Answers the client routes with fixed bodies and records who called. */
  private URI serve(HttpServerOptions options) throws Exception {
    vertx = Vertx.vertx();
    HttpServer server = vertx.createHttpServer(options).requestHandler(req -> req.body().onSuccess(body -> {
      String line = req.method() + " " + req.path() + " auth=" + orNone(req.getHeader("Authorization")) + " cert="
          + orNone(peer(req));
      if (req.path().equals(Wire.CLIENTS) || req.path().equals(Wire.SPENDS)) {
        line += " body=" + body.toString();
      }
      if (req.getHeader(Wire.HEADER_DP_SPEND_COUNTER) != null) {
        line += " counter=" + req.getHeader(Wire.HEADER_DP_SPEND_COUNTER);
      }
      seen.add(line);
      String path = req.path();
      if (path.equals(Wire.CLIENTS)) {
        String cn = peer(req);
        JsonObject a = cn != null ? new JsonObject().put("client_id", cn)
            : new JsonObject().put("client_id", "open-1").put("token", "tok-open");
        req.response().setStatusCode(201).end(a.encode());
      } else if (path.equals(Wire.ROUND)) {
        req.response().end(new JsonObject().put("state", "training").put("round", 1).put("target_rounds", 2)
            .put("model_version", 0).put("selected", true).put("privacy", "local").encode());
      } else if (path.equals(Wire.SPENDS)) {
        if (spendFailures.getAndDecrement() > 0) {
          req.response().setStatusCode(503).end("{\"error\":\"still being stored; retry\"}");
        } else {
          int n = new JsonObject(body.toString()).getJsonArray("spends").size();
          req.response().end(new JsonObject().put("recorded", n).put("next_counter", n).encode());
        }
      } else if (path.equals(Wire.MODEL_PARAMETERS)) {
        req.response().putHeader(Wire.HEADER_MODEL_VERSION, "0").putHeader(Wire.HEADER_SPEC_HASH, "spec")
            .end(Buffer.buffer(ParameterCodec.encode(new float[] {1, 2, 3})));
      } else if (path.endsWith("/update")) {
        req.response().setStatusCode(202).end("{}");
      } else if (path.endsWith("/decline")) {
        req.response().end("{}");
      } else if (path.equals(Wire.STATUS)) {
        req.response().end("{\"completed_rounds\":0}");
      } else {
        req.response().setStatusCode(404).end("{\"error\":\"no route\"}");
      }
    })).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    return URI.create((options.isSsl() ? "https" : "http") + "://127.0.0.1:" + server.actualPort());
  }

  private static String orNone(String s) {
    return s == null ? "none" : s;
  }

  /** The CN of the caller's client certificate, or null if it presented none. */
  private static String peer(HttpServerRequest req) {
    if (!req.isSSL()) {
      return null;
    }
    try {
      var certs = req.connection().sslSession().getPeerCertificates();
      String dn = ((X509Certificate) certs[0]).getSubjectX500Principal().getName();
      return dn.replaceFirst("^CN=", "").replaceFirst(",.*$", "");
    } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
      return null;
    }
  }

  /** A throwaway CA with a server certificate for 127.0.0.1 and client certificates on demand. */
  private final class Pki {
    final KeyPair caKeys = keys();
    final X509Certificate ca = certificate("test-ca", caKeys.getPublic(), caKeys.getPrivate(), "test-ca", true, false);
    final KeyPair serverKeys = keys();
    final X509Certificate server = certificate("127.0.0.1", serverKeys.getPublic(), caKeys.getPrivate(), "test-ca",
        false, true);

    HttpServerOptions serverOptions() throws Exception {
      return new HttpServerOptions().setSsl(true)
          .setKeyCertOptions(new PemKeyCertOptions().setKeyValue(Buffer.buffer(pem(new JcaPKCS8Generator(
              serverKeys.getPrivate(), null).generate()))).setCertValue(Buffer.buffer(pem(server) + pem(ca))))
          .setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(pem(ca))))
          .setClientAuth(ClientAuth.REQUEST);
    }

    Path caFile() throws Exception {
      Path f = tmp.resolve("ca.pem");
      Files.writeString(f, pem(ca));
      return f;
    }

    /** Writes the files {@link ClientCredentials#load} reads for a client named {@code cn}. */
    Path clientCredentials(String cn) throws Exception {
      KeyPair kp = keys();
      Path dir = Files.createDirectories(tmp.resolve("creds-" + cn));
      Files.writeString(dir.resolve(ClientCredentials.KEY), pem(new JcaPKCS8Generator(kp.getPrivate(), null).generate()));
      Files.writeString(dir.resolve(ClientCredentials.CERT),
          pem(certificate(cn, kp.getPublic(), caKeys.getPrivate(), "test-ca", false, false)));
      Files.writeString(dir.resolve(ClientCredentials.CA), pem(ca));
      return dir;
    }
  }

  private static KeyPair keys() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
      return g.generateKeyPair();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static X509Certificate certificate(String cn, PublicKey key, PrivateKey signer, String issuer, boolean ca,
      boolean serverIp) {
    try {
      long now = System.currentTimeMillis();
      var b = new JcaX509v3CertificateBuilder(new X500Name("CN=" + issuer), new BigInteger(64, new SecureRandom()),
          new Date(now - 60_000), new Date(now + 3_600_000), new X500Name("CN=" + cn), key);
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
      if (serverIp) {
        b.addExtension(Extension.subjectAlternativeName, false,
            new GeneralNames(new GeneralName(GeneralName.iPAddress, "127.0.0.1")));
      }
      return new JcaX509CertificateConverter().getCertificate(
          b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String pem(Object o) {
    StringWriter s = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(s)) {
      w.writeObject(o);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
    return s.toString();
  }
}
