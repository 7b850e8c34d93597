package org.hedgerow.coordinator.secagg;

import org.hedgerow.aggregation.strategy.AggregatorSpec;
import org.hedgerow.coordinator.assembly.FederationConfig;
import org.hedgerow.coordinator.assembly.CoordinatorBuilder;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.hedgerow.aggregation.model.ModelSpec;
import org.hedgerow.aggregation.secagg.ClientRoster;
import org.hedgerow.aggregation.secagg.KeyAdvertisement;
import org.hedgerow.aggregation.secagg.KeyDirectory;
import org.hedgerow.aggregation.secagg.MaskedInput;
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
import org.hedgerow.coordinator.CoordinatorOptions;
import org.hedgerow.coordinator.service.CoordinatorVerticle;
import org.hedgerow.privacy.crypto.Ed25519;
import org.hedgerow.privacy.crypto.Ed25519KeyPair;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Secure aggregation through the coordinator over real HTTP on a free loopback port. The clients
 * are test code driving {@link SecAggClient} directly, so every byte they send is known.
 */
class SecureAggregationWorkflowTest {
  private static final ModelSpec SPEC = new ModelSpec("test", List.of(8, 16, 1), "relu", "sigmoid", 0,
      "binary-cross-entropy", 1e-3);
  private static final int N = 5;
  private final HttpClient http = HttpClient.newHttpClient();
  private Vertx vertx;
  private CoordinatorVerticle verticle;
  private URI base;
  private final List<byte[]> received = new CopyOnWriteArrayList<>();

  /** One test client: its identity, token, round state and the exact input it encoded. */
  private final class Party {
    final String silo;
    final Ed25519KeyPair identity = Ed25519.generateKeyPair(new SecureRandom());
    String token;
    int index;
    SecAggClient client;
    SecureSumEncoding encoding;
    float[] delta;
    long weight;
    int[] input;

    Party(String silo) {
      this.silo = silo;
    }
  }

  private List<Party> start(int rounds, long stageMillis) throws Exception {
    vertx = Vertx.vertx();
    FitConfig fit = new FitConfig(1, 8, 1);
    SecureAggregationOptions sa = SecureAggregationOptions.of("secagg", 60_000).withDeadlines(60_000, stageMillis);
    verticle = CoordinatorBuilder.of(FederationConfig.plain(SPEC, rounds, 1, fit, AggregatorSpec.DEFAULT)
        .withSecureAggregation(sa)).clients(N, null).build();
    vertx.deployVerticle(verticle).await(10, TimeUnit.SECONDS);
    verticle.secureAggregation().onReceived((stage, body) -> received.add(body));
    base = URI.create("http://127.0.0.1:" + verticle.port());
    List<Party> parties = new ArrayList<>();
    Random rnd = new Random(3);
    for (int i = 0; i < N; i++) {
      Party p = new Party("silo-" + i);
      HttpResponse<String> r = post(Wire.CLIENTS, null, new JsonObject().put("silo", p.silo)
          .put("identity_key", Base64.getEncoder().encodeToString(p.identity.publicKey())).encode().getBytes());
      assertEquals(201, r.statusCode(), r.body());
      p.token = new JsonObject(r.body()).getString("token");
      p.delta = new float[SPEC.parameterCount()];
      for (int j = 0; j < p.delta.length; j++) {
        p.delta[j] = (float) (rnd.nextGaussian() * 0.05);
      }
      p.delta[0] = 3f; // beyond the clip bound: the encoding clips it to 1
      p.weight = 100 + 250L * i;
      parties.add(p);
    }
    return parties;
  }

