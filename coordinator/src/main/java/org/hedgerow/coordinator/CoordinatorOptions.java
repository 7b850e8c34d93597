package org.hedgerow.coordinator;

import org.hedgerow.aggregation.model.ModelSpec;

/**
 * Settings of one federation run, with Vert.x-style {@code DEFAULT_*} constants.
 *
 * @param host address to bind (loopback by default)
 * @param port port to bind; 0 picks a free one
 * @param spec the model every client must train
 * @param targetRounds rounds to run before the federation is finished
 * @param expectedClients clients to wait for before the first round opens; 0: every client enrolled
 *     (and not revoked) at the time, at least one
 * @param minClients fewest updates with which a round may close at its deadline
 * @param roundDeadlineMillis time from a round's opening after which it closes with what it has
 * @param seed seed of the initial model
 * @param maxUploadBytes largest request body accepted
 * @param clientsPerRound clients asked in each round, drawn from the active ones deterministically
 *     from the seed and the round (so a resumed run asks the same ones); 0 asks every active client
 * @param privacy what the federation declares about DP at the silos: {@code none}, or {@code local}
 *     (every plain update must name a signed spend of its round, recorded through {@code POST /v1/spends})
 */
public record CoordinatorOptions(
    String host,
    int port,
    ModelSpec spec,
    int targetRounds,
    int expectedClients,
    int minClients,
    long roundDeadlineMillis,
    long seed,
    long maxUploadBytes,
    int clientsPerRound,
    String privacy) {
  public static final String DEFAULT_HOST = "127.0.0.1";
  /** No DP declared: updates need no spend (silos may still post theirs). */
  public static final String PRIVACY_NONE = "none";
  /** Local DP declared: every plain update must be paid for by a recorded signed spend of its round. */
  public static final String PRIVACY_LOCAL = "local";
  public static final String DEFAULT_PRIVACY = PRIVACY_NONE;
  public static final long DEFAULT_ROUND_DEADLINE_MILLIS = 600_000;
  public static final long DEFAULT_MAX_UPLOAD_BYTES = 64L << 20;

  public CoordinatorOptions {
    if (targetRounds < 1) {
      throw new IllegalArgumentException("rounds must be >= 1. Provided value: " + targetRounds);
    }
    if (expectedClients < 0) {
      throw new IllegalArgumentException("expected clients must be >= 0 (0: every enrolled client). Provided value: "
          + expectedClients);
    }
    if (minClients < 1 || (expectedClients > 0 && minClients > expectedClients)) {
      throw new IllegalArgumentException("min clients must be in [1, expected clients]. Provided value: " + minClients);
    }
    if (roundDeadlineMillis < 1) {
      throw new IllegalArgumentException("round deadline must be >= 1 ms. Provided value: " + roundDeadlineMillis);
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be in [0, 65535]. Provided value: " + port);
    }
    if (clientsPerRound < 0 || (expectedClients > 0 && clientsPerRound > expectedClients)) {
      throw new IllegalArgumentException("clients per round must be in [0, expected clients] (0: all). Provided value: "
          + clientsPerRound);
    }
    if (clientsPerRound > 0 && clientsPerRound < minClients) {
      throw new IllegalArgumentException("clients per round (" + clientsPerRound + ") must be >= min clients ("
          + minClients + "), or no round could reach its quorum");
    }
    if (privacy == null) {
      privacy = DEFAULT_PRIVACY;
    }
    if (!privacy.equals(PRIVACY_NONE) && !privacy.equals(PRIVACY_LOCAL)) {
      throw new IllegalArgumentException("privacy must be 'none' or 'local'. Provided value: " + privacy);
    }
    long needed = 4L * spec.parameterCount() + 1024;
    if (maxUploadBytes < needed) {
      throw new IllegalArgumentException("max upload bytes must hold one update (" + needed + "). Provided value: " + maxUploadBytes);
    }
  }

  /** No DP declared. */
  public CoordinatorOptions(String host, int port, ModelSpec spec, int targetRounds, int expectedClients,
      int minClients, long roundDeadlineMillis, long seed, long maxUploadBytes, int clientsPerRound) {
    this(host, port, spec, targetRounds, expectedClients, minClients, roundDeadlineMillis, seed, maxUploadBytes,
        clientsPerRound, DEFAULT_PRIVACY);
  }

  /** Every active client asked in every round. */
  public CoordinatorOptions(String host, int port, ModelSpec spec, int targetRounds, int expectedClients,
      int minClients, long roundDeadlineMillis, long seed, long maxUploadBytes) {
    this(host, port, spec, targetRounds, expectedClients, minClients, roundDeadlineMillis, seed, maxUploadBytes, 0);
  }

  /** These options with {@code n} clients asked per round (0: all); the quorum is lowered to {@code n} if above it. */
  public CoordinatorOptions withClientsPerRound(int n) {
    return new CoordinatorOptions(host, port, spec, targetRounds, expectedClients,
        n == 0 ? minClients : Math.min(minClients, n), roundDeadlineMillis, seed, maxUploadBytes, n, privacy);
  }

  /** These options with another round deadline and quorum. */
  public CoordinatorOptions withDeadline(long roundDeadlineMillis, int minClients) {
    return new CoordinatorOptions(host, port, spec, targetRounds, expectedClients, minClients, roundDeadlineMillis,
        seed, maxUploadBytes, clientsPerRound, privacy);
  }

  /** These options bound to {@code port}. */
  public CoordinatorOptions withPort(int port) {
    return new CoordinatorOptions(host, port, spec, targetRounds, expectedClients, minClients, roundDeadlineMillis,
        seed, maxUploadBytes, clientsPerRound, privacy);
  }

  /** These options declaring {@code privacy} ({@code none} or {@code local}). */
  public CoordinatorOptions withPrivacy(String privacy) {
    return new CoordinatorOptions(host, port, spec, targetRounds, expectedClients, minClients, roundDeadlineMillis,
        seed, maxUploadBytes, clientsPerRound, privacy);
  }

  /** True if the federation declares local DP: plain updates need a recorded spend of their round. */
  public boolean declaresLocalDp() {
    return PRIVACY_LOCAL.equals(privacy);
  }

  /** Loopback, any free port, every expected client required, default deadline and body limit. */
  public static CoordinatorOptions of(ModelSpec spec, int rounds, int clients, long seed) {
    return new CoordinatorOptions(DEFAULT_HOST, 0, spec, rounds, clients, clients, DEFAULT_ROUND_DEADLINE_MILLIS,
        seed, Math.max(DEFAULT_MAX_UPLOAD_BYTES, 4L * spec.parameterCount() + 1024));
  }
}
