package org.hedgerow.coordinator;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.Arrays;
import java.util.function.BiConsumer;

/**
 * Reads an update's body straight into one {@code byte[]} of the announced {@code Content-Length}
 * and hands it on, instead of vertx-web's {@code BodyHandler}. The BodyHandler starts at 64 KiB and
 * doubles (four copies on the way to 1 MiB, each a humongous array for G1), and the handler then
 * needed {@code getBytes()}, another 1 MiB copy; here each received chunk is copied exactly once.
 *
 * <p>Limits are the BodyHandler's: a declared length over {@code limit} is refused with 413 before
 * anything is read or allocated, and a chunked body is refused once it passes the limit. Mount it
 * after authentication, so an unknown caller cannot make the coordinator allocate.
 */
final class UploadBodyReader implements Handler<RoutingContext> {
  private final long limit;
  private final BiConsumer<RoutingContext, byte[]> next;

  /**
   * @param limit largest body accepted, in bytes
   * @param next called on the event loop with the complete body
   */
  UploadBodyReader(long limit, BiConsumer<RoutingContext, byte[]> next) {
    this.limit = limit;
    this.next = next;
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest req = ctx.request();
    String declared = req.getHeader("Content-Length");
    long length = -1;
    if (declared != null) {
      try {
        length = Long.parseLong(declared.trim());
      } catch (NumberFormatException e) {
        throw new RejectedException(400, "Content-Length must be an integer. Provided value: " + declared);
      }
      if (length > limit) {
        throw new RejectedException(413, "request body of " + length + " bytes is larger than the limit of "
            + limit + " bytes");
      }
    }
    Body body = new Body(length >= 0 ? new byte[(int) length] : new byte[(int) Math.min(limit, 64 * 1024)],
        length >= 0);
    req.handler(chunk -> body.append(ctx, chunk));
    req.exceptionHandler(e -> body.failed = true); // connection lost: nothing to answer, nothing stored
    req.endHandler(v -> {
      if (body.failed) {
        return;
      }
      if (body.fixed && body.size != body.bytes.length) {
        ctx.fail(new RejectedException(400, "body of " + body.size + " bytes is shorter than its Content-Length "
            + body.bytes.length));
        return;
      }
      try {
        next.accept(ctx, body.fixed ? body.bytes : Arrays.copyOf(body.bytes, body.size));
      } catch (RuntimeException e) {
        ctx.fail(e);
      }
    });
    req.resume();
  }

  private final class Body {
    byte[] bytes;
    final boolean fixed;
    int size;
    boolean failed;

    Body(byte[] bytes, boolean fixed) {
      this.bytes = bytes;
      this.fixed = fixed;
    }

    void append(RoutingContext ctx, Buffer chunk) {
      if (failed) {
        return;
      }
      int n = chunk.length();
      if ((long) size + n > (fixed ? bytes.length : limit)) {
        failed = true;
        ctx.fail(fixed ? new RejectedException(400, "body is longer than its Content-Length " + bytes.length)
            : new RejectedException(413, "request body larger than the limit of " + limit + " bytes"));
        return;
      }
      if (size + n > bytes.length) {
        bytes = Arrays.copyOf(bytes, (int) Math.min(limit, Math.max((long) bytes.length * 2, size + n)));
      }
      chunk.getBytes(0, n, bytes, size);
      size += n;
    }
  }
}
