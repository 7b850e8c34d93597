package org.hedgerow.benchmarks.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.hedgerow.aggregation.model.ModelSpec;
import org.hedgerow.aggregation.wire.ParameterCodec;
import org.hedgerow.aggregation.wire.UploadAnswer;
import org.hedgerow.aggregation.wire.Wire;
import org.hedgerow.aggregation.wire.WireJson;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The load bench's coordinator target against a real coordinator service (TLS off) on loopback: its
 * uploads carry upload ids the coordinator accepts and binds (a repeat is a duplicate, counted once),
 * as a real client's do, and the "-noid" variant sends none.
 */
class CoordinatorTargetUploadIdTest {
  private static final ModelSpec SPEC = new ModelSpec("loadbench-test", List.of(7, 4), "relu", "sigmoid", 0,
      "binary-cross-entropy", 1e-3);

  private Vertx serverVertx;
  private Vertx clientVertx;
  private HttpClient http;
  private CoordinatorTarget target;
  private int port;
  private final Buffer body = Buffer.buffer(ParameterCodec.encode(new float[SPEC.parameterCount()]));

  @BeforeEach
  void setUp() {
    serverVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(2));
    clientVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    http = clientVertx.createHttpClient();
  }

  @AfterEach
  void tearDown() throws Exception {
    if (target != null) {
      target.stop();
    }
    http.close().await(30, TimeUnit.SECONDS);
    clientVertx.close().await(30, TimeUnit.SECONDS);
    serverVertx.close().await(30, TimeUnit.SECONDS);
  }

  private List<Upload> start(boolean uploadIds, int clients) throws Exception {
    target = new CoordinatorTarget(SPEC, CoordinatorTarget.Mode.SERVICE, uploadIds);
    port = target.start(serverVertx, clients, body.getBytes());
    return target.prepare(http, port, clients);
  }

  private record Answer(int status, String body) {}

  private Answer put(Upload u) throws Exception {
    RequestOptions ro = new RequestOptions().setMethod(HttpMethod.PUT).setHost("127.0.0.1").setPort(port)
        .setURI(u.uri()).setHeaders(u.headers());
    return http.request(ro).compose(req -> req.send(body))
        .compose(resp -> resp.body().map(b -> new Answer(resp.statusCode(), b.toString())))
        .await(30, TimeUnit.SECONDS);
  }

  @Test
  void prepare_withUploadIds_everyUploadHasItsOwnClientStyleId() throws Exception {
    List<Upload> uploads = start(true, 3);

    assertEquals("coordinator", target.name());
    Set<String> ids = new HashSet<>();
    for (Upload u : uploads) {
      String id = u.headers().get(Wire.HEADER_UPLOAD_ID);
      assertNotNull(id, "upload without " + Wire.HEADER_UPLOAD_ID);
      assertTrue(id.matches("[0-9a-f]{32}"), "not 16 bytes in hex, as CoordinatorClient sends: " + id);
      ids.add(id);
      assertEquals(Double.toString(CoordinatorTarget.TRAIN_SECONDS), u.headers().get(Wire.HEADER_TRAIN_SECONDS));
      assertEquals(Double.toString(CoordinatorTarget.TRAIN_LOSS), u.headers().get(Wire.HEADER_TRAIN_LOSS));
    }
    assertEquals(3, ids.size());
  }

  @Test
  void upload_sameIdSentTwice_acceptedOnceAsDuplicateAndRoundCloses() throws Exception {
    List<Upload> uploads = start(true, 2);

    Answer first = put(uploads.get(0));
    Answer again = put(uploads.get(0));
    Answer second = put(uploads.get(1));

    assertEquals(202, first.status(), first.body());
    UploadAnswer a = WireJson.decode(first.body(), UploadAnswer.class);
    assertEquals(1, a.updates());
    assertNull(a.duplicate());
    assertEquals(202, again.status(), again.body());
    UploadAnswer b = WireJson.decode(again.body(), UploadAnswer.class);
    assertEquals(Boolean.TRUE, b.duplicate(), "the coordinator did not bind the upload id: " + again.body());
    assertEquals(1, b.updates(), "a repeated upload id was counted twice: " + again.body());
    assertEquals(202, second.status(), second.body());
    target.verify(2); // the round closed on the two distinct uploads
  }

  @Test
  void upload_withoutIdSentTwice_secondRefused() throws Exception {
    List<Upload> uploads = start(false, 2);

    Answer first = put(uploads.get(0));
    Answer again = put(uploads.get(0));

    assertEquals("coordinator-noid", target.name());
    assertNull(uploads.get(0).headers().get(Wire.HEADER_UPLOAD_ID));
    assertNull(uploads.get(0).headers().get(Wire.HEADER_TRAIN_SECONDS));
    assertEquals(202, first.status(), first.body());
    assertEquals(409, again.status(), again.body());
  }

  @Test
  void wave_withUploadIds_everyUploadAcceptedAndRoundCloses() throws Exception {
    List<Upload> uploads = start(true, 4);
    LoadDriver driver = new LoadDriver(clientVertx, LoadBench.threadOf(serverVertx), LoadBench.threadOf(clientVertx), 4);
    List<HttpClient> clients = driver.clientsFor(false, uploads);

    WaveResult w = driver.wave(target.name(), clients, port, uploads, body);

    assertEquals(4, w.clients());
    target.verify(4);
    for (HttpClient c : clients) {
      c.close().await(30, TimeUnit.SECONDS);
    }
  }
}
