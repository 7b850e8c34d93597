package org.hedgerow.aggregation.secagg;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.hedgerow.privacy.crypto.Hkdf;

/**
 * The public parameters of one secure-aggregation round, shared by the server and every client.
 *
 * <ul>
 *   <li>{@code numClients} n ≥ 3: clients are numbered {@code 0 … n−1} within the round;
 *   <li>{@code neighbours} k: degree of the neighbour graph; {@code n − 1} (the default) is
 *       classic SecAgg, smaller k is SecAgg+ (Bell et al. 2020). For k &lt; n − 1, odd k needs an
 *       even n (a k-regular circulant graph exists only then);
 *   <li>{@code threshold} t: shares needed to reconstruct a neighbour's secret, with
 *       {@code k/2 < t ≤ k} (default {@code ⌈k/2⌉ + 1}, capped at k). {@code t > k/2} is what makes
 *       it impossible for the server to collect t shares of both secrets of a client, since every
 *       honest neighbour reveals at most one of them;
 *   <li>{@code modulusBits} b ∈ [1, 32]: inputs and the sum live in Z_{2^b} (default 32);
 *   <li>{@code dimension} d ≥ 1: length of every input vector;
 *   <li>{@code roundId}: binds every signature, ciphertext and derived mask to this round;
 *   <li>{@code graphRound}: the federation round the graph belongs to (default: the round id). A
 *       service sets it to the federation round number, never to the session's protocol round id:
 *       the server picks session ids, so a graph keyed by them could be ground by re-running sessions;
 *   <li>{@code graphSeed}: the neighbour graph's 32-byte public seed ({@link NeighbourGraph}; default:
 *       derived from {@code graphRound} alone). A value set here must be one the server cannot
 *       choose, e.g. a public beacon's output fixed before the round.
 * </ul>
 */
public final class SecAggConfig {
  public static final int MAX_MODULUS_BITS = 32;
  /** Largest dimension whose masked input still fits one byte array with its header. */
  public static final int MAX_DIMENSION = (Integer.MAX_VALUE - 64) / Integer.BYTES;

  private final long roundId;
  private final long graphRound;
  private final int numClients;
  private final int neighbours;
  private final int threshold;
  private final int modulusBits;
  private final int dimension;
  private final byte[] graphSeed;

  private SecAggConfig(Builder b) {
    this.roundId = b.roundId;
    this.graphRound = b.graphRound == null ? b.roundId : b.graphRound;
    this.numClients = b.numClients;
    this.dimension = b.dimension;
    if (numClients < 3) {
      throw new IllegalArgumentException("numClients must be >= 3. Provided value: " + numClients);
    }
    if (dimension < 1 || dimension > MAX_DIMENSION) {
      throw new IllegalArgumentException(String.format(
          "dimension must be in [1, %d]. Provided value: %d", MAX_DIMENSION, dimension));
    }
    this.neighbours = b.neighbours == null ? numClients - 1 : b.neighbours;
    if (neighbours < 2 || neighbours > numClients - 1) {
      throw new IllegalArgumentException(String.format(
          "neighbours must be in [2, numClients − 1 = %d]. Provided value: %d", numClients - 1, neighbours));
    }
    if (neighbours % 2 == 1 && numClients % 2 == 1) {
      throw new IllegalArgumentException(String.format(
          "neighbours must be even when numClients is odd (no %d-regular graph on %d vertices). Provided value: %d",
          neighbours, numClients, neighbours));
    }
    this.threshold = b.threshold == null ? defaultThreshold(neighbours) : b.threshold;
    if (2 * threshold <= neighbours || threshold > neighbours) {
      throw new IllegalArgumentException(String.format(
          "threshold must be in (neighbours/2, neighbours] = (%s, %d]. Provided value: %d",
          neighbours / 2.0, neighbours, threshold));
    }
    this.modulusBits = b.modulusBits;
    if (modulusBits < 1 || modulusBits > MAX_MODULUS_BITS) {
      throw new IllegalArgumentException(String.format(
          "modulusBits must be in [1, %d]. Provided value: %d", MAX_MODULUS_BITS, modulusBits));
    }
    if (b.graphSeed != null) {
      if (b.graphSeed.length != 32) {
        throw new IllegalArgumentException("graphSeed must be exactly 32 bytes. Provided length: " + b.graphSeed.length);
      }
      this.graphSeed = b.graphSeed.clone();
    } else {
      byte[] info = ByteBuffer.allocate(8).putLong(graphRound).array();
      this.graphSeed = Hkdf.sha256("hedgerow/secagg/v3/graph-seed".getBytes(StandardCharsets.UTF_8), null, info, 32);
    }
  }

