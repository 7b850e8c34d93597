package org.hedgerow.coordinator.metrics;

/**
 * The coordinator's metrics, by name, over one {@link MetricsRegistry}. Every method is thread-safe
 * and cheap enough for the event loop. Names follow Prometheus conventions: {@code hedgerow_} prefix,
 * base units (seconds, bytes), {@code _total} for counters.
 */
public final class CoordinatorMetrics {
  /** Participants per round: from a handful of silos to a few thousand. */
  static final double[] PARTICIPANT_BUCKETS = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000};

  private final MetricsRegistry registry;
  private final Counter roundsCompleted;
  private final Counter roundsAborted;
  private final Gauge currentRound;
  private final Gauge roundUpdates;
  private final Histogram roundParticipants;
  private final Gauge clientsActive;
  private final Counter updatesAccepted;
  private final Counter updatesRejected;
  private final Counter uploadBytes;
  private final Counter downloadBytes;
  private final Histogram httpDuration;
  private final Gauge longPolls;
  private final Counter rateLimited;
  private final Counter bodiesRead;
  private final Counter shed;

  public CoordinatorMetrics() {
    this(new MetricsRegistry());
  }

  public CoordinatorMetrics(MetricsRegistry registry) {
    this.registry = registry;
    roundsCompleted = registry.counter("hedgerow_rounds_completed_total", "Rounds closed with a new model.");
    roundsAborted = registry.counter("hedgerow_rounds_aborted_total",
        "Rounds closed without a new model (secure aggregation aborted, every client declined).");
    currentRound = registry.gauge("hedgerow_round_current", "Number of the open (or last) round; 0 before the first.");
    roundUpdates = registry.gauge("hedgerow_round_updates", "Updates accepted so far in the open round.");
    roundParticipants = registry.histogram("hedgerow_round_participants",
        "Clients whose update went into a closed round.", PARTICIPANT_BUCKETS);
    clientsActive = registry.gauge("hedgerow_clients_active", "Clients the coordinator still expects updates from.");
    updatesAccepted = registry.counter("hedgerow_updates_accepted_total", "Updates accepted (durable when counted).");
    updatesRejected = registry.counter("hedgerow_updates_rejected_total", "Updates refused, by reason.", "reason");
    uploadBytes = registry.counter("hedgerow_upload_bytes_total", "Bytes of accepted update bodies.");
    downloadBytes = registry.counter("hedgerow_download_bytes_total", "Bytes of model parameters served.");
    httpDuration = registry.histogram("hedgerow_http_request_duration_seconds",
        "HTTP request time from arrival to the end of the response, by method, route template and status class.",
        Histogram.LATENCY_SECONDS, "method", "route", "status");
    longPolls = registry.gauge("hedgerow_long_polls_open", "GET /v1/round?after=N requests waiting for a change.");
    rateLimited = registry.counter("hedgerow_rate_limited_total", "Requests refused with 429, by limit.", "limit");
    bodiesRead = registry.counter("hedgerow_request_bodies_read_total",
        "Requests whose body the coordinator started to read (only after authentication), by route.", "route");
    shed = registry.counter("hedgerow_requests_shed_total",
        "Requests refused with 503 by a service limit (connections per address, long-poll waiters), by limit.", "limit");
  }

  /** The registry to scrape (add more metrics to it if needed). */
  public MetricsRegistry registry() {
    return registry;
  }

  /** A round opened: sets the current round and resets the per-round update count. */
  public void roundOpened(int round) {
    currentRound.set(round);
    roundUpdates.set(0);
  }

  /** A round closed with a new model from {@code participants} updates. */
  public void roundCompleted(int participants) {
    roundsCompleted.inc();
    roundParticipants.observe(participants);
  }

  public void roundAborted() {
    roundsAborted.inc();
  }

  public void activeClients(int n) {
    clientsActive.set(n);
  }

  /** An update of {@code bytes} body bytes was accepted. */
  public void updateAccepted(long bytes) {
    updatesAccepted.inc();
    roundUpdates.inc();
    uploadBytes.inc(bytes);
  }

  public void updateRejected(UpdateRejection reason) {
    updatesRejected.labels(reason.label()).inc();
  }

  public void modelServed(long bytes) {
    downloadBytes.inc(bytes);
  }

  public void longPollOpened() {
    longPolls.inc();
  }

  public void longPollClosed() {
    longPolls.dec();
  }

  /** A request was refused by the rate limit named {@code limit} (a fixed name like "uploads"). */
  public void rateLimited(String limit) {
    rateLimited.labels(limit).inc();
  }

  /** The coordinator started reading a request body on {@code route} (a route template). */
  public void bodyRead(String route) {
    bodiesRead.labels(route).inc();
  }

  /** A request was refused by the service limit {@code limit}. */
  public void shed(String limit) {
    shed.labels(limit).inc();
  }

  /** Bodies read so far on {@code route}. */
  public double bodiesRead(String route) {
    return bodiesRead.labels(route).get();
  }

  /**
   * One finished HTTP request.
   *
   * @param route the route template (e.g. {@code /v1/rounds/:round/update}), never the raw path
   */
  public void httpRequest(String method, String route, int status, double seconds) {
    httpDuration.labels(method, route, statusClass(status)).observe(seconds);
  }

  static String statusClass(int status) {
    return status >= 100 && status < 600 ? (status / 100) + "xx" : "other";
  }
}
