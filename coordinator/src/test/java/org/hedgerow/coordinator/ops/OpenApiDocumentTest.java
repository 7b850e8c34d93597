package org.hedgerow.coordinator.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The OpenAPI document: one copy in docs/, one on the classpath, structurally sound, covering every route. */
class OpenApiDocumentTest {
  private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options", "trace");
  private static final Pattern STATUS = Pattern.compile("[1-5][0-9][0-9]|[1-5]XX|default");
  private final JsonObject doc = new JsonObject(new String(OpenApiEndpoint.document(), java.nio.charset.StandardCharsets.UTF_8));

  @Test
  void document_docsCopy_byteForByteEqualToTheServedResource() throws Exception {
    Path docs = Path.of(System.getProperty("user.dir")).resolveSibling("docs").resolve("openapi.json");
    assertTrue(Files.exists(docs), "expected " + docs);
    assertArrayEquals(Files.readAllBytes(docs), OpenApiEndpoint.document(),
        "docs/openapi.json and coordinator/src/main/resources/openapi.json differ: copy one over the other");
  }

  @Test
  void document_everyOperation_hasResponsesAndResolvableRefs() {
    assertTrue(doc.getString("openapi").startsWith("3."), doc.getString("openapi"));
    assertNotNull(doc.getJsonObject("info").getString("title"));
    JsonObject paths = doc.getJsonObject("paths");
    assertFalse(paths.isEmpty());
    for (String path : paths.fieldNames()) {
      assertTrue(path.startsWith("/"), path);
      Object item = paths.getValue(path);
      assertTrue(item instanceof JsonObject, path + " is not a path item object");
      JsonObject ops = (JsonObject) item;
      assertFalse(ops.isEmpty(), path + " has no operation");
      for (String method : ops.fieldNames()) {
        assertTrue(METHODS.contains(method), path + ": unknown key " + method);
        JsonObject op = ops.getJsonObject(method);
        JsonObject responses = op.getJsonObject("responses");
        assertTrue(responses != null && !responses.isEmpty(), method + " " + path + " has no responses");
        for (String code : responses.fieldNames()) {
          assertTrue(STATUS.matcher(code).matches(), method + " " + path + ": response key " + code);
          assertNotNull(responses.getJsonObject(code).getString("description"), method + " " + path + " " + code);
        }
        for (String p : pathParameters(path)) {
          assertTrue(declares(op, p), method + " " + path + " does not declare path parameter " + p);
        }
      }
    }
    List<String> refs = new ArrayList<>();
    collectRefs(doc, refs);
    assertFalse(refs.isEmpty());
    for (String ref : refs) {
      assertTrue(ref.startsWith("#/"), ref);
      Object target = doc;
      for (String part : ref.substring(2).split("/")) {
        target = target instanceof JsonObject o ? o.getValue(part) : null;
      }
      assertNotNull(target, "unresolved $ref " + ref);
    }
  }

  @Test
  void document_routes_coverTheApiWithSecurityAndErrorSchema() {
    JsonObject paths = doc.getJsonObject("paths");
    for (String p : List.of("/health", "/openapi.json", "/metrics", "/v1/clients", "/v1/round", "/v1/model",
        "/v1/model/parameters", "/v1/rounds/{round}/update", "/v1/rounds/{round}/decline",
        "/v1/rounds/{round}/secagg/{stage}", "/v1/status", "/v1/enrol", "/v1/admin/enrolment-tokens",
        "/v1/admin/clients", "/v1/admin/clients/{id}/revoke", "/v1/spends", "/v1/ledger")) {
      assertTrue(paths.containsKey(p), "missing path " + p);
    }
    JsonObject schemes = doc.getJsonObject("components").getJsonObject("securitySchemes");
    assertEquals("mutualTLS", schemes.getJsonObject("mutualTLS").getString("type"));
    assertEquals("bearer", schemes.getJsonObject("operatorBearer").getString("scheme"));
    assertEquals("bearer", schemes.getJsonObject("auditorBearer").getString("scheme"));
    JsonObject error = doc.getJsonObject("components").getJsonObject("schemas").getJsonObject("Error");
    assertEquals(new JsonArray().add("error"), error.getJsonArray("required"));
    String upload = paths.getJsonObject("/v1/rounds/{round}/update").getJsonObject("put").getJsonObject("responses").encode();
    for (String code : List.of("202", "400", "401", "403", "409", "413", "429")) {
      assertTrue(upload.contains("\"" + code + "\""), "upload lacks " + code);
    }
    assertTrue(paths.getJsonObject("/health").getJsonObject("get").getJsonArray("security").isEmpty(),
        "/health needs no credentials");
  }

  private static List<String> pathParameters(String path) {
    List<String> out = new ArrayList<>();
    java.util.regex.Matcher m = Pattern.compile("\\{([^}]+)}").matcher(path);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  private static boolean declares(JsonObject op, String name) {
    JsonArray params = op.getJsonArray("parameters", new JsonArray());
    for (int i = 0; i < params.size(); i++) {
      JsonObject p = params.getJsonObject(i);
      if (name.equals(p.getString("name")) && "path".equals(p.getString("in")) && Boolean.TRUE.equals(p.getBoolean("required"))) {
        return true;
      }
    }
    return false;
  }

  private static void collectRefs(Object node, List<String> out) {
    if (node instanceof JsonObject o) {
      for (String k : o.fieldNames()) {
        if (k.equals("$ref")) {
          out.add(o.getString(k));
        } else {
          collectRefs(o.getValue(k), out);
        }
      }
    } else if (node instanceof JsonArray a) {
      a.forEach(x -> collectRefs(x, out));
    }
  }
}