  @AfterEach
  void stop() throws Exception {
    if (vertx != null) {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  private HttpResponse<String> post(String path, String token, byte[] body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<byte[]> get(String path, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).GET();
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private byte[] stageGet(Party p, int round, String stage) throws Exception {
    for (int i = 0; i < 10; i++) {
      HttpResponse<byte[]> r = get(Wire.secAgg(round, stage), p.token);
      if (r.statusCode() == 200) {
        return r.body();
      }
      assertEquals(204, r.statusCode(), new String(r.body()));
    }
    throw new AssertionError("stage " + stage + " never became ready");
  }

  private void stagePost(Party p, int round, String stage, byte[] msg) throws Exception {
    HttpResponse<String> r = post(Wire.secAgg(round, stage), p.token, msg);
    assertEquals(202, r.statusCode(), r.body());
  }

  private void join(Party p, int round) throws Exception {
    SecAggSession s = WireJson.decode(stageGet(p, round, SecureAggregationWorkflow.ADVERTISE_KEYS), SecAggSession.class);
    SecureAggregationTerms t = s.terms();
    p.index = s.clientIndex();
    List<byte[]> keys = new ArrayList<>();
    s.roster().forEach(k -> keys.add(Base64.getDecoder().decode(k)));
    SecAggConfig c = SecAggConfig.builder(t.numClients(), s.dimension())
        .roundId(SecAggConfig.sessionRoundId(round, t.session())).graphRound(round)
        .neighbours(t.neighbours()).threshold(t.threshold()).build();
    p.encoding = new SecureSumEncoding(t.clip(), t.bits(), t.weightCap());
    p.client = new SecAggClient(c, p.index, p.identity, new ClientRoster(keys));
    p.input = p.encoding.encode(p.delta, p.weight);
  }

  private float[] model() throws Exception {
    return ParameterCodec.decode(get(Wire.MODEL_PARAMETERS, null).body(), SPEC.parameterCount());
  }

  private int roundNumber() throws Exception {
    return new JsonObject(new String(get(Wire.ROUND, null).body())).getInteger("round");
  }

  /** Runs round 1 with every party; those in {@code dropAtMasking} vanish after sharing keys. */
  private void runRound(List<Party> parties, List<Party> dropAtMasking) throws Exception {
    for (Party p : parties) {
      join(p, 1);
      stagePost(p, 1, "advertise-keys", p.client.advertiseKeys().toBytes());
    }
    for (Party p : parties) {
      KeyDirectory d = KeyDirectory.fromBytes(stageGet(p, 1, "share-keys"));
      stagePost(p, 1, "share-keys", p.client.shareKeys(d).toBytes());
    }
    List<Party> live = new ArrayList<>(parties);
    live.removeAll(dropAtMasking);
    for (Party p : live) {
      ShareBundle b = ShareBundle.fromBytes(stageGet(p, 1, "masked-input"));
      stagePost(p, 1, "masked-input", p.client.maskInput(b, p.input).toBytes());
    }
    for (Party p : live) {
      byte[] list = readyOrNull(p, "consistency");
      if (list == null) {
        return; // aborted: the caller checks
      }
      stagePost(p, 1, "consistency", p.client.confirmSurvivors(UnmaskRequest.fromBytes(list)).toBytes());
    }
    for (Party p : live) {
      byte[] signatures = readyOrNull(p, "unmask");
      if (signatures == null) {
        return;
      }
      stagePost(p, 1, "unmask", p.client.unmask(SurvivorSignatures.fromBytes(signatures)).toBytes());
    }
  }

  /** A stage's answer once ready, or null if the coordinator refused (the round aborted). */
  private byte[] readyOrNull(Party p, String stage) throws Exception {
    HttpResponse<byte[]> r = null;
    for (int i = 0; i < 10 && (r == null || r.statusCode() == 204); i++) {
      r = get(Wire.secAgg(1, stage), p.token);
    }
    return r.statusCode() == 200 ? r.body() : null;
  }

  /** Plain weighted FedAvg of the clipped deltas, and the bound the secure result must meet. */
  private static void assertFedAvg(float[] before, float[] after, List<Party> in) {
    SecureSumEncoding e = in.get(0).encoding;
    double[] sum = new double[before.length];
    long total = 0;
    for (Party p : in) {
      total += p.weight;
      for (int i = 0; i < sum.length; i++) {
        sum[i] += p.weight * Math.max(-e.clip(), Math.min(e.clip(), p.delta[i]));
      }
    }
    double bound = e.meanErrorBound(in.size(), total);
    for (int i = 0; i < sum.length; i++) {
      double expected = before[i] + sum[i] / total;
      double tol = bound + Math.ulp((float) expected); // float32 storage of the model
      assertEquals(expected, after[i], tol, "parameter " + i);
    }
  }

  @Test
  void stageRequest_namingAnotherSession_410StartAgainAndTheRoundJsonNamesTheSession() throws Exception {
    List<Party> parties = start(1, 10_000);
    Party p = parties.get(0);
    SecAggSession session = WireJson.decode(get(Wire.secAgg(1, "advertise-keys"), p.token).body(), SecAggSession.class);
    String id = session.terms().session();
    assertTrue(id != null && id.matches("[0-9a-f]{32}"), session.toString());
    JsonObject round = new JsonObject(new String(get(Wire.ROUND, p.token).body()));
    assertEquals(id, round.getJsonObject("config").getJsonObject("secure_aggregation").getString("session"));
    assertEquals(N, round.getJsonObject("config").getJsonObject("secure_aggregation").getInteger("num_clients"));

    HttpResponse<byte[]> stale = http.send(HttpRequest.newBuilder(base.resolve(Wire.secAgg(1, "share-keys")))
        .header("Authorization", "Bearer " + p.token).header(Wire.HEADER_SECAGG_SESSION, "0123abcd").GET().build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(410, stale.statusCode());
    String error = new JsonObject(new String(stale.body())).getString("error");
    assertTrue(error.contains("0123abcd") && error.contains(id) && error.contains("start again"), error);
    HttpResponse<String> post = http.send(HttpRequest.newBuilder(base.resolve(Wire.secAgg(1, "advertise-keys")))
        .header("Authorization", "Bearer " + p.token).header(Wire.HEADER_SECAGG_SESSION, "0123abcd")
        .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {1, 2, 3})).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(410, post.statusCode(), post.body()); // before the body is even parsed: nothing recorded
  }

  @Test
  void secureRound_fiveClientsOverHttp_modelIsPlaintextFedAvgWithinQuantisationBound() throws Exception {
    List<Party> parties = start(1, 10_000);
    float[] before = model();
    runRound(parties, List.of());
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (new JsonObject(new String(get(Wire.ROUND, null).body())).getString("state").equals("training")
        && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    JsonObject status = new JsonObject(new String(get(Wire.STATUS, null).body()));
    assertEquals(1, status.getInteger("completed_rounds"), status.encode());
    assertEquals(N, status.getJsonArray("history").getJsonObject(0).getInteger("clients"));
    assertFedAvg(before, model(), parties);
  }

  @Test
  void secureRound_everythingTheCoordinatorReceives_neverContainsAnIndividualInput() throws Exception {
    List<Party> parties = start(1, 10_000);
    runRound(parties, List.of());
    assertTrue(received.size() >= 4 * N, "received " + received.size() + " messages");
    for (Party p : parties) {
      // No 16-byte window of any client's quantised input appears in any received byte.
      for (int off = 0; off + 4 <= p.input.length; off += 4) {
        byte[] needle = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putInt(p.input[off])
            .putInt(p.input[off + 1]).putInt(p.input[off + 2]).putInt(p.input[off + 3]).array();
        for (byte[] msg : received) {
          assertTrue(indexOf(msg, needle) < 0, "client " + p.index + "'s input appears in a message to the coordinator");
        }
      }
    }
    // And each masked input it received differs from the client's input almost everywhere.
    for (byte[] msg : received) {
      if (org.hedgerow.aggregation.secagg.SecAggMessage.fromBytes(msg) instanceof MaskedInput y) {
        int[] x = parties.stream().filter(q -> q.index == y.clientId()).findFirst().orElseThrow().input;
        int equal = 0;
        for (int j = 0; j < x.length; j++) {
          equal += y.values()[j] == x[j] ? 1 : 0;
        }
        assertTrue(equal <= 2, "masked input of client " + y.clientId() + " equals its input in " + equal + " places");
      }
    }
  }

  @Test
  void secureRound_oneClientDropsDuringMaskedInput_completesWithTheOthers() throws Exception {
    List<Party> parties = start(1, 1_000);
    float[] before = model();
    Party dropped = parties.get(2);
    runRound(parties, List.of(dropped));
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (new JsonObject(new String(get(Wire.STATUS, null).body())).getInteger("completed_rounds") < 1
        && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    List<Party> survivors = new ArrayList<>(parties);
    survivors.remove(dropped);
    assertFedAvg(before, model(), survivors);
  }

  @Test
  void secureRound_belowThreshold_abortsCleanlyModelUnchangedNextRoundOpens() throws Exception {
    List<Party> parties = start(2, 1_000); // classic, k = 4, t = 3
    float[] before = model();
    runRound(parties, List.of(parties.get(0), parties.get(1), parties.get(2)));
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (roundNumber() < 2 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertEquals(2, roundNumber());
    assertArrayEquals(before, model());
    JsonObject status = new JsonObject(new String(get(Wire.STATUS, null).body()));
    assertEquals(0, status.getInteger("completed_rounds"));
    // Nobody was asked to unmask, and asking for round 1 now says why it ended.
    HttpResponse<byte[]> r = get(Wire.secAgg(1, "unmask"), parties.get(3).token);
    assertEquals(409, r.statusCode());
    assertTrue(new String(r.body()).contains("aborted"), new String(r.body()));
  }

  @Test
  void stageMessages_unauthenticatedForgedDuplicateMalformedOrPlain_are4xxAndChangeNothing() throws Exception {
    List<Party> parties = start(1, 10_000);
    Party a = parties.get(0);
    Party b = parties.get(1);
    join(a, 1);
    join(b, 1);
    KeyAdvertisement ad = a.client.advertiseKeys();
    assertEquals(401, post(Wire.secAgg(1, "advertise-keys"), null, ad.toBytes()).statusCode());
    assertEquals(401, post(Wire.secAgg(1, "advertise-keys"), "not-a-token", ad.toBytes()).statusCode());
    // b's token with a's advertisement: a client speaking for another.
    HttpResponse<String> forged = post(Wire.secAgg(1, "advertise-keys"), b.token, ad.toBytes());
    assertEquals(403, forged.statusCode(), forged.body());
    // An advertisement signed by b's key but naming a: the server's signature check refuses it.
    KeyAdvertisement badSig = KeyAdvertisement.sign(ad.roundId(), a.index, ad.encryptionKey(), ad.maskingKey(),
        ad.selfMaskCommitment(), b.identity.privateKey());
    HttpResponse<String> sig = post(Wire.secAgg(1, "advertise-keys"), a.token, badSig.toBytes());
    assertEquals(409, sig.statusCode(), sig.body());
    assertTrue(sig.body().contains("invalid signature"), sig.body());
    assertEquals(400, post(Wire.secAgg(1, "advertise-keys"), a.token, new byte[] {1, 2, 3}).statusCode());
    assertEquals(404, post(Wire.secAgg(1, "gossip"), a.token, ad.toBytes()).statusCode());
    assertEquals(409, post(Wire.secAgg(7, "advertise-keys"), a.token, ad.toBytes()).statusCode());
    // A masked input posted at the advertise stage: wrong message for the stage.
    HttpResponse<String> wrong = post(Wire.secAgg(1, "advertise-keys"), a.token,
        new MaskedInput(1, a.index, new int[SecureSumEncoding.dimensionFor(SPEC.parameterCount())]).toBytes());
    assertEquals(400, wrong.statusCode(), wrong.body());
    stagePost(a, 1, "advertise-keys", ad.toBytes());
    HttpResponse<String> dup = post(Wire.secAgg(1, "advertise-keys"), a.token, ad.toBytes());
    assertEquals(409, dup.statusCode(), dup.body());
    assertTrue(dup.body().contains("duplicate"), dup.body());
    // Plain updates are refused outright: they would put an individual delta in the clear.
    HttpResponse<String> plain = http.send(HttpRequest.newBuilder(base.resolve(Wire.update(1)))
        .header("Authorization", "Bearer " + a.token).header(Wire.HEADER_MODEL_VERSION, "0")
        .header(Wire.HEADER_SPEC_HASH, SPEC.hash()).header(Wire.HEADER_EXAMPLES, "10")
        .PUT(HttpRequest.BodyPublishers.ofByteArray(ParameterCodec.encode(new float[SPEC.parameterCount()]))).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(409, plain.statusCode(), plain.body());
    // Registration without an identity key is refused in a secure federation.
    HttpResponse<String> noKey = post(Wire.CLIENTS, null, new JsonObject().put("silo", "late").encode().getBytes());
    assertEquals(400, noKey.statusCode(), noKey.body());
    assertTrue(noKey.body().contains("identity_key"), noKey.body());
    JsonObject round = new JsonObject(new String(get(Wire.ROUND, null).body()));
    assertEquals("secagg", round.getJsonObject("config").getJsonObject("secure_aggregation").getString("mode"));
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
