package org.hedgerow.benchmarks.load;

import com.sun.nio.file.ExtendedOpenOption;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.internal.buffer.BufferInternal;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A second baseline: the bare endpoint made exactly as durable as the coordinator promises — each body
 * appended to a file (direct I/O from one aligned buffer, as the coordinator's store does) and
 * forced to disk ({@code fdatasync}, grouped: one force for every body waiting) before its 202. No
 * router, no authentication, no database, no aggregation. Against {@code bare} it shows what durability
 * alone costs on this disk; against it, what the coordinator adds beyond that.
 */
public final class BareDurableTarget implements LoadTarget {
  private static final int BLOCK = 4096;

  private record Pending(Buffer body, HttpServerRequest request, Context context) {}

  private HttpServer server;
  private final AtomicInteger received = new AtomicInteger();
  private volatile int expectedBytes;
  private Path dir;
  private FileChannel file;
  private Thread writer;
  private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();

  @Override
  public String name() {
    return "bare-durable";
  }

  @Override
  public boolean tls() {
    return false;
  }

  @Override
  public int start(Vertx vertx, int clients, byte[] body) throws Exception {
    received.set(0);
    expectedBytes = body.length;
    dir = Files.createTempDirectory("hedgerow-bare-durable");
    file = FileChannel.open(dir.resolve("bodies"), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        ExtendedOpenOption.DIRECT);
    // Named like the coordinator's store threads, so the load driver counts its CPU in the same column.
    writer = new Thread(this::writeLoop, "hedgerow-store-bare-durable");
    writer.setDaemon(true);
    writer.start();
    HttpServerOptions o = new HttpServerOptions().setHost("127.0.0.1").setPort(0).setAcceptBacklog(4096);
    server = vertx.createHttpServer(o).requestHandler(req -> req.body().onComplete(ar -> {
      if (ar.succeeded() && ar.result().length() == expectedBytes) {
        queue.add(new Pending(ar.result(), req, vertx.getOrCreateContext()));
      } else {
        req.response().setStatusCode(400).end("{\"error\":\"wrong body length\"}");
      }
    })).listen().await(30, TimeUnit.SECONDS);
    return server.actualPort();
  }

  /** Takes every body waiting, writes each, forces the file once, then answers them all. */
  private void writeLoop() {
    int padded = (expectedBytes + BLOCK - 1) / BLOCK * BLOCK;
    ByteBuffer staging = ByteBuffer.allocateDirect(padded + BLOCK).alignedSlice(BLOCK);
    long end = 0;
    List<Pending> batch = new ArrayList<>();
    while (true) {
      batch.clear();
      try {
        batch.add(queue.take());
      } catch (InterruptedException e) {
        return;
      }
      queue.drainTo(batch);
      try {
        for (Pending p : batch) {
          staging.clear();
          // Straight from the received buffer: one copy, as the coordinator makes from its body array
          // (getBytes() would add a second).
          staging.put(((BufferInternal) p.body()).getByteBuf().nioBuffer());
          staging.position(padded).flip();
          while (staging.hasRemaining()) {
            end += file.write(staging, end);
          }
        }
        file.force(false);
      } catch (IOException e) {
        for (Pending p : batch) {
          p.context().runOnContext(v -> p.request().response().setStatusCode(500).end("{\"error\":\"write failed\"}"));
        }
        continue;
      }
      for (Pending p : batch) {
        received.incrementAndGet();
        p.context().runOnContext(v -> p.request().response().setStatusCode(202)
            .putHeader("Content-Type", "application/json").end("{\"accepted\":true}"));
      }
    }
  }

  @Override
  public List<Upload> prepare(HttpClient client, int port, int clients) {
    return BareTarget.uploads(clients);
  }

  @Override
  public void verify(int clients) {
    if (received.get() != clients) {
      throw new IllegalStateException(name() + ": expected " + clients + " durable uploads, got " + received.get());
    }
  }

  @Override
  public void stop() throws Exception {
    server.close().await(30, TimeUnit.SECONDS);
    writer.interrupt();
    writer.join(30_000);
    file.close();
    Files.deleteIfExists(dir.resolve("bodies"));
    Files.deleteIfExists(dir);
  }
}
