package org.hedgerow.coordinator.secagg;

import org.hedgerow.aggregation.secagg.SecAggConfig;
import org.hedgerow.aggregation.secagg.SecureSumEncoding;
import org.hedgerow.aggregation.wire.SecureAggregationTerms;

/**
 * Secure-aggregation settings of a federation.
 *
 * @param mode {@code secagg} (complete graph, k = n − 1) or {@code secagg+} (sparse graph)
 * @param neighbours k for {@code secagg+}; null: the smallest even k ≥ 2·log₂ n (capped at n − 1),
 *     which suits about 10% dropout (docs/security.md, "Choosing k")
 * @param threshold t; null: {@code ⌈k/2⌉ + 1}
 * @param bits quantisation bits; null: the largest that cannot overflow for n clients
 * @param clip per-coordinate bound on a client's delta
 * @param weightCap W, the largest FedAvg weight counted in full; null: {@code min(2^20, 2^{bits−1} − 1)}
 * @param advertiseDeadlineMillis stage 0 deadline from the round's opening; clients train before
 *     advertising, so this covers local training (why: a client that fails while training then
 *     drops before any secret exists, which costs the protocol nothing)
 * @param stageDeadlineMillis deadline of each later stage (they need no training, only crypto and I/O)
 * @param distributedDp distributed DP (each silo adds a share of discrete Gaussian noise before
 *     masking), or null: silos send their updates as {@link SecureSumEncoding} encodes them
 * @param assumedSybils S, colluding silos the threshold must withstand among a silo's k neighbours: each
 *     session's t is raised to at least ⌊(k + S)/2⌋ + 1, so that 2t &gt; k + S (docs/security.md, "What the
 *     consistency round buys"); capped at k when a session has too few neighbours for it (silos that
 *     assume as many, {@code client --max-sybils S}, then refuse that session). 0: no assumption
 */
