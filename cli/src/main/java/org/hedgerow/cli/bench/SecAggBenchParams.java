package org.hedgerow.cli.bench;

/**
 * Parameters of one secure-aggregation benchmark run.
 *
 * @param neighbours k, or null for classic SecAgg (n − 1)
 * @param threshold t, or null for the protocol default ⌈k/2⌉ + 1
 * @param federationCa whether clients check peers' certificates, and whether earlier rounds already did
 */
public record SecAggBenchParams(int clients, int dimension, double dropout, DropStage dropStage, Integer neighbours,
    Integer threshold, int bits, long seed, int threads, FederationCaMode federationCa) {
  /** Without certificates (open registration), as the bench ran before {@code --federation-ca}. */
  public SecAggBenchParams(int clients, int dimension, double dropout, DropStage dropStage, Integer neighbours,
      Integer threshold, int bits, long seed, int threads) {
    this(clients, dimension, dropout, dropStage, neighbours, threshold, bits, seed, threads, FederationCaMode.NONE);
  }
}
