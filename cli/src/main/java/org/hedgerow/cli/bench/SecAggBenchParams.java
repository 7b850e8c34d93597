package org.hedgerow.cli.bench;

/**
 * Parameters of one secure-aggregation benchmark run.
 *
 * @param neighbours k, or null for classic SecAgg (n − 1)
 * @param threshold t, or null for the protocol default ⌈k/2⌉ + 1
 */
public record SecAggBenchParams(int clients, int dimension, double dropout, DropStage dropStage, Integer neighbours,
    Integer threshold, int bits, long seed, int threads) {}
