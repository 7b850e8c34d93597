package org.hedgerow.benchmarks.load;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import java.util.List;

/**
 * A server under load: started fresh for each wave of uploads, so every wave sees the same state
 * (for the coordinator: one round with exactly {@code clients} expected clients).
 */
public interface LoadTarget {
  /** Short name used in the results. */
  String name();

  /** Whether clients must speak TLS to it. */
  boolean tls();

  /** Starts the server on {@code vertx} (a loopback port) for a wave of {@code clients}; returns the port. */
  int start(Vertx vertx, int clients, byte[] body) throws Exception;

  /**
   * Untimed set-up through {@code client} (e.g. registration), returning each client's upload.
   * Runs on its own connection pool, closed before the timed wave, so that every target's wave
   * includes connection set-up alike.
   */
  List<Upload> prepare(HttpClient client, int port, int clients) throws Exception;

  /** Checks the server saw every upload (e.g. the round closed); throws if not. */
  void verify(int clients) throws Exception;

  /** Stops the server started by {@link #start}. */
  void stop() throws Exception;
}
