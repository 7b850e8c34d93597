package org.hedgerow.aggregation.secagg;

/**
 * The output of a completed round: {@code Σ_{u ∈ survivors} x_u mod 2^b}, each element in
 * {@code [0, 2^b)} (read as unsigned for b = 32), and the sorted ids of the clients whose inputs
 * it contains. Nothing finer than this sum was revealed to the server.
 */
public final class SecAggResult {
  private final long roundId;
  private final int[] sum;
  private final int[] survivors;
  private final int[] badShareHolders;

  SecAggResult(long roundId, int[] sum, int[] survivors, int[] badShareHolders) {
    this.roundId = roundId;
    this.sum = sum;
    this.survivors = survivors;
    this.badShareHolders = badShareHolders;
  }

  /**
   * Clients whose revealed shares did not match the committed secret: the server left them out and
   * reconstructed from good shares (sorted; empty when every share used was good).
   */
  public int[] badShareHolders() {
    return badShareHolders.clone();
  }

  public long roundId() {
    return roundId;
  }

  /** A copy of the modular sum. */
  public int[] sum() {
    return sum.clone();
  }

  /** The ids of the clients whose inputs are in the sum. */
  public int[] survivors() {
    return survivors.clone();
  }

  public int survivorCount() {
    return survivors.length;
  }
}
