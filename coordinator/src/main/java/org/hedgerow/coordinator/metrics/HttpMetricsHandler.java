package org.hedgerow.coordinator.metrics;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.StringJoiner;
import java.util.regex.Pattern;

/**
 * Times every request of a router and records it in {@link CoordinatorMetrics#httpRequest} under the
 * route <em>template</em> it matched ({@code /v1/rounds/:round/update}), so that round numbers,
 * client ids and scanners' random paths cannot create new time series: a path no route declares is
 * recorded as {@code "unmatched"}.
 *
 * <p>Install with {@link #mount(Router, CoordinatorMetrics)}; it runs before every other route.
 */
public final class HttpMetricsHandler implements Handler<RoutingContext> {
  /** Route label of a request that no route with a path matched (404s, probes). */
  public static final String UNMATCHED = "unmatched";
  /** Status recorded for a request whose connection closed before the answer was sent. */
  static final int CLIENT_CLOSED = 499;
  /** Route order of the timer: before everything (Vert.x routes default to 0, 1, 2, ... by insertion). */
  public static final int ORDER = -1_000_000;
  private static final Set<HttpMethod> KNOWN = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.POST,
      HttpMethod.PUT, HttpMethod.DELETE, HttpMethod.PATCH, HttpMethod.OPTIONS);

  private final Router router;
  private final CoordinatorMetrics metrics;
  private volatile List<Template> templates = List.of();
  private volatile int routeCount = -1;

  private record Template(String path, Pattern pattern, Set<HttpMethod> methods) {
    boolean matches(HttpMethod m, String p) {
      return (methods.isEmpty() || methods.contains(m)) && pattern.matcher(p).matches();
    }
  }

  private HttpMetricsHandler(Router router, CoordinatorMetrics metrics) {
    this.router = router;
    this.metrics = metrics;
  }

  /**
   * Adds the timing handler to {@code router} as its first route (order {@link #ORDER}),
   * whenever this is called. Routes added later are picked up too.
   */
  public static HttpMetricsHandler mount(Router router, CoordinatorMetrics metrics) {
    HttpMetricsHandler h = new HttpMetricsHandler(router, metrics);
    router.route().order(ORDER).handler(h);
    return h;
  }

  @Override
  public void handle(RoutingContext ctx) {
    long start = System.nanoTime();
    ctx.addEndHandler(ar -> {
      HttpMethod method = ctx.request().method();
      String route = template(method, ctx.request().path());
      // A caller that hung up got no answer: 499 (the nginx convention), not the response's default 200.
      int status = ar.succeeded() ? ctx.response().getStatusCode() : CLIENT_CLOSED;
      metrics.httpRequest(KNOWN.contains(method) ? method.name() : "OTHER", route, status,
          (System.nanoTime() - start) / 1e9);
    });
    ctx.next();
  }

  /** The first declared route template matching this method and path, or {@link #UNMATCHED}. */
  String template(HttpMethod method, String path) {
    if (path == null) {
      return UNMATCHED;
    }
    for (Template t : templates()) {
      if (t.matches(method, path)) {
        return t.path();
      }
    }
    return UNMATCHED;
  }

  private List<Template> templates() {
    List<Route> routes = router.getRoutes();
    if (routes.size() != routeCount) { // routes are only ever added at start-up; rebuild then
      List<Template> exact = new ArrayList<>();
      List<Template> prefixes = new ArrayList<>(); // "/v1/*" (say, a rate limit) must not hide "/v1/model"
      for (Route r : routes) {
        String p = templateOf(r);
        if (p != null) {
          Template t = new Template(p, compile(p), Set.copyOf(r.methods() == null ? Set.of() : r.methods()));
          (p.endsWith("*") ? prefixes : exact).add(t);
        }
      }
      exact.addAll(prefixes);
      templates = List.copyOf(exact);
      routeCount = routes.size();
    }
    return templates;
  }

  /**
   * The route's path template. Vert.x keeps a path with {@code :params} as a regex and exposes the
   * template as the route's default name; routes declared with a raw regex are skipped.
   */
  private static String templateOf(Route r) {
    if (r.getPath() != null && !r.isRegexPath()) {
      return r.getPath();
    }
    String name = r.getName();
    return name != null && name.startsWith("/") && name.contains("/:") ? name : null;
  }

  /** {@code /a/:x/b} → {@code /a/[^/]+/b}; a trailing {@code *} matches any rest. */
  static Pattern compile(String template) {
    boolean prefix = template.endsWith("*");
    String t = prefix ? template.substring(0, template.length() - 1) : template;
    StringJoiner re = new StringJoiner("/");
    for (String seg : t.split("/", -1)) {
      re.add(seg.startsWith(":") ? "[^/]+" : seg.isEmpty() ? "" : Pattern.quote(seg));
    }
    return Pattern.compile(prefix ? re + ".*" : re + "/?");
  }
}
