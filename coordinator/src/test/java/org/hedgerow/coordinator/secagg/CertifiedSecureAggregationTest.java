package org.hedgerow.coordinator.secagg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.hedgerow.aggregation.model.ModelSpec;
import org.hedgerow.aggregation.secagg.CertifiedIdentityKeys;
import org.hedgerow.aggregation.secagg.ClientRoster;
import org.hedgerow.aggregation.secagg.KeyAdvertisement;
import org.hedgerow.aggregation.secagg.KeyDirectory;
import org.hedgerow.aggregation.secagg.ProtocolViolationException;
import org.hedgerow.aggregation.secagg.SecAggClient;
import org.hedgerow.aggregation.secagg.SecAggConfig;
import org.hedgerow.aggregation.secagg.SecureSumEncoding;
import org.hedgerow.aggregation.secagg.ShareBundle;
import org.hedgerow.aggregation.secagg.SurvivorSignatures;
import org.hedgerow.aggregation.secagg.UnmaskRequest;
import org.hedgerow.aggregation.strategy.FedAvg;
import org.hedgerow.aggregation.strategy.FitConfig;
import org.hedgerow.aggregation.wire.ParameterCodec;
import org.hedgerow.aggregation.wire.SecAggSession;
import org.hedgerow.aggregation.wire.SecureAggregationTerms;
import org.hedgerow.aggregation.wire.Wire;
import org.hedgerow.aggregation.wire.WireJson;
import org.hedgerow.coordinator.AccessControl;
import org.hedgerow.coordinator.CoordinatorOptions;
import org.hedgerow.coordinator.service.CoordinatorVerticle;
import org.hedgerow.coordinator.assembly.CoordinatorBuilder;
import org.hedgerow.coordinator.assembly.FederationConfig;
import org.hedgerow.aggregation.strategy.AggregatorSpec;
import org.hedgerow.coordinator.auth.OfflineCa;
import org.hedgerow.coordinator.auth.Pem;
import org.hedgerow.coordinator.auth.StateDirectory;
import org.hedgerow.coordinator.auth.TestCerts;
import org.hedgerow.coordinator.store.JdbcCoordinatorStore;
import org.hedgerow.coordinator.store.StoreLocation;
import org.hedgerow.privacy.crypto.Ed25519;
import org.hedgerow.privacy.crypto.Ed25519KeyPair;
import org.hedgerow.privacy.crypto.X25519;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secure aggregation in service mode with identity keys certified at enrolment: silos enrol over
 * HTTPS with a CSR and a proof of possession of their Ed25519 key, join over mutual TLS, and check
 * every key of the session against the federation CA with {@link CertifiedIdentityKeys}. The
 * coordinator is real; where it plays a malicious coordinator, the test alters what it relays.
 */
class CertifiedSecureAggregationTest {
  private static final ModelSpec SPEC = new ModelSpec("certified", List.of(2, 2, 1), "relu", "sigmoid", 0,
      "binary-cross-entropy", 1e-3);
  private static final SecureRandom RANDOM = new SecureRandom();

  @TempDir
  Path dir;
  private Vertx vertx;
  private JdbcCoordinatorStore store;
  private URI base;
  private X509Certificate ca;
  private HttpClient anonymous;
  private String operatorToken;
  private String auditorToken;

  /** An enrolled silo and its protocol state. */
  private static final class Silo {
    final String id;
    final Ed25519KeyPair identity;
    X509Certificate certificate;
    HttpClient http;
    String session;
    int round = 1;
    SecAggClient client;
    SecureSumEncoding encoding;

    Silo(String id) {
      this(id, Ed25519.generateKeyPair(RANDOM));
    }

    Silo(String id, Ed25519KeyPair identity) {
      this.id = id;
      this.identity = identity;
    }
  }

  private void start(int clients) throws Exception {
    StateDirectory.init(dir, List.of());
    serve(dir, clients);
  }

  /**
   * A coordinator whose CA is offline: the CA in {@code dir/ca} signs the server certificate; the
   * coordinator's state {@code dir/state} holds only the CA certificate.
   */
  private OfflineCa startWithOfflineCa(int clients) throws Exception {
    OfflineCa.init(dir.resolve("ca"));
    OfflineCa offline = OfflineCa.load(dir.resolve("ca"));
    Path state = dir.resolve("state");
    StateDirectory.initWithOfflineCa(state, dir.resolve("ca").resolve(OfflineCa.CA), List.of());
    java.nio.file.Files.writeString(state.resolve(StateDirectory.SERVER), Pem.certificate(
        offline.signServer(java.nio.file.Files.readString(state.resolve(StateDirectory.SERVER_CSR)))));
    serve(state, clients);
    return offline;
  }

