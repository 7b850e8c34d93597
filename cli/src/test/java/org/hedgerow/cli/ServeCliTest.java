package org.hedgerow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hedgerow.aggregation.model.ModelSpec;
import org.hedgerow.edge.data.LogFormat;
import org.hedgerow.edge.data.PurchaseLine;
import org.hedgerow.edge.model.PreferenceModelSpec;
import org.hedgerow.edge.serve.ServeStore;
import org.hedgerow.edge.serve.ServingModel;
import org.hedgerow.edge.silo.TrainingConsent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code hedgerow serve} as its own process, over real HTTP: the "done when" of issue 11. */
class ServeCliTest {
  static final Path BUNDLED = Path.of("../data/online-retail/online_retail.csv.gz").toAbsolutePath().normalize();
  static final Path TAOBAO = Path.of("../edge-client/src/test/resources/taobao-sample.csv").toAbsolutePath().normalize();
  private static final Pattern LISTENING = Pattern.compile("serving on http://127\\.0\\.0\\.1:(\\d+)");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir Path tmp;
  private final List<Process> children = new ArrayList<>();

  @AfterEach
  void stopChildren() throws InterruptedException {
    for (Process p : children) {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** Starts {@code hedgerow serve ARGS --port 0} in its own JVM and returns its port once it listens. */
  private int serve(String name, String... args) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>(List.of(java, "-Xmx2g", "-cp", System.getProperty("java.class.path"),
        Hedgerow.class.getName(), "serve", "--port", "0"));
    cmd.addAll(List.of(args));
    Path out = tmp.resolve(name + ".out");
    Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(tmp.resolve(name + ".err").toFile())
        .start();
    children.add(p);
    for (int waited = 0; waited < 300; waited++) { // the bundled data takes tens of seconds on a busy machine
      Matcher m = LISTENING.matcher(Files.exists(out) ? Files.readString(out) : "");
      if (m.find()) {
        return Integer.parseInt(m.group(1));
      }
      if (!p.isAlive()) {
        fail(name + " exited " + p.exitValue() + ": " + Files.readString(tmp.resolve(name + ".err")));
      }
      Thread.sleep(1000);
    }
    fail(name + " did not start listening within 300 s");
    return -1;
  }

  private static HttpResponse<String> call(int port, String method, String path, String body) throws Exception {
    HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .build();
    return HTTP.send(r, HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode ok(int port, String method, String path, String body, int status) throws Exception {
    HttpResponse<String> r = call(port, method, path, body);
    assertEquals(status, r.statusCode(), method + " " + path + ": " + r.body());
    return JSON.readTree(r.body());
  }

  private static Set<String> reasons(JsonNode rec) {
    Set<String> out = new HashSet<>();
    rec.get("items").forEach(i -> out.add(i.get("reason").asText()));
    return out;
  }

  private Path randomModel() throws IOException {
    ModelSpec spec = PreferenceModelSpec.of(List.of(128, 64, 32), 0.5, 1e-3);
    Path f = tmp.resolve("model.json");
    new ServingModel("3", spec, spec.initialParameters(11)).write(f);
    return f;
  }

  @Test
  void serve_bundledData_knownUnknownOptOutAndDelete() throws Exception {
    Path store = tmp.resolve("serve.db");
    int port = serve("bundled", "--data", BUNDLED.toString(), "--store", store.toString(), "--model",
        randomModel().toString(), "--epsilon", "0.1");
    JsonNode known = ok(port, "GET", "/v1/recommendations/12347", null, 200);
    assertEquals("3", known.get("model_version").asText());
    assertTrue(known.get("personal").asBoolean());
    assertEquals(10, known.get("items").size());
    assertTrue(Set.of("bought-before", "similar-customers", "explore", "popular").containsAll(reasons(known)),
        known.toString());
    JsonNode unknown = ok(port, "GET", "/v1/recommendations/1", null, 200);
    assertEquals(10, unknown.get("items").size());
    assertEquals(Set.of("popular"), reasons(unknown));

    // 12348 opts out of both: non-personal items now, and absent from the next round's training set.
    ok(port, "PUT", "/v1/consent/12348", "{\"training\": false, \"personalisation\": false}", 200);
    JsonNode optedOut = ok(port, "GET", "/v1/recommendations/12348", null, 200);
    assertFalse(optedOut.get("personal").asBoolean());
    assertEquals(Set.of("popular"), reasons(optedOut));
    List<PurchaseLine> log = LogFormat.retail().load(BUNDLED).lines();
    assertTrue(log.stream().anyMatch(l -> l.customerId() == 12348));
    List<PurchaseLine> training = TrainingConsent.fromStore(store).trainingLines(log); // read while serve runs
    assertFalse(training.stream().anyMatch(l -> l.customerId() == 12348), "opted out of training");

    // 12349 posts an event, then is erased: the event is gone from the store.
    ok(port, "POST", "/v1/events", "{\"customer\": 12349, \"item\": \"22423\", \"type\": \"buy\"}", 201);
    JsonNode erased = ok(port, "DELETE", "/v1/customers/12349", null, 200);
    assertEquals(1, erased.get("stored_events_deleted").asInt());
    try (ServeStore s = ServeStore.open(store)) {
      assertEquals(List.of(), s.events(12349));
      assertTrue(s.erased().contains(12349));
    }
    assertFalse(ok(port, "GET", "/v1/recommendations/12349", null, 200).get("personal").asBoolean());
  }

  @Test
  void serve_taobaoLayoutWithoutHeader_loadsAndServes() throws Exception {
    int port = serve("taobao", "--data", TAOBAO.toString(), "--format", "events", "--columns",
        "user,item,category,event,timestamp", "--event-weights", "buy=1,cart=0.5,fav=0.3,pv=0.1", "--store",
        tmp.resolve("t.db").toString(), "--model", randomModel().toString(), "--epsilon", "0");
    JsonNode r = ok(port, "GET", "/v1/recommendations/101?k=5", null, 200);
    assertTrue(r.get("personal").asBoolean());
    assertEquals(5, r.get("items").size());
    Set<String> ids = new HashSet<>();
    r.get("items").forEach(i -> ids.add(i.get("item").asText()));
    assertTrue(ids.stream().allMatch(i -> i.matches("10\\d\\d")), "the log's own item ids: " + ids);
    assertEquals(201, call(port, "POST", "/v1/events", "{\"customer\": 101, \"item\": \"1039\", \"type\": \"pv\"}")
        .statusCode());
    assertEquals(400, call(port, "POST", "/v1/events", "{\"customer\": 101, \"item\": \"1039\", \"type\": \"like\"}")
        .statusCode(), "only the weighted types of --event-weights are accepted");
  }

  @Test
  void replay_taobaoSample_tableForEachEpsilon() {
    CliRun r = CliRun.of("replay", "--data", TAOBAO.toString(), "--format", "events", "--epsilon", "0,1",
        "--repeats", "3", "--json");
    assertEquals(0, r.exitCode(), r.err());
    String[] lines = r.out().strip().split("\n");
    String greedy = lines[lines.length - 2];
    String random = lines[lines.length - 1];
    assertTrue(greedy.startsWith("{\"epsilon\": 0.0") && random.startsWith("{\"epsilon\": 1.0"), r.out());
    assertEquals(0.0, CliRun.jsonNumber(greedy, "explore_hit_share"), "no exploration at epsilon 0");
    assertEquals(0.0, CliRun.jsonNumber(greedy, "hit_rate_se"), "a greedy policy has no randomness");
  }

  @Test
  void partition_eventsByCustomer_eachSiloGetsItsRowsUnchanged() throws Exception {
    Path out = tmp.resolve("parts");
    CliRun r = CliRun.of("partition", "--data", TAOBAO.toString(), "--format", "events", "--partition", "customer",
        "--out", out.toString());
    assertEquals(0, r.exitCode(), r.err());
    List<String> all = Files.readAllLines(TAOBAO);
    List<String> mine = all.stream().filter(l -> l.startsWith("101,")).toList();
    try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(out.resolve("customer-101.csv.gz")))) {
      assertEquals(mine, new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines().toList());
    }
    assertEquals(0, CliRun.of("replay", "--data", out.resolve("customer-101.csv.gz").toString(), "--format", "events",
        "--epsilon", "0").exitCode(), "a silo's file reads back with the same flags");
  }

  @Test
  void serve_badFlags_exit2NamingTheFlag() {
    CliRun r = CliRun.of("serve", "--data", TAOBAO.toString(), "--port", "0", "--format", "events", "--columns",
        "user,item,time");
    assertEquals(2, r.exitCode(), r.err());
    assertTrue(r.err().contains("--columns: unknown column 'time'"), r.err());
    r = CliRun.of("serve", "--data", TAOBAO.toString(), "--port", "0", "--host", "0.0.0.0");
    assertEquals(2, r.exitCode(), r.err());
    assertTrue(r.err().contains("needs --token-file"), r.err());
  }

  @Test
  @Tag("slow")
  void serve_killedAfterAcknowledgingEvents_nothingLost() throws Exception {
    Path store = tmp.resolve("k.db");
    String[] args = {"--data", TAOBAO.toString(), "--format", "events", "--store", store.toString()};
    int port = serve("first", args);
    int n = 40;
    for (int e = 0; e < n; e++) {
      ok(port, "POST", "/v1/events", "{\"customer\": " + (9000 + e % 4) + ", \"item\": \"20" + e + "\", \"type\": \"buy\"}",
          201);
    }
    Process first = children.get(0);
    first.destroyForcibly(); // SIGKILL right after the last acknowledgement: no shutdown hook runs
    first.waitFor(10, TimeUnit.SECONDS);
    int again = serve("second", args);
    try (ServeStore s = ServeStore.open(store)) {
      assertEquals(n, s.events().size(), "every acknowledged event survived kill -9");
    }
    JsonNode r = ok(again, "GET", "/v1/recommendations/9000?k=20", null, 200);
    assertTrue(r.get("personal").asBoolean(), "their history came back from the store: " + r);
  }
}
