package org.hedgerow.coordinator;

import static org.hedgerow.coordinator.ServiceFixture.SPEC;
import static org.hedgerow.coordinator.ServiceFixture.assertRefused;
import static org.hedgerow.coordinator.ServiceFixture.filled;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.hedgerow.aggregation.wire.ParameterCodec;
import org.hedgerow.aggregation.wire.Wire;
import org.hedgerow.coordinator.ServiceFixture.Silo;
import org.hedgerow.coordinator.auth.TestCerts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service limits of issue 9 ("Service hardening found by review"), over real mutual-TLS
 * connections: nothing is read from an unauthenticated caller, one upload in flight per client,
 * long-poll and connection caps, body-read deadline, enrolment rate limit, PUT /v1/enrol, and an
 * upload id bound to its bytes across a restart. Every refusal is a JSON error naming the problem
 * and changes nothing.
 */
class ServiceHardeningTest {
  @TempDir Path dir;

  private static final ServiceLimits TIGHT = new ServiceLimits(ServiceLimits.DEFAULT_MAX_JSON_BODY_BYTES, 60, 1_000, 4,
      1, 1, 2);

  /** Two silos joined, round 1 open. */
  private ServiceFixture start(ServiceLimits limits) throws Exception {
    return new ServiceFixture(dir, 2, 2, true, CoordinatorOptions.PRIVACY_NONE, true, limits);
  }