public record SecureAggregationOptions(String mode, Integer neighbours, Integer threshold, Integer bits, double clip,
    Long weightCap, long advertiseDeadlineMillis, long stageDeadlineMillis, DistributedDpOptions distributedDp,
    int assumedSybils) {
  public static final long DEFAULT_STAGE_DEADLINE_MILLIS = 60_000;

  public SecureAggregationOptions {
    if (!"secagg".equals(mode) && !"secagg+".equals(mode)) {
      throw new IllegalArgumentException("secure aggregation mode must be 'secagg' or 'secagg+'. Provided value: " + mode);
    }
    if ("secagg".equals(mode) && neighbours != null) {
      throw new IllegalArgumentException("'neighbours' applies to secagg+ only (secagg uses the complete graph)");
    }
    if (!(clip > 0) || !Double.isFinite(clip)) {
      throw new IllegalArgumentException("clip must be > 0 and finite. Provided value: " + clip);
    }
    if (advertiseDeadlineMillis < 1 || stageDeadlineMillis < 1) {
      throw new IllegalArgumentException("stage deadlines must be >= 1 ms");
    }
    if (assumedSybils < 0) {
      throw new IllegalArgumentException("assumed Sybils (--assume-sybils) must be >= 0. Provided value: " + assumedSybils);
    }
  }

  /** Without a Sybil assumption. */
  public SecureAggregationOptions(String mode, Integer neighbours, Integer threshold, Integer bits, double clip,
      Long weightCap, long advertiseDeadlineMillis, long stageDeadlineMillis, DistributedDpOptions distributedDp) {
    this(mode, neighbours, threshold, bits, clip, weightCap, advertiseDeadlineMillis, stageDeadlineMillis, distributedDp,
        0);
  }

  /** Without distributed DP. */
  public SecureAggregationOptions(String mode, Integer neighbours, Integer threshold, Integer bits, double clip,
      Long weightCap, long advertiseDeadlineMillis, long stageDeadlineMillis) {
    this(mode, neighbours, threshold, bits, clip, weightCap, advertiseDeadlineMillis, stageDeadlineMillis, null);
  }

  /** These settings with distributed DP ({@code null}: none). */
  public SecureAggregationOptions withDistributedDp(DistributedDpOptions ddp) {
    return new SecureAggregationOptions(mode, neighbours, threshold, bits, clip, weightCap, advertiseDeadlineMillis,
        stageDeadlineMillis, ddp, assumedSybils);
  }

  /** These settings with every session's threshold sized against {@code sybils} colluding neighbours. */
  public SecureAggregationOptions withAssumedSybils(int sybils) {
    return new SecureAggregationOptions(mode, neighbours, threshold, bits, clip, weightCap, advertiseDeadlineMillis,
        stageDeadlineMillis, distributedDp, sybils);
  }

  /** Defaults for {@code mode}; the advertise deadline is the round deadline. */
  public static SecureAggregationOptions of(String mode, long roundDeadlineMillis) {
    return new SecureAggregationOptions(mode, null, null, null, SecureSumEncoding.DEFAULT_CLIP, null,
        roundDeadlineMillis, DEFAULT_STAGE_DEADLINE_MILLIS);
  }

  public SecureAggregationOptions withDeadlines(long advertiseMillis, long stageMillis) {
    return new SecureAggregationOptions(mode, neighbours, threshold, bits, clip, weightCap, advertiseMillis, stageMillis,
        distributedDp, assumedSybils);
  }

  public SecureAggregationOptions withGraph(Integer neighbours, Integer threshold) {
    return new SecureAggregationOptions(mode, neighbours, threshold, bits, clip, weightCap, advertiseDeadlineMillis,
        stageDeadlineMillis, distributedDp, assumedSybils);
  }

  /** The degree for {@code n} clients. */
  public int neighboursFor(int n) {
    if (mode.equals("secagg")) {
      return n - 1;
    }
    int k;
    if (neighbours != null) {
      k = neighbours;
    } else {
      k = (int) Math.ceil(2 * Math.log(n) / Math.log(2));
      k += k % 2; // even: valid for any n
      k = Math.max(2, k);
    }
    return Math.min(k, n - 1);
  }

  /** The round's protocol parameters for {@code n} clients and a {@code dimension}-long encoding. */
  public SecAggConfig configFor(int round, int n, int dimension) {
    return configForProtocolRound(round, round, n, dimension);
  }

  /**
   * As above with protocol round id {@code roundId}, e.g. {@link SecAggConfig#sessionRoundId} of the
   * federation round and the session, and the neighbour graph keyed by the federation round
   * {@code round} (never by the session, which the coordinator picks: docs/security.md).
   */
  public SecAggConfig configForProtocolRound(long roundId, int round, int n, int dimension) {
    int k = neighboursFor(n);
    SecAggConfig.Builder b = SecAggConfig.builder(n, dimension).roundId(roundId).graphRound(round).neighbours(k);
    Integer t = threshold == null ? null : Math.min(threshold, k);
    if (assumedSybils > 0) {
      // 2t > k + S: honest neighbours reveal one of a silo's two secrets, Sybil neighbours both.
      int configured = t != null ? t : SecAggConfig.defaultThreshold(k);
      t = Math.min(k, Math.max(configured, (k + assumedSybils) / 2 + 1));
    }
    if (t != null) {
      b.threshold(t);
    }
    return b.build();
  }

  public SecureSumEncoding encodingFor(int n) {
    return SecureSumEncoding.forClients(n, clip, bits, weightCap);
  }

  /**
   * The encoding of a session of {@code n} clients on a model of {@code parameters}: with distributed
   * DP its clip carries the integer scale ({@link DistributedDpOptions#sumEncoding}).
   */
  public SecureSumEncoding encodingFor(int n, int parameters) {
    SecureSumEncoding base = encodingFor(n);
    return distributedDp == null ? base : distributedDp.sumEncoding(base, parameters);
  }

  /** What a session announces (before its id and roster size): graph, encoding and, when on, the distributed-DP terms. */
  public SecureAggregationTerms describe(SecAggConfig config, SecureSumEncoding encoding, int parameters) {
    return new SecureAggregationTerms(mode, null, null, config.neighbours(), config.threshold(), encoding.bits(),
        encoding.clip(), encoding.weightCap(), distributedDp == null ? null
            : distributedDp.terms(encoding, config.numClients(), config.threshold(), parameters));
  }
}