  private AccessControl access;

  private void serve(Path stateDir, int clients) throws Exception {
    operatorToken = StateDirectory.readToken(stateDir.resolve(StateDirectory.OPERATOR_TOKEN));
    auditorToken = StateDirectory.readToken(stateDir.resolve(StateDirectory.AUDITOR_TOKEN));
    store = JdbcCoordinatorStore.open(StoreLocation.sqlite(stateDir.resolve("coordinator.db")));
    access = AccessControl.load(stateDir, store, true);
    ca = access.state().caCertificate();
    SecureAggregationOptions sa = SecureAggregationOptions.of("secagg", 60_000).withDeadlines(60_000, 2_000);
    CoordinatorVerticle verticle = CoordinatorBuilder.of(FederationConfig.plain(SPEC, 1, 1, new FitConfig(1, 8, 1),
        AggregatorSpec.DEFAULT).withSecureAggregation(sa)).clients(clients, null).store(store).access(access).build();
    vertx = Vertx.vertx();
    vertx.deployVerticle(verticle).await(10, TimeUnit.SECONDS);
    base = URI.create("https://127.0.0.1:" + verticle.port());
    anonymous = http(TestCerts.context(ca, null, null));
  }

  @AfterEach
  void stop() throws Exception {
    if (vertx != null) {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
    if (store != null) {
      store.close();
    }
  }

  private static HttpClient http(SSLContext ctx) {
    return HttpClient.newBuilder().sslContext(ctx).version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(30)).build(); // a shared, loaded test machine
  }

  private HttpResponse<byte[]> send(HttpClient c, String method, String path, String bearer, byte[] body)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    return c.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static String text(HttpResponse<byte[]> r) {
    return new String(r.body());
  }

  /**
   * Enrols {@code s}: token from the operator, CSR for a new TLS key, and (if {@code certify}) the
   * identity key with its proof of possession ({@code proofKey} signs it; normally the identity itself).
   */
  private HttpResponse<byte[]> enrol(Silo s, boolean certify, Ed25519KeyPair proofKey) throws Exception {
    HttpResponse<byte[]> t = send(anonymous, "POST", Wire.ADMIN_ENROLMENT_TOKENS, operatorToken,
        new JsonObject().put("client_id", s.id).encode().getBytes());
    assertEquals(201, t.statusCode(), text(t));
    KeyPair tls = org.hedgerow.coordinator.auth.CertificateAuthority.newKeyPair();
    JsonObject body = new JsonObject().put("token", new JsonObject(text(t)).getString("token"))
        .put("csr", Pem.csr(TestCerts.csr(tls, "whatever")));
    if (certify) {
      byte[] proof = Ed25519.sign(proofKey.privateKey(), CertifiedIdentityKeys.possessionMessage(tls.getPublic().getEncoded()));
      body.put("identity_key", Base64.getEncoder().encodeToString(s.identity.publicKey()))
          .put("identity_proof", Base64.getEncoder().encodeToString(proof));
    }
    HttpResponse<byte[]> r = send(anonymous, "POST", Wire.ENROL, null, body.encode().getBytes());
    if (r.statusCode() == 201) {
      s.certificate = Pem.readCertificate(new JsonObject(text(r)).getString("certificate"));
      s.http = http(TestCerts.context(ca, tls.getPrivate(), s.certificate));
    }
    return r;
  }

  /** Enrols {@code s} through the offline CA (request, checked and signed there); no coordinator involved. */
  private void enrolOffline(OfflineCa offline, Silo s) throws Exception {
    KeyPair tls = org.hedgerow.coordinator.auth.CertificateAuthority.newKeyPair();
    s.certificate = offline.signClient(TestCerts.offlineRequest(s.id, tls, s.identity), s.id);
    s.http = http(TestCerts.context(ca, tls.getPrivate(), s.certificate));
  }

  private List<Silo> enrolAndJoin(String... ids) throws Exception {
    List<Silo> silos = new ArrayList<>();
    for (String id : ids) {
      Silo s = new Silo(id);
      assertEquals(201, enrol(s, true, s.identity).statusCode());
      silos.add(s);
    }
    for (Silo s : silos) {
      join(s, s.identity);
    }
    return silos;
  }