  /** Writes {@code head} then {@code bodyBytes} of body over a raw TLS socket, and reads what comes back. */
  private static String rawExchange(SSLSocketFactory sf, int port, String head, long bodyBytes) throws Exception {
    try (SSLSocket s = (SSLSocket) sf.createSocket("127.0.0.1", port)) {
      s.setSoTimeout(10_000);
      s.startHandshake();
      OutputStream out = s.getOutputStream();
      out.write(head.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      byte[] chunk = new byte[64 * 1024];
      long sent = 0;
      try {
        while (sent < bodyBytes) {
          int n = (int) Math.min(chunk.length, bodyBytes - sent);
          out.write(chunk, 0, n);
          sent += n;
        }
        out.flush();
      } catch (IOException closedByServer) {
        // expected for a refused huge body: the server closed the connection instead of reading it
      }
      return readResponse(s.getInputStream());
    }
  }

  private static String readResponse(InputStream in) throws IOException {
    try {
      return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      return "";
    }
  }

  private static int status(String raw) {
    return Integer.parseInt(raw.substring(9, 12));
  }

  private static String error(String raw) {
    return new JsonObject(raw.substring(raw.indexOf("\r\n\r\n") + 4)).getString("error");
  }

  @Test
  void hugeBody_unauthenticatedCaller_refused401QuicklyWithoutReadingTheBody() throws Exception {
    try (ServiceFixture f = start(null)) {
      Silo a = f.enrol("silo-a");
      f.join(a);
      String before = f.snapshot();
      SSLSocketFactory anon = TestCerts.context(f.ca, null, null).getSocketFactory();
      long huge = 1L << 30; // declared; at most a few MiB are ever written before the server closes
      Map<String, String> routes = new LinkedHashMap<>();
      routes.put("PUT " + Wire.update(1), "/v1/rounds/:round/update");
      routes.put("POST " + Wire.CLIENTS, Wire.CLIENTS);
      routes.put("POST " + Wire.decline(1), "/v1/rounds/:round/decline");
      routes.put("POST " + Wire.SPENDS, Wire.SPENDS);
      routes.put("POST " + Wire.ADMIN_ENROLMENT_TOKENS, Wire.ADMIN_ENROLMENT_TOKENS);
      routes.put("POST " + Wire.secAgg(1, "masked-input"), "/v1/rounds/:round/secagg/:stage");
      Map<String, Double> readBefore = new LinkedHashMap<>();
      routes.values().forEach(r -> readBefore.put(r, f.verticle.metrics().bodiesRead(r)));
      for (var e : routes.entrySet()) {
        long t0 = System.nanoTime();
        String raw = rawExchange(anon, f.verticle.port(), e.getKey() + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            + "Content-Type: application/octet-stream\r\nContent-Length: " + huge + "\r\n\r\n", 8L << 20);
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertEquals(401, status(raw), raw);
        assertTrue(error(raw).contains("no client certificate or bearer token"), raw);
        assertTrue(seconds < 5, e.getKey() + " took " + seconds + " s");
        assertEquals(readBefore.get(e.getValue()), f.verticle.metrics().bodiesRead(e.getValue()),
            e.getKey() + ": a body was read");
      }
      assertEquals(before, f.snapshot());
      // An authenticated caller's JSON body is read (and counted) as before.
      assertEquals(201, f.post(a.http(), Wire.CLIENTS, null, "{}").statusCode());
      assertEquals(readBefore.get(Wire.CLIENTS) + 1, f.verticle.metrics().bodiesRead(Wire.CLIENTS));
    }
  }

  @Test
  void putEnrol_anyCaller_refused405NamingTheMethod() throws Exception {
    try (ServiceFixture f = start(null)) {
      HttpResponse<String> r = f.send(f.anonymous, "PUT", Wire.ENROL, null, Map.of(), "{}".getBytes());
      assertRefused(r, 405, "method PUT is not allowed on " + Wire.ENROL);
      assertRefused(f.send(f.anonymous, "GET", Wire.SPENDS, null, Map.of(), null), 405, "method GET");
    }
  }

  @Test
  void secondUpload_whileFirstStillInFlight_refused409Or503AndFirstUnaffected() throws Exception {
    try (ServiceFixture f = start(null)) {
      Silo a = f.enrol("silo-a");
      Silo b = f.enrol("silo-b");
      f.join(a);
      f.join(b);
      String before = f.snapshot();
      byte[] body = ParameterCodec.encode(filled(0.5f));
      Map<String, String> h = new LinkedHashMap<>(ServiceFixture.updateHeaders(0));
      h.put(Wire.HEADER_UPLOAD_ID, "a-1");
      StringBuilder head = new StringBuilder("PUT " + Wire.update(1) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n");
      h.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
      head.append("Connection: close\r\nContent-Length: ").append(body.length).append("\r\n\r\n");
      try (SSLSocket first = (SSLSocket) a.ssl().getSocketFactory().createSocket("127.0.0.1", f.verticle.port())) {
        first.setSoTimeout(10_000);
        OutputStream out = first.getOutputStream();
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.write(body, 0, 10); // the first upload is still being received
        out.flush();
        Thread.sleep(300);
        Map<String, String> other = new LinkedHashMap<>(h);
        other.put(Wire.HEADER_UPLOAD_ID, "a-2");
        assertRefused(f.upload(a, 1, other, body), 409, "another upload from 'silo-a' is in flight");
        HttpResponse<String> retry = f.upload(a, 1, h, body);
        assertRefused(retry, 503, "upload 'a-1' of 'silo-a' is still in flight");
        assertTrue(retry.headers().firstValue("Retry-After").isPresent(), retry.headers().toString());
        assertEquals(before, f.snapshot());
        // Another silo is not held up.
        assertEquals(202, f.upload(b, 1, ServiceFixture.updateHeaders(0), body).statusCode());
        out.write(body, 10, body.length - 10);
        out.flush();
        String raw = readResponse(first.getInputStream());
        assertTrue(raw.startsWith("HTTP/1.1 202"), raw);
      }
    }
  }

  @Test
  void longPolls_beyondTheCap_refused503WithRetryAfter() throws Exception {
    try (ServiceFixture f = start(TIGHT)) {
      Silo a = f.enrol("silo-a");
      Silo b = f.enrol("silo-b");
      f.join(a);
      f.join(b);
      CompletableFuture<HttpResponse<String>> waiting = CompletableFuture.supplyAsync(() -> {
        try {
          return f.get(a.http(), Wire.ROUND + "?after=1", null);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      Thread.sleep(500);
      HttpResponse<String> r = f.get(b.http(), Wire.ROUND + "?after=1", null);
      assertRefused(r, 503, "too many long polls waiting (limit 1)");
      assertEquals("5", r.headers().firstValue("Retry-After").orElse(null));
      // Polling without waiting still works.
      assertEquals(200, f.get(b.http(), Wire.ROUND, null).statusCode());
      assertTrue(!waiting.isDone(), "the first long poll is still waiting");
    }
  }

  @Test
  void connections_beyondThePerAddressCap_refused503NamingTheLimit() throws Exception {
    try (ServiceFixture f = start(TIGHT)) {
      List<SSLSocket> open = new ArrayList<>();
      try {
        SSLSocketFactory sf = TestCerts.context(f.ca, null, null).getSocketFactory();
        for (int i = 0; i < 4; i++) {
          SSLSocket s = (SSLSocket) sf.createSocket("127.0.0.1", f.verticle.port());
          s.startHandshake();
          open.add(s);
        }
        Thread.sleep(200);
        String raw = rawExchange(sf, f.verticle.port(), "GET " + Wire.HEALTH + " HTTP/1.1\r\nHost: x\r\n\r\n", 0);
        assertEquals(503, status(raw), raw);
        assertTrue(error(raw).contains("too many connections from 127.0.0.1 (limit 4 per address)"), raw);
      } finally {
        for (SSLSocket s : open) {
          s.close();
        }
      }
      Thread.sleep(300);
      assertEquals(200, f.get(f.anonymous, Wire.HEALTH, null).statusCode());
    }
  }

  @Test
  void slowBody_pastTheReadDeadline_refused408AndNothingStored() throws Exception {
    try (ServiceFixture f = start(TIGHT)) {
      Silo a = f.enrol("silo-a");
      Silo b = f.enrol("silo-b");
      f.join(a);
      f.join(b);
      String before = f.snapshot();
      StringBuilder head = new StringBuilder("PUT " + Wire.update(1) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n");
      ServiceFixture.updateHeaders(0).forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
      head.append("Content-Length: ").append(4 * SPEC.parameterCount()).append("\r\n\r\n");
      try (SSLSocket s = (SSLSocket) a.ssl().getSocketFactory().createSocket("127.0.0.1", f.verticle.port())) {
        s.setSoTimeout(10_000);
        s.getOutputStream().write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        s.getOutputStream().write(new byte[5]);
        s.getOutputStream().flush();
        String raw = readResponse(s.getInputStream());
        assertEquals(408, status(raw), raw);
        assertTrue(error(raw).contains("not received within 1000 ms"), raw);
      }
      assertEquals(before, f.snapshot());
    }
  }

  @Test
  void enrol_flood_refused429BeforeAnyTokenIsLookedUp() throws Exception {
    try (ServiceFixture f = start(TIGHT)) {
      String body = new JsonObject().put("token", "nope").put("csr", "x").encode();
      assertRefused(f.post(f.anonymous, Wire.ENROL, null, body), 401, "enrolment token is unknown");
      assertRefused(f.post(f.anonymous, Wire.ENROL, null, body), 401, "enrolment token is unknown");
      HttpResponse<String> r = f.post(f.anonymous, Wire.ENROL, null, body);
      assertRefused(r, 429, "rate limit 'enrolment' exceeded");
      assertTrue(r.headers().firstValue("Retry-After").isPresent());
    }
  }

  @Test
  void sameUploadId_differentBodyAfterRestart_refused409NamingTheId() throws Exception {
    byte[] body = ParameterCodec.encode(filled(0.5f));
    Map<String, String> h = new LinkedHashMap<>(ServiceFixture.updateHeaders(0));
    h.put(Wire.HEADER_UPLOAD_ID, "a-round-1");
    Silo a;
    try (ServiceFixture f = new ServiceFixture(dir, 2, 3, true)) {
      a = f.enrol("silo-a");
      Silo b = f.enrol("silo-b");
      Silo c = f.enrol("silo-c");
      f.join(a);
      f.join(b);
      f.join(c);
      assertEquals(202, f.upload(a, 1, h, body).statusCode());
    }
    try (ServiceFixture f = new ServiceFixture(dir, 2, 3, true, CoordinatorOptions.PRIVACY_NONE, false)) {
      String before = f.snapshot();
      HttpResponse<String> same = f.upload(a, 1, h, body);
      assertEquals(202, same.statusCode(), same.body());
      assertTrue(new JsonObject(same.body()).getBoolean("duplicate"), same.body());
      assertRefused(f.upload(a, 1, h, ParameterCodec.encode(filled(0.25f))), 409,
          "upload id 'a-round-1' of 'silo-a' was already used for a different update");
      assertEquals(before, f.snapshot());
    }
  }

  @Test
  void rotatedOperatorToken_runningCoordinator_oldRefused401NewAcceptedWithoutRestart() throws Exception {
    try (ServiceFixture f = start(null)) {
      assertEquals(200, f.get(f.anonymous, Wire.STATUS, f.operatorToken).statusCode());
      org.hedgerow.coordinator.auth.StateDirectory.rotateTokens(f.dir, true, false);
      String fresh = org.hedgerow.coordinator.auth.StateDirectory.readToken(
          f.dir.resolve(org.hedgerow.coordinator.auth.StateDirectory.OPERATOR_TOKEN));
      long deadline = System.nanoTime() + 5_000_000_000L;
      while (f.get(f.anonymous, Wire.STATUS, fresh).statusCode() != 200 && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertEquals(200, f.get(f.anonymous, Wire.STATUS, fresh).statusCode());
      assertRefused(f.get(f.anonymous, Wire.STATUS, f.operatorToken), 401, "unknown bearer token");
      assertEquals(200, f.get(f.anonymous, Wire.STATUS, f.auditorToken).statusCode(), "the auditor's token is kept");
    }
  }
}
