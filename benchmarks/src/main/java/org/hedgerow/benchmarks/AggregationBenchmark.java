package org.hedgerow.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.hedgerow.aggregation.strategy.ClientUpdate;
import org.hedgerow.aggregation.strategy.FedAvg;
import org.hedgerow.aggregation.wire.ParameterCodec;
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
 * The coordinator's per-round work against a baseline in the same run: {@code plainSum} adds the
 * same vectors with no weighting, validation or ordering, the least any aggregation must do.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class AggregationBenchmark {
  /** clients:dimension — the demo's 14 silos × a model of ~12.5k parameters, and 100 clients × 10^6. */
  @Param({"14:12545", "100:1000000"})
  public String shape;

  private List<ClientUpdate> updates;
  private byte[] encoded;
  private int dim;

  @Setup
  public void setup() {
    String[] p = shape.split(":");
    int clients = Integer.parseInt(p[0]);
    dim = Integer.parseInt(p[1]);
    Random r = new Random(1);
    updates = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      float[] d = new float[dim];
      for (int i = 0; i < dim; i++) {
        d[i] = (float) r.nextGaussian();
      }
      updates.add(new ClientUpdate("c" + c, 1 + r.nextInt(1000), d));
    }
    encoded = ParameterCodec.encode(updates.get(0).delta());
  }

  @Benchmark
  public double[] fedAvgWeightedMean() {
    return FedAvg.weightedMean(updates, dim);
  }

  @Benchmark
  public double[] plainSum() {
    double[] s = new double[dim];
    for (ClientUpdate u : updates) {
      float[] d = u.delta();
      for (int i = 0; i < dim; i++) {
        s[i] += d[i];
      }
    }
    return s;
  }

  @Benchmark
  public float[] decodeOneUpload() {
    return ParameterCodec.decode(encoded, dim);
  }
}