  private void join(Silo s, Ed25519KeyPair key) throws Exception {
    HttpResponse<byte[]> r = send(s.http, "POST", Wire.CLIENTS, null, new JsonObject()
        .put("identity_key", Base64.getEncoder().encodeToString(key.publicKey())).encode().getBytes());
    assertEquals(201, r.statusCode(), text(r));
  }

  /** Advertise-keys GET: the session, this silo's index and the roster (keys as the coordinator lists them). */
  private SecAggSession session(Silo s) throws Exception {
    HttpResponse<byte[]> r = send(s.http, "GET", Wire.secAgg(1, SecureAggregationWorkflow.ADVERTISE_KEYS), null, null);
    assertEquals(200, r.statusCode(), text(r));
    return WireJson.decode(text(r), SecAggSession.class);
  }

  /** Builds {@code s}'s client from the session, over {@code roster} (normally the coordinator's). */
  private void prepare(Silo s, SecAggSession session, List<byte[]> roster) {
    SecureAggregationTerms t = session.terms();
    s.session = t.session();
    SecAggConfig c = SecAggConfig.builder(t.numClients(), session.dimension())
        .roundId(SecAggConfig.sessionRoundId(1, s.session)).graphRound(1).neighbours(t.neighbours())
        .threshold(t.threshold()).build();
    s.encoding = new SecureSumEncoding(t.clip(), t.bits(), t.weightCap());
    s.client = new SecAggClient(c, session.clientIndex(), s.identity, new ClientRoster(roster),
        CertifiedIdentityKeys.federationCa(ca));
  }

  private static List<byte[]> roster(SecAggSession session) {
    List<byte[]> keys = new ArrayList<>();
    session.roster().forEach(k -> keys.add(Base64.getDecoder().decode(k)));
    return keys;
  }

  private HttpResponse<byte[]> post(Silo s, String stage, byte[] message) throws Exception {
    return send(s.http, "POST", Wire.secAgg(1, stage), null, message);
  }

  private byte[] await(Silo s, String stage) throws Exception {
    for (int i = 0; i < 20; i++) {
      HttpResponse<byte[]> r = send(s.http, "GET", Wire.secAgg(1, stage), null, null);
      if (r.statusCode() == 200) {
        return r.body();
      }
      assertEquals(204, r.statusCode(), text(r));
    }
    throw new AssertionError(stage + " never became ready");
  }

  private JsonObject status() throws Exception {
    return new JsonObject(text(send(anonymous, "GET", Wire.STATUS, auditorToken, null)));
  }

  private float[] model() throws Exception {
    return ParameterCodec.decode(send(anonymous, "GET", Wire.MODEL_PARAMETERS, auditorToken, null).body(),
        SPEC.parameterCount());
  }

  private JsonObject awaitRoundEnd() throws Exception {
    long deadline = System.nanoTime() + 20_000_000_000L;
    JsonObject st = status();
    while (st.getInteger("completed_rounds") + st.getInteger("aborted_rounds") < 1 && System.nanoTime() < deadline) {
      Thread.sleep(50);
      st = status();
    }
    return st;
  }

  @Test
  void secureRound_siloCertifiedIdentityKeys_directoryCarriesTheirCertificatesAndTheRoundCompletes() throws Exception {
    start(3);
    List<Silo> silos = enrolAndJoin("shop-a", "shop-b", "shop-c");
    for (Silo s : silos) {
      assertArrayEquals(s.identity.publicKey(), CertifiedIdentityKeys.identityKeyOf(s.certificate));
      SecAggSession session = session(s);
      prepare(s, session, roster(session));
      assertEquals(202, post(s, "advertise-keys", s.client.advertiseKeys().toBytes()).statusCode());
    }
    for (Silo s : silos) {
      KeyDirectory d = KeyDirectory.fromBytes(await(s, "share-keys"));
      assertEquals(3, d.credentials().size()); // each silo's client certificate, captured from its TLS connection
      assertEquals(202, post(s, "share-keys", s.client.shareKeys(d).toBytes()).statusCode());
    }
    int parameters = SPEC.parameterCount();
    float[] before = model();
    for (Silo s : silos) {
      float[] delta = new float[parameters];
      java.util.Arrays.fill(delta, 0.25f);
      ShareBundle b = ShareBundle.fromBytes(await(s, "masked-input"));
      assertEquals(202, post(s, "masked-input", s.client.maskInput(b, s.encoding.encode(delta, 10)).toBytes()).statusCode());
    }
    for (Silo s : silos) {
      UnmaskRequest list = UnmaskRequest.fromBytes(await(s, "consistency"));
      assertEquals(202, post(s, "consistency", s.client.confirmSurvivors(list).toBytes()).statusCode());
    }
    for (Silo s : silos) {
      SurvivorSignatures sigs = SurvivorSignatures.fromBytes(await(s, "unmask"));
      assertEquals(202, post(s, "unmask", s.client.unmask(sigs).toBytes()).statusCode());
    }
    JsonObject st = awaitRoundEnd();
    assertEquals(1, st.getInteger("completed_rounds"), st.encode());
    float[] after = model();
    for (int i = 0; i < after.length; i++) { // quantisation error here is far below 1e-4
      assertEquals(before[i] + 0.25, after[i], 1e-4, "parameter " + i + " must move by the mean delta 0.25");
    }
  }

