package org.hedgerow.coordinator.service;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.function.BiConsumer;
import org.hedgerow.coordinator.http.RejectedException;

/**
 * Reads an update's body straight into one {@code byte[]} of its declared length (at most the model's
 * update size) and
 * hands it on, instead of vertx-web's {@code BodyHandler}. The BodyHandler starts at 64 KiB and
 * doubles (four copies on the way to 1 MiB, each a humongous array for G1), and the handler then
 * needed {@code getBytes()}, another 1 MiB copy; here each received chunk is copied exactly once.
 *
 * <p>The body must declare {@code Content-Length} equal to the update size ({@code 4 × parameters}):
 * chunked (no length) 411 and longer 413, each naming the expected size, before anything is read
 * or allocated. A shorter one is read (it is smaller than a valid one) and refused with 400 by the
 * update's checks, after those that come first (e.g. a closed round's 409). A body that runs past its declared length is refused. Mount it
 * after authentication, so an unknown caller cannot make the coordinator allocate.
 */
final class UploadBodyReader implements Handler<RoutingContext> {
  private final int expected;
  private final String what;
  private final BiConsumer<RoutingContext, byte[]> next;
  private final Runnable onRead;

  /**
   * @param expected the one body size accepted, in bytes
   * @param what the size in words, for refusals (e.g. "9 float32 values")
   * @param onRead called when reading starts (a metric)
   * @param next called on the event loop with the complete body
   */
  UploadBodyReader(int expected, String what, Runnable onRead, BiConsumer<RoutingContext, byte[]> next) {
    this.expected = expected;
    this.what = what;
    this.onRead = onRead;
    this.next = next;
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest req = ctx.request();
    String declared = req.getHeader("Content-Length");
    String size = expected + " bytes (" + what + ")";
    long length;
    if (declared == null) {
      if (req.headers().contains("Transfer-Encoding")) {
        throw new RejectedException(411, "an update must declare Content-Length: " + size + "; chunked bodies are "
            + "refused");
      }
      length = 0; // neither Content-Length nor Transfer-Encoding: HTTP/1.1 says there is no body
    } else {
      try {
        length = Long.parseLong(declared.trim());
      } catch (NumberFormatException e) {
        throw new RejectedException(400, "Content-Length must be an integer. Provided value: " + declared);
      }
    }
    if (length > expected) {
      throw new RejectedException(413, "request body of " + length + " bytes is larger than the limit: the update size "
          + "is " + size + ", expected " + what);
    }
    // A shorter body is read (it is smaller than a valid one) and refused with the update's other checks, in
    // their order: a retry for a closed round is still told so.
    onRead.run();
    Body body = new Body(new byte[(int) length]);
    req.handler(chunk -> body.append(ctx, chunk));
    req.exceptionHandler(e -> body.failed = true); // connection lost: nothing to answer, nothing stored
    req.endHandler(v -> {
      if (body.failed) {
        return;
      }
      if (body.size != body.bytes.length) {
        ctx.fail(new RejectedException(400, "body of " + body.size + " bytes is shorter than its Content-Length "
            + body.bytes.length));
        return;
      }
      try {
        next.accept(ctx, body.bytes);
      } catch (RuntimeException e) {
        ctx.fail(e);
      }
    });
    req.resume();
  }

  private final class Body {
    final byte[] bytes;
    int size;
    boolean failed;

    Body(byte[] bytes) {
      this.bytes = bytes;
    }

    void append(RoutingContext ctx, Buffer chunk) {
      if (failed) {
        return;
      }
      int n = chunk.length();
      if ((long) size + n > bytes.length) {
        failed = true;
        ctx.fail(new RejectedException(400, "body is longer than its Content-Length " + bytes.length));
        return;
      }
      chunk.getBytes(0, n, bytes, size);
      size += n;
    }
  }
}
