package org.hedgerow.benchmarks;

import java.util.concurrent.TimeUnit;
import org.hedgerow.privacy.crypto.MaskStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Secure aggregation's hot loop: expanding one mask of D words from a fresh seed and adding it to a
 * vector modulo 2^32, per keystream generator. {@code plainAdd} adds an existing vector of the same
 * length, the baseline no mask expansion can beat.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MaskExpansionBenchmark {
  @Param({"100000"})
  public int dim;

  @Param({"AES_256_CTR", "CHACHA20"})
  public MaskStream.Prg prg;

  private int[] acc;
  private int[] other;
  private final byte[] seed = new byte[MaskStream.SEED_BYTES];
  private int counter;

  @Setup
  public void setup() {
    acc = new int[dim];
    other = new int[dim];
    for (int i = 0; i < dim; i++) {
      other[i] = i * 0x9E3779B9;
    }
  }

  @Benchmark
  public int[] expandAndAdd() {
    seed[0] = (byte) counter++; // a fresh key each call, as for a new mask
    new MaskStream(seed, prg).addTo(acc);
    return acc;
  }

  @Benchmark
  public int[] plainAdd() {
    for (int i = 0; i < dim; i++) {
      acc[i] += other[i];
    }
    return acc;
  }
}
