package org.hedgerow.coordinator.ops;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;

/**
 * Refusals sent before a request's body was read: a large body is not read and discarded (HTTP/1.1
 * would otherwise consume all of it to reuse the connection), the connection is closed instead.
 */
public final class UnreadBodies {
  /**
   * Unread body bytes above which a refusal closes the connection instead of reading and discarding them.
   * Below it the caller (often a client that merely sent too much) can read the refusal: closing while it
   * still writes makes it see a broken pipe instead of the JSON error.
   */
  public static final long DISCARD_LIMIT = 1024 * 1024;

  private UnreadBodies() {}

  /** An HTTP/1.x request whose body is large (or of unknown or malformed length) and not yet read. */
  public static boolean largeBodyPending(HttpServerRequest req) {
    if (req.isEnded() || req.version() == HttpVersion.HTTP_2) {
      return false; // HTTP/2: the stream's flow control stops the sender, and other streams share the connection
    }
    String cl = req.getHeader("Content-Length");
    if (cl == null) {
      return req.headers().contains("Transfer-Encoding", "chunked", true);
    }
    try {
      return Long.parseLong(cl.trim()) > DISCARD_LIMIT;
    } catch (NumberFormatException e) {
      return true;
    }
  }
}
