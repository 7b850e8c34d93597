package org.hedgerow.edge.serve;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Request counters and latency sums by route and status, in Prometheus' text format. */
final class ServeMetrics {
  private final Map<String, Map<Integer, LongAdder>> requests = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> micros = new ConcurrentHashMap<>();
  private final LongAdder eventsAccepted = new LongAdder();
  private final Map<String, LongAdder> reasons = new ConcurrentHashMap<>();

  void request(String route, int status, long nanos) {
    // Keyed by route then status: no string is built per request.
    requests.computeIfAbsent(route, k -> new ConcurrentHashMap<>()).computeIfAbsent(status, k -> new LongAdder())
        .increment();
    micros.computeIfAbsent(route, k -> new LongAdder()).add(nanos / 1000);
  }

  void events(int n) {
    eventsAccepted.add(n);
  }

  void reason(Reason r) {
    reasons.computeIfAbsent(r.key(), k -> new LongAdder()).increment();
  }

  String render(Recommender r) {
    StringBuilder sb = new StringBuilder();
    sb.append("# TYPE hedgerow_serve_requests_total counter\n");
    new TreeMap<>(requests).forEach((route, byStatus) -> new TreeMap<>(byStatus).forEach((status, v) ->
        sb.append("hedgerow_serve_requests_total{route=\"").append(route).append("\",status=\"").append(status)
            .append("\"} ").append(v.sum()).append('\n')));
    sb.append("# TYPE hedgerow_serve_request_seconds_sum counter\n");
    new TreeMap<>(micros).forEach((k, v) -> sb.append("hedgerow_serve_request_seconds_sum{route=\"").append(k)
        .append("\"} ").append(v.sum() / 1e6).append('\n'));
    sb.append("# TYPE hedgerow_serve_recommended_items_total counter\n");
    new TreeMap<>(reasons).forEach((k, v) -> sb.append("hedgerow_serve_recommended_items_total{reason=\"").append(k)
        .append("\"} ").append(v.sum()).append('\n'));
    sb.append("# TYPE hedgerow_serve_events_accepted_total counter\n");
    sb.append("hedgerow_serve_events_accepted_total ").append(eventsAccepted.sum()).append('\n');
    sb.append("# TYPE hedgerow_serve_customers gauge\nhedgerow_serve_customers ").append(r.customers()).append('\n');
    sb.append("# TYPE hedgerow_serve_catalogue_products gauge\nhedgerow_serve_catalogue_products ")
        .append(r.snapshot().catalogue().size()).append('\n');
    sb.append("# TYPE hedgerow_serve_exploration_epsilon gauge\nhedgerow_serve_exploration_epsilon ")
        .append(r.policy().epsilon()).append('\n');
    return sb.toString();
  }
}