  /** {@code ⌈k/2⌉ + 1}, capped at k so that small graphs (k = 2) stay valid. */
  public static int defaultThreshold(int neighbours) {
    return Math.min(neighbours, (neighbours + 1) / 2 + 1);
  }

  /**
   * The protocol round id of session {@code session} of federation round {@code round}: the first 8
   * bytes of SHA-256({@code "hedgerow/secagg/v1/session"} | round (8 bytes) | session (UTF-8)). Used
   * as {@link Builder#roundId}, it binds the session into every advertisement signature, HKDF info
   * (share keys, pairwise masks), AES-GCM associated data and message header,
   * so nothing of one session (e.g. before a coordinator restart) is valid in another. Each party
   * computes it from the round it asked for and the announced session, so a coordinator cannot make a
   * client sign for another round.
   */
  public static long sessionRoundId(long round, String session) {
    if (session == null || session.isEmpty()) {
      throw new IllegalArgumentException("session must not be empty");
    }
    try {
      java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
      sha.update("hedgerow/secagg/v1/session".getBytes(StandardCharsets.UTF_8));
      sha.update(ByteBuffer.allocate(8).putLong(round).array());
      sha.update(session.getBytes(StandardCharsets.UTF_8));
      return ByteBuffer.wrap(sha.digest(), 0, 8).getLong();
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e); // every Java platform has it
    }
  }

  public static Builder builder(int numClients, int dimension) {
    return new Builder(numClients, dimension);
  }

  public long roundId() {
    return roundId;
  }

  /** The federation round whose public graph seed this round uses. */
  public long graphRound() {
    return graphRound;
  }

  public int numClients() {
    return numClients;
  }

  public int neighbours() {
    return neighbours;
  }

  public int threshold() {
    return threshold;
  }

  public int modulusBits() {
    return modulusBits;
  }

  public int dimension() {
    return dimension;
  }

  public byte[] graphSeed() {
    return graphSeed.clone();
  }

  /** Whether the graph is complete (classic SecAgg). */
  public boolean isClassic() {
    return neighbours == numClients - 1;
  }

  /** Mask applied to results: {@code 2^b − 1} as an int ({@code −1} for b = 32). */
  int resultMask() {
    return modulusBits == 32 ? -1 : (1 << modulusBits) - 1;
  }

  @Override
  public String toString() {
    return String.format("SecAggConfig[round=%d, n=%d, k=%d, t=%d, b=%d, d=%d]",
        roundId, numClients, neighbours, threshold, modulusBits, dimension);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SecAggConfig c && c.roundId == roundId && c.graphRound == graphRound && c.numClients == numClients
        && c.neighbours == neighbours && c.threshold == threshold && c.modulusBits == modulusBits
        && c.dimension == dimension && Arrays.equals(c.graphSeed, graphSeed);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(roundId) * 31 + Arrays.hashCode(graphSeed);
  }

  /** Builds a validated {@link SecAggConfig}; unset values take the documented defaults. */
  public static final class Builder {
    private final int numClients;
    private final int dimension;
    private long roundId;
    private Long graphRound;
    private Integer neighbours;
    private Integer threshold;
    private int modulusBits = MAX_MODULUS_BITS;
    private byte[] graphSeed;

    private Builder(int numClients, int dimension) {
      this.numClients = numClients;
      this.dimension = dimension;
    }

    public Builder roundId(long roundId) {
      this.roundId = roundId;
      return this;
    }

    /** The federation round number, which keys the default graph seed (see the class comment). */
    public Builder graphRound(long graphRound) {
      this.graphRound = graphRound;
      return this;
    }

    public Builder neighbours(int neighbours) {
      this.neighbours = neighbours;
      return this;
    }

    public Builder threshold(int threshold) {
      this.threshold = threshold;
      return this;
    }

    public Builder modulusBits(int modulusBits) {
      this.modulusBits = modulusBits;
      return this;
    }

    public Builder graphSeed(byte[] graphSeed) {
      this.graphSeed = graphSeed == null ? null : graphSeed.clone();
      return this;
    }

    /** @throws IllegalArgumentException naming the first invalid parameter */
    public SecAggConfig build() {
      return new SecAggConfig(this);
    }
  }
}
