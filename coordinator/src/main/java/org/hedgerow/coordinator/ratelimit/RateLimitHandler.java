package org.hedgerow.coordinator.ratelimit;

import io.vertx.core.Handler;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Function;
import org.hedgerow.aggregation.wire.RateLimitedAnswer;
import org.hedgerow.aggregation.wire.WireJson;

/**
 * A Vert.x handler that applies a {@link RateLimiter} per caller and refuses with
 * {@code 429} and a {@link RateLimitedAnswer} and a {@code Retry-After} header (whole seconds, at least 1).
 *
 * <p>Put it before the body handler so that a refused upload is not read, and after authentication
 * when the key is the client id.
 */
public final class RateLimitHandler implements Handler<RoutingContext> {
  private final RateLimiter limiter;
  private final Function<RoutingContext, String> key;
  private final Consumer<String> onRefused;

  private RateLimitHandler(RateLimiter limiter, Function<RoutingContext, String> key, Consumer<String> onRefused) {
    this.limiter = limiter;
    this.key = key;
    this.onRefused = onRefused;
  }

  /**
   * @param key the caller's key; when it returns null the remote address is used
   * @param onRefused called with the limit's name on each refusal (e.g. {@code metrics::rateLimited}); may be null
   */
  public static RateLimitHandler create(RateLimiter limiter, Function<RoutingContext, String> key,
      Consumer<String> onRefused) {
    return new RateLimitHandler(limiter, key == null ? ctx -> null : key, onRefused == null ? n -> {} : onRefused);
  }

  /** Keyed by remote address only (unauthenticated routes such as enrolment). */
  public static RateLimitHandler byRemoteAddress(RateLimiter limiter, Consumer<String> onRefused) {
    return create(limiter, null, onRefused);
  }

  @Override
  public void handle(RoutingContext ctx) {
    String k = key.apply(ctx);
    if (k == null) {
      k = "addr:" + remoteAddress(ctx);
    }
    RateLimiter.Decision d = limiter.tryAcquire(k);
    if (d.allowed()) {
      ctx.next();
      return;
    }
    onRefused.accept(limiter.name());
    long retry = Math.max(1, (long) Math.ceil(d.retryAfterSeconds()));
    String message = String.format(Locale.ROOT,
        "rate limit '%s' exceeded: at most %s requests per second per caller (burst %s); retry after %d s",
        limiter.name(), trim(limiter.ratePerSecond()), trim(limiter.burst()), retry);
    boolean close = org.hedgerow.coordinator.ops.UnreadBodies.largeBodyPending(ctx.request());
    if (close) {
      ctx.response().putHeader("Connection", "close"); // a refused caller's large body is not read
    }
    ctx.response().setStatusCode(429).putHeader("Retry-After", Long.toString(retry))
        .putHeader("Content-Type", "application/json")
        .end(WireJson.encode(new RateLimitedAnswer(message, limiter.name())))
        .onComplete(x -> {
          if (close) {
            ctx.request().connection().close();
          }
        });
  }

  private static String remoteAddress(RoutingContext ctx) {
    SocketAddress a = ctx.request().remoteAddress();
    return a == null ? "unknown" : a.hostAddress();
  }

  private static String trim(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }
}