  @Test
  void secureRound_coordinatorSubstitutesAKey_siloRefusesAndTheRoundUnmasksNothing() throws Exception {
    start(3);
    List<Silo> silos = enrolAndJoin("shop-a", "shop-b", "shop-c");
    Silo victim = silos.get(0);
    // The coordinator lists a key of its own for shop-b in the victim's roster and signs shop-b's
    // advertisement with it; it can only relay shop-b's real certificate, which certifies another key.
    Ed25519KeyPair mallory = Ed25519.generateKeyPair(RANDOM);
    SecAggSession session = session(victim);
    List<byte[]> substituted = roster(session);
    substituted.set(1, mallory.publicKey());
    prepare(victim, session, substituted);
    for (Silo s : silos.subList(1, 3)) {
      SecAggSession own = session(s);
      prepare(s, own, roster(own));
    }
    for (Silo s : silos) {
      assertEquals(202, post(s, "advertise-keys", s.client.advertiseKeys().toBytes()).statusCode());
    }
    KeyDirectory real = KeyDirectory.fromBytes(await(victim, "share-keys"));
    List<KeyAdvertisement> ads = new ArrayList<>(real.advertisements());
    long protocolRound = SecAggConfig.sessionRoundId(1, victim.session);
    ads.set(1, KeyAdvertisement.sign(protocolRound, 1, X25519.generateKeyPair(RANDOM).publicKey(),
        X25519.generateKeyPair(RANDOM).publicKey(), new byte[32], mallory.privateKey()));
    KeyDirectory forged = new KeyDirectory(real.roundId(), ads, real.credentials());

    ProtocolViolationException e = assertThrows(ProtocolViolationException.class, () -> victim.client.shareKeys(forged));
    assertTrue(e.getMessage().contains("identity key of client 1 ('shop-b')") && e.getMessage().contains("key substitution"),
        e.getMessage());
    // The victim shares nothing; the other two cannot reach the threshold without it, and nothing is unmasked.
    float[] before = model();
    for (Silo s : silos.subList(1, 3)) {
      assertEquals(202, post(s, "share-keys", s.client.shareKeys(KeyDirectory.fromBytes(await(s, "share-keys")))
          .toBytes()).statusCode());
    }
    JsonObject st = awaitRoundEnd();
    assertEquals(0, st.getInteger("completed_rounds"), st.encode());
    assertEquals(1, st.getInteger("aborted_rounds"), st.encode());
    assertArrayEquals(before, model());
  }

