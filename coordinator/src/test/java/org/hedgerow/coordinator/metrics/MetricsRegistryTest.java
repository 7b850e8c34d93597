package org.hedgerow.coordinator.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The text exposition format 0.0.4, line by line. */
class MetricsRegistryTest {
  @Test
  void scrape_counterWithLabels_helpTypeAndSortedSamples() {
    MetricsRegistry r = new MetricsRegistry();
    Counter c = r.counter("hedgerow_things_total", "Things done.", "kind");
    c.labels("b").inc(2);
    c.labels("a").inc();
    assertEquals("""
        # HELP hedgerow_things_total Things done.
        # TYPE hedgerow_things_total counter
        hedgerow_things_total{kind="a"} 1
        hedgerow_things_total{kind="b"} 2
        """, r.scrape());
  }

  @Test
  void scrape_unlabelledMetricsNeverTouched_exposedAsZero() {
    MetricsRegistry r = new MetricsRegistry();
    r.counter("c_total", "A counter.");
    r.gauge("g", "A gauge.");
    assertEquals("""
        # HELP c_total A counter.
        # TYPE c_total counter
        c_total 0
        # HELP g A gauge.
        # TYPE g gauge
        g 0
        """, r.scrape());
  }

  @Test
  void scrape_histogram_cumulativeBucketsSumAndCount() {
    MetricsRegistry r = new MetricsRegistry();
    Histogram h = r.histogram("latency_seconds", "Latency.", new double[] {0.1, 1}, "route");
    h.labels("/x").observe(0.05);
    h.labels("/x").observe(0.1); // on the bound: counted in le="0.1"
    h.labels("/x").observe(0.5);
    h.labels("/x").observe(7);
    assertEquals("""
        # HELP latency_seconds Latency.
        # TYPE latency_seconds histogram
        latency_seconds_bucket{route="/x",le="0.1"} 2
        latency_seconds_bucket{route="/x",le="1"} 3
        latency_seconds_bucket{route="/x",le="+Inf"} 4
        latency_seconds_sum{route="/x"} 7.65
        latency_seconds_count{route="/x"} 4
        """, r.scrape());
  }

  @Test
  void scrape_labelValueWithQuoteBackslashNewline_escaped() {
    MetricsRegistry r = new MetricsRegistry();
    r.gauge("g", "Help with \\ and\nnewline.", "v").labels("a\"b\\c\nd").set(1.5);
    assertEquals("""
        # HELP g Help with \\\\ and\\nnewline.
        # TYPE g gauge
        g{v="a\\"b\\\\c\\nd"} 1.5
        """, r.scrape());
  }

  @Test
  void scrape_specialValues_spelledAsPrometheusReadsThem() {
    MetricsRegistry r = new MetricsRegistry();
    Gauge g = r.gauge("g", "G.", "k");
    g.labels("inf").set(Double.POSITIVE_INFINITY);
    g.labels("minf").set(Double.NEGATIVE_INFINITY);
    g.labels("nan").set(Double.NaN);
    g.labels("small").set(1e-4);
    String s = r.scrape();
    assertTrue(s.contains("g{k=\"inf\"} +Inf\n"), s);
    assertTrue(s.contains("g{k=\"minf\"} -Inf\n"), s);
    assertTrue(s.contains("g{k=\"nan\"} NaN\n"), s);
    assertTrue(s.contains("g{k=\"small\"} 1.0E-4\n"), s);
  }

  @Test
  void gauge_supplier_readAtScrape() {
    MetricsRegistry r = new MetricsRegistry();
    int[] v = {3};
    r.gauge("open", "Open things.", () -> v[0]);
    v[0] = 5;
    assertTrue(r.scrape().contains("\nopen 5\n"));
  }

  @Test
  void register_invalidNamesAndClashes_refusedNamingTheProblem() {
    MetricsRegistry r = new MetricsRegistry();
    assertThrows(IllegalArgumentException.class, () -> r.counter("9bad", "x"));
    assertThrows(IllegalArgumentException.class, () -> r.counter("ok_total", "x", "bad-label"));
    assertThrows(IllegalArgumentException.class, () -> r.counter("ok_total", "x", "__reserved"));
    assertThrows(IllegalArgumentException.class, () -> r.histogram("h", "x", new double[] {1}, "le"));
    assertThrows(IllegalArgumentException.class, () -> r.histogram("h", "x", new double[] {2, 1}));
    r.histogram("h", "x", new double[] {1});
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> r.counter("h_count", "x"));
    assertTrue(e.getMessage().contains("h_count"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> r.gauge("h", "x"));
  }

  @Test
  void labels_wrongCountOrNull_refused() {
    Counter c = new MetricsRegistry().counter("c_total", "C.", "a", "b");
    assertThrows(IllegalArgumentException.class, () -> c.labels("x"));
    assertThrows(IllegalArgumentException.class, () -> c.labels("x", null));
    assertThrows(IllegalArgumentException.class, () -> c.labels("x", "y").inc(-1));
  }

  @Test
  void observe_fromManyThreads_countsAndSumExact() throws Exception {
    MetricsRegistry r = new MetricsRegistry();
    Histogram h = r.histogram("h", "H.", new double[] {0.5});
    Counter c = r.counter("c_total", "C.");
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<?>> fs = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      fs.add(pool.submit(() -> {
        for (int i = 0; i < 10_000; i++) {
          h.observe(i % 2); // 0 then 1
          c.inc();
        }
      }));
    }
    for (Future<?> f : fs) {
      f.get();
    }
    pool.shutdown();
    String s = r.scrape();
    assertTrue(s.contains("h_bucket{le=\"0.5\"} 20000\n"), s);
    assertTrue(s.contains("h_bucket{le=\"+Inf\"} 40000\n"), s);
    assertTrue(s.contains("h_sum 20000\n"), s);
    assertTrue(s.contains("h_count 40000\n"), s);
    assertTrue(s.contains("c_total 40000\n"), s);
  }

  @Test
  void coordinatorMetrics_events_exposedUnderTheirNames() {
    CoordinatorMetrics m = new CoordinatorMetrics();
    m.roundOpened(3);
    m.updateAccepted(1 << 20);
    m.updateRejected(UpdateRejection.forStatus(409));
    m.roundCompleted(14);
    m.longPollOpened();
    m.httpRequest("PUT", "/v1/rounds/:round/update", 202, 0.02);
    String s = m.registry().scrape();
    assertTrue(s.contains("hedgerow_round_current 3\n"), s);
    assertTrue(s.contains("hedgerow_round_updates 1\n"), s);
    assertTrue(s.contains("hedgerow_upload_bytes_total 1048576\n"), s);
    assertTrue(s.contains("hedgerow_updates_rejected_total{reason=\"wrong_round\"} 1\n"), s);
    assertTrue(s.contains("hedgerow_round_participants_bucket{le=\"20\"} 1\n"), s);
    assertTrue(s.contains("hedgerow_long_polls_open 1\n"), s);
    assertTrue(s.contains("hedgerow_http_request_duration_seconds_bucket{method=\"PUT\",route=\"/v1/rounds/:round/update\","
        + "status=\"2xx\",le=\"0.025\"} 1\n"), s);
  }
}
