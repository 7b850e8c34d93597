package org.hedgerow.edge.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.hedgerow.edge.data.EventWeights;
import org.hedgerow.edge.data.LogFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The serving API over real HTTP on loopback. */
class ServeVerticleTest {
  private static final String TOKEN = "test-token-0123456789";
  private static final Set<String> REASONS = Set.of("bought-before", "similar-customers", "explore", "popular");
  @TempDir Path dir;
  private Vertx vertx;
  private WebClient http;
  private ServeStore store;
  private int port;

  @BeforeEach
  void start() throws Exception {
    start(0.0);
  }

  private void start(double epsilon) throws Exception {
    if (vertx != null) {
      stop();
    }
    store = ServeStore.open(dir.resolve("serve.db"));
    Recommender r = new Recommender(LogFormat.retail().load(ServeFixture.retailLog(dir)).lines(), store,
        ServeFixture.model(), null, new SlatePolicy(epsilon, SlatePolicy.DEFAULT_NEIGHBOUR_WEIGHT));
    vertx = Vertx.vertx();
    ServeVerticle v = new ServeVerticle(r, EventWeights.DEFAULT, ServeOptions.http("127.0.0.1", 0, TOKEN));
    vertx.deployVerticle(v).await(20, TimeUnit.SECONDS);
    port = v.port();
    http = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port));
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(20, TimeUnit.SECONDS);
    store.close();
    vertx = null;
  }

  private HttpResponse<Buffer> call(HttpMethod m, String path, Object body) throws Exception {
    var req = http.request(m, path).putHeader("Authorization", "Bearer " + TOKEN);
    return (body == null ? req.send() : req.sendBuffer(Buffer.buffer(body.toString()))).await(20, TimeUnit.SECONDS);
  }

  private JsonObject ok(HttpMethod m, String path, Object body, int status) throws Exception {
    HttpResponse<Buffer> r = call(m, path, body);
    assertEquals(status, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject();
  }

  private static Set<String> reasons(JsonObject rec) {
    Set<String> out = new HashSet<>();
    rec.getJsonArray("items").forEach(i -> out.add(((JsonObject) i).getString("reason")));
    return out;
  }

  @Test
  void recommendations_knownCustomer_tenItemsWithReasons() throws Exception {
    JsonObject r = ok(HttpMethod.GET, "/v1/recommendations/" + ServeFixture.FIRST_CUSTOMER, null, 200);
    assertEquals(Integer.toString(ServeFixture.FIRST_CUSTOMER), r.getString("customer"));
    assertEquals("7", r.getString("model_version"));
    assertTrue(r.getBoolean("personal"));
    JsonArray items = r.getJsonArray("items");
    assertEquals(10, items.size());
    Set<String> distinct = new HashSet<>();
    double last = Double.MAX_VALUE;
    for (Object o : items) {
      JsonObject i = (JsonObject) o;
      assertTrue(REASONS.contains(i.getString("reason")), i.encode());
      assertTrue(distinct.add(i.getString("item")), "no product twice: " + items.encode());
      assertTrue(i.getDouble("score") <= last, "greedy slates are in score order: " + items.encode());
      last = i.getDouble("score");
    }
    // The whole catalogue: each product the customer bought is there as bought-before, no other is.
    JsonObject all = ok(HttpMethod.GET, "/v1/recommendations/" + ServeFixture.FIRST_CUSTOMER + "?k=30", null, 200);
    Set<String> bought = new HashSet<>();
    all.getJsonArray("items").forEach(o -> {
      if (((JsonObject) o).getString("reason").equals("bought-before")) {
        bought.add(((JsonObject) o).getString("item"));
      }
    });
    assertEquals(ServeFixture.productsOf(dir, ServeFixture.FIRST_CUSTOMER), bought);
  }

  @Test
  void recommendations_unknownCustomer_popularList() throws Exception {
    JsonObject r = ok(HttpMethod.GET, "/v1/recommendations/999999?k=5", null, 200);
    assertFalse(r.getBoolean("personal"));
    assertEquals(5, r.getJsonArray("items").size());
    assertEquals(Set.of("popular"), reasons(r));
  }

  @Test
  void recommendations_epsilonOne_everySlotExplores() throws Exception {
    start(1.0);
    JsonObject r = ok(HttpMethod.GET, "/v1/recommendations/" + ServeFixture.FIRST_CUSTOMER + "?k=5", null, 200);
    assertEquals(Set.of("explore"), reasons(r));
  }

  @Test
  void events_purchaseByNewCustomer_personalWithoutRestart() throws Exception {
    int c = 777;
    JsonObject before = ok(HttpMethod.GET, "/v1/recommendations/" + c, null, 200);
    assertFalse(before.getBoolean("personal"));
    JsonObject ack = ok(HttpMethod.POST, "/v1/events", new JsonArray()
        .add(new JsonObject().put("customer", c).put("item", "10007").put("type", "buy").put("time", "2011-12-01T10:00:00"))
        .add(new JsonObject().put("customer", Integer.toString(c)).put("item", "10008").put("type", "pv")), 201);
    assertEquals(2, ack.getInteger("accepted"));
    JsonObject after = ok(HttpMethod.GET, "/v1/recommendations/" + c + "?k=30", null, 200);
    assertTrue(after.getBoolean("personal"));
    Set<String> bought = new HashSet<>();
    after.getJsonArray("items").forEach(o -> {
      if (((JsonObject) o).getString("reason").equals("bought-before")) {
        bought.add(((JsonObject) o).getString("item"));
      }
    });
    assertEquals(Set.of("10007", "10008"), bought);
    assertEquals(2, store.events(c).size(), "acknowledged events are in the store");
  }

  @Test
  void consent_personalisationWithdrawn_popularOnlyAndKeptAcrossRestart() throws Exception {
    int c = ServeFixture.FIRST_CUSTOMER + 1;
    JsonObject set = ok(HttpMethod.PUT, "/v1/consent/" + c, new JsonObject().put("personalisation", false), 200);
    assertEquals(true, set.getBoolean("training"));
    assertEquals(false, set.getBoolean("personalisation"));
    JsonObject r = ok(HttpMethod.GET, "/v1/recommendations/" + c, null, 200);
    assertFalse(r.getBoolean("personal"));
    assertEquals(Set.of("popular"), reasons(r));
    start(0.0);
    assertEquals(false, ok(HttpMethod.GET, "/v1/consent/" + c, null, 200).getBoolean("personalisation"));
    assertFalse(ok(HttpMethod.GET, "/v1/recommendations/" + c, null, 200).getBoolean("personal"));
  }

  @Test
  void consent_trainingWithdrawn_excludedFromTraining() throws Exception {
    int c = ServeFixture.FIRST_CUSTOMER + 2;
    ok(HttpMethod.PUT, "/v1/consent/" + c, new JsonObject().put("training", false), 200);
    assertEquals(Set.of(c), store.excludedFromTraining());
    assertTrue(ok(HttpMethod.GET, "/v1/recommendations/" + c, null, 200).getBoolean("personal"),
        "training and personalisation are separate choices");
  }

  @Test
  void delete_customerWithEvents_eventsGoneAndServedAsUnknown() throws Exception {
    int c = ServeFixture.FIRST_CUSTOMER + 3;
    ok(HttpMethod.POST, "/v1/events", new JsonObject().put("customer", c).put("item", "10001").put("type", "buy"), 201);
    JsonObject e = ok(HttpMethod.DELETE, "/v1/customers/" + c, null, 200);
    assertEquals(1, e.getInteger("stored_events_deleted"));
    assertTrue(e.getInteger("log_lines_dropped") > 0);
    assertEquals(List.of(), store.events(c));
    assertEquals(Set.of(c), store.erased());
    assertFalse(ok(HttpMethod.GET, "/v1/recommendations/" + c, null, 200).getBoolean("personal"));
    HttpResponse<Buffer> again = call(HttpMethod.POST, "/v1/events",
        new JsonObject().put("customer", c).put("item", "10001").put("type", "buy"));
    assertEquals(409, again.statusCode());
    assertTrue(again.bodyAsJsonObject().getString("error").contains("was erased"));
  }

  @Test
  void badRequests_clear4xx() throws Exception {
    assertEquals(401, http.get("/v1/recommendations/1").send().await(20, TimeUnit.SECONDS).statusCode());
    assertEquals(401, http.get("/v1/recommendations/1").putHeader("Authorization", "Bearer wrong-token-000000")
        .send().await(20, TimeUnit.SECONDS).statusCode());
    assertError(call(HttpMethod.GET, "/v1/recommendations/abc", null), 400, "customer must be a positive integer");
    assertError(call(HttpMethod.GET, "/v1/recommendations/1?k=0", null), 400, "k must be an integer in [1, 100]");
    assertError(call(HttpMethod.GET, "/v1/recommendations/1?k=x", null), 400, "k must be an integer");
    assertError(call(HttpMethod.POST, "/v1/events", "{not json"), 400, "body is not JSON");
    assertError(call(HttpMethod.POST, "/v1/events", "[]"), 400, "no events");
    assertError(call(HttpMethod.POST, "/v1/events", new JsonObject().put("customer", 1).put("item", "A")
        .put("type", "click")), 400, "event 0: type must be one of the weighted event types [buy, cart, fav, pv]");
    assertError(call(HttpMethod.POST, "/v1/events", new JsonArray().add(new JsonObject().put("customer", 1)
        .put("item", "A").put("type", "buy")).add(new JsonObject().put("customer", -4).put("item", "A")
        .put("type", "buy"))), 400, "event 1: customer must be a positive integer");
    assertError(call(HttpMethod.POST, "/v1/events", new JsonObject().put("customer", 1).put("item", "A")
        .put("type", "buy").put("time", "soon")), 400, "event 0: time is neither");
    assertEquals(0, store.eventCount(), "a refused batch stores nothing");
    assertError(call(HttpMethod.PUT, "/v1/consent/1", new JsonObject().put("training", "no")), 400,
        "must be true or false");
    assertError(call(HttpMethod.PUT, "/v1/consent/1", new JsonObject().put("marketing", false)), 400,
        "unknown consent field 'marketing'");
    assertError(call(HttpMethod.GET, "/v1/nothing", null), 404, "no such route");
  }

  private static void assertError(HttpResponse<Buffer> r, int status, String fragment) {
    assertEquals(status, r.statusCode(), r.bodyAsString());
    assertTrue(r.bodyAsJsonObject().getString("error").contains(fragment), r.bodyAsString());
  }

  @Test
  void healthMetricsOpenapi_served() throws Exception {
    HttpResponse<Buffer> h = http.get("/health").send().await(20, TimeUnit.SECONDS);
    assertEquals(200, h.statusCode());
    assertEquals(ServeFixture.CUSTOMERS, h.bodyAsJsonObject().getInteger("customers"));
    ok(HttpMethod.GET, "/v1/recommendations/" + ServeFixture.FIRST_CUSTOMER, null, 200);
    HttpResponse<Buffer> m = call(HttpMethod.GET, "/metrics", null);
    assertEquals(200, m.statusCode());
    assertTrue(m.bodyAsString().contains("hedgerow_serve_requests_total{route=\"/v1/recommendations/:customer\",status=\"200\"} 1"),
        m.bodyAsString());
    assertEquals(401, http.get("/metrics").send().await(20, TimeUnit.SECONDS).statusCode());
    HttpResponse<Buffer> o = http.get("/openapi.json").send().await(20, TimeUnit.SECONDS);
    assertEquals(200, o.statusCode());
    assertTrue(o.bodyAsJsonObject().getJsonObject("paths").containsKey("/v1/recommendations/{customer}"));
  }
}