  /**
   * The same attack on a coordinator that never held the CA key, with the best certificate it can make
   * for its key: one signed with its server key (the only private key in its state directory). The
   * silos registered on their first call; online enrolment is refused.
   */
  @Test
  void secureRound_offlineCaCoordinatorSubstitutesAKeyWithAForgedCertificate_siloRefusesAndNothingIsUnmasked()
      throws Exception {
    OfflineCa offline = startWithOfflineCa(3);
    HttpResponse<byte[]> enrolment = send(anonymous, "POST", Wire.ENROL, null, "{\"token\": \"t\"}".getBytes());
    assertEquals(403, enrolment.statusCode(), text(enrolment));
    assertTrue(text(enrolment).contains("enrolment is offline"), text(enrolment));
    List<Silo> silos = new ArrayList<>();
    for (String id : List.of("shop-a", "shop-b", "shop-c")) {
      Silo s = new Silo(id);
      enrolOffline(offline, s);
      join(s, s.identity); // registers it by its certificate, then joins
      silos.add(s);
    }
    assertEquals(3, access.registry().all().size());
    Silo victim = silos.get(0);
    Ed25519KeyPair mallory = Ed25519.generateKeyPair(RANDOM);
    SecAggSession session = session(victim);
    List<byte[]> substituted = roster(session);
    substituted.set(1, mallory.publicKey());
    prepare(victim, session, substituted);
    for (Silo s : silos.subList(1, 3)) {
      SecAggSession own = session(s);
      prepare(s, own, roster(own));
    }
    for (Silo s : silos) {
      assertEquals(202, post(s, "advertise-keys", s.client.advertiseKeys().toBytes()).statusCode());
    }
    KeyDirectory real = KeyDirectory.fromBytes(await(victim, "share-keys"));
    List<KeyAdvertisement> ads = new ArrayList<>(real.advertisements());
    long protocolRound = SecAggConfig.sessionRoundId(1, victim.session);
    ads.set(1, KeyAdvertisement.sign(protocolRound, 1, X25519.generateKeyPair(RANDOM).publicKey(),
        X25519.generateKeyPair(RANDOM).publicKey(), new byte[32], mallory.privateKey()));
    List<byte[]> credentials = new ArrayList<>(real.credentials());
    credentials.set(1, TestCerts.forgedClientCertificate(ca.getSubjectX500Principal().getName(),
        access.state().server().key(), "shop-b", org.hedgerow.coordinator.auth.CertificateAuthority.newKeyPair(),
        mallory.publicKey()).getEncoded());
    KeyDirectory forged = new KeyDirectory(real.roundId(), ads, credentials);

    ProtocolViolationException e = assertThrows(ProtocolViolationException.class, () -> victim.client.shareKeys(forged));
    assertTrue(e.getMessage().contains("not signed by the federation CA"), e.getMessage());
    float[] before = model();
    for (Silo s : silos.subList(1, 3)) {
      assertEquals(202, post(s, "share-keys", s.client.shareKeys(KeyDirectory.fromBytes(await(s, "share-keys")))
          .toBytes()).statusCode());
    }
    JsonObject st = awaitRoundEnd();
    assertEquals(0, st.getInteger("completed_rounds"), st.encode());
    assertEquals(1, st.getInteger("aborted_rounds"), st.encode());
    assertArrayEquals(before, model());
  }

  @Test
  void enrolAndAdvertise_uncertifiedOrMismatchedIdentityKeys_refusedNamingTheFix() throws Exception {
    start(3);
    // A proof made with another key than the one to be certified: 400, the token stays usable.
    Silo liar = new Silo("shop-x");
    HttpResponse<byte[]> bad = enrol(liar, true, Ed25519.generateKeyPair(RANDOM));
    assertEquals(400, bad.statusCode(), text(bad));
    assertTrue(text(bad).contains("identity_proof"), text(bad));

    Silo honest = new Silo("shop-a");
    assertEquals(201, enrol(honest, true, honest.identity).statusCode());
    Silo legacy = new Silo("shop-b"); // enrolled without an identity key, as before this change
    assertEquals(201, enrol(legacy, false, null).statusCode());
    assertEquals(null, CertifiedIdentityKeys.identityKeyOf(legacy.certificate));
    Silo switched = new Silo("shop-c"); // joins with another key than the one its certificate certifies
    assertEquals(201, enrol(switched, true, switched.identity).statusCode());
    Silo asJoined = new Silo("shop-c", Ed25519.generateKeyPair(RANDOM)); // the same silo, signing with the other key
    asJoined.http = switched.http;
    join(honest, honest.identity);
    join(legacy, legacy.identity);
    join(asJoined, asJoined.identity);

    for (Silo s : List.of(honest, legacy, asJoined)) {
      SecAggSession session = session(s);
      prepare(s, session, roster(session));
    }
    assertEquals(202, post(honest, "advertise-keys", honest.client.advertiseKeys().toBytes()).statusCode());
    HttpResponse<byte[]> old = post(legacy, "advertise-keys", legacy.client.advertiseKeys().toBytes());
    assertEquals(403, old.statusCode(), text(old));
    assertTrue(text(old).contains("certifies no identity key") && text(old).contains("re-enrol"), text(old));
    HttpResponse<byte[]> other = post(asJoined, "advertise-keys", asJoined.client.advertiseKeys().toBytes());
    assertEquals(403, other.statusCode(), text(other));
    assertTrue(text(other).contains("another identity key than the one its certificate certifies"), text(other));
  }
}
