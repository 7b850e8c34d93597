package org.hedgerow.aggregation.strategy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import org.hedgerow.aggregation.model.ModelSpec;

/**
 * A server optimiser in the sense of Reddi et al. 2021 ("Adaptive Federated Optimization",
 * Algorithm 1/2): the round's example-weighted mean delta Δ is a pseudo-gradient, and the server
 * takes one optimiser step with it instead of adding it as is. Because the step needs only Δ, it
 * works the same with plain uploads ({@link #aggregateFit}) and behind secure aggregation
 * ({@link #aggregateMean}).
 *
 * <p>The optimiser's moments (one or two vectors of the model's dimension, kept in double) are its
 * state between rounds. {@link #state()} serialises them exactly, with the rule's kind, its
 * hyperparameters and the last applied round, so a restarted coordinator continues bit-exactly and
 * a snapshot cannot be restored into a different rule or configuration. Rounds must increase: a
 * round applied twice would count its updates twice, so it is refused.
 */
public abstract class ServerOptimizer implements Strategy {
  private static final byte STATE_VERSION = 1;

  private final FedAvg base;
  private int lastRound;
  /** {@code moments[k][i]}: moment k of coordinate i; null until the first round fixes the dimension. */
  private double[][] moments;

  protected ServerOptimizer(FitConfig fitConfig) {
    this.base = new FedAvg(fitConfig);
  }

  /** The rule's name in {@link AggregatorSpec} (and in its state, to refuse a foreign snapshot). */
  public abstract String kind();

  /** The hyperparameters, in a fixed order: stored with the state and checked on restore. */
  protected abstract double[] hyperparameters();

  /** Fresh moments before the first round. */
  protected abstract double[][] initialMoments(int dimension);

  /**
   * Updates coordinate {@code i}'s moments with pseudo-gradient {@code g} and returns the step that
   * is added to the model's coordinate.
   */
  protected abstract double step(double[][] moments, int i, double g);

  @Override
  public final float[] initializeParameters(ModelSpec spec, long seed) {
    return base.initializeParameters(spec, seed);
  }

  @Override
  public final FitConfig configureFit(int round) {
    return base.configureFit(round);
  }

  @Override
  public final float[] aggregateFit(int round, float[] current, List<ClientUpdate> updates) {
    return aggregateMean(round, current, Updates.weightedMean(updates, current.length));
  }

  @Override
  public final java.util.Optional<RunningAggregate> runningAggregate(int round, float[] current) {
    return java.util.Optional.of(Updates.weightedMeanThen(current.length, mean -> aggregateMean(round, current, mean)));
  }

  @Override
  public final float[] aggregateMean(int round, float[] current, double[] weightedMeanDelta) {
    int n = current.length;
    if (weightedMeanDelta.length != n) {
      throw new IllegalArgumentException("mean delta has " + weightedMeanDelta.length + " entries, the model has " + n);
    }
    if (round <= lastRound) {
      throw new IllegalStateException(kind() + " already applied round " + lastRound + "; round " + round
          + " would apply an update twice");
    }
    for (int i = 0; i < n; i++) {
      // A NaN or ∞ would poison the moments for every later round.
      if (!Double.isFinite(weightedMeanDelta[i])) {
        throw new IllegalArgumentException("mean delta entry " + i + " is not finite: " + weightedMeanDelta[i]);
      }
    }
    if (moments == null) {
      moments = initialMoments(n);
    } else if (moments[0].length != n) {
      throw new IllegalArgumentException(kind() + " state has dimension " + moments[0].length + ", the model has " + n);
    }
    float[] next = new float[n];
    for (int i = 0; i < n; i++) {
      next[i] = (float) (current[i] + step(moments, i, weightedMeanDelta[i]));
    }
    lastRound = round;
    return next;
  }

  /**
   * Layout (big-endian, {@link DataOutputStream}): version byte; kind (UTF); hyperparameter count
   * and values (double); last applied round (int); moment count k (int, 0 before the first round)
   * and dimension d (int); then k·d doubles.
   */
  @Override
  public final byte[] state() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(STATE_VERSION);
      out.writeUTF(kind());
      double[] h = hyperparameters();
      out.writeInt(h.length);
      for (double v : h) {
        out.writeDouble(v);
      }
      out.writeInt(lastRound);
      int k = moments == null ? 0 : moments.length;
      int d = moments == null ? 0 : moments[0].length;
      out.writeInt(k);
      out.writeInt(d);
      for (int m = 0; m < k; m++) {
        for (int i = 0; i < d; i++) {
          out.writeDouble(moments[m][i]);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
    }
    return bytes.toByteArray();
  }

  /**
   * Restores what {@link #state()} returned. Nothing changes unless the whole snapshot is valid.
   *
   * @throws IllegalArgumentException a different version, rule, hyperparameters, or a truncated or
   *     over-long snapshot; the message says which
   */
  @Override
  public final void restoreState(byte[] state) {
    if (state.length == 0) {
      throw new IllegalArgumentException(kind() + " state is empty; expected a snapshot from state()");
    }
    ByteArrayInputStream bin = new ByteArrayInputStream(state);
    try (DataInputStream in = new DataInputStream(bin)) {
      byte version = in.readByte();
      if (version != STATE_VERSION) {
        throw new IllegalArgumentException(kind() + " state has version " + version + ", expected " + STATE_VERSION);
      }
      String kind = in.readUTF();
      if (!kind.equals(kind())) {
        throw new IllegalArgumentException("state was written by " + kind + ", cannot restore it into " + kind());
      }
      int hn = in.readInt();
      double[] expected = hyperparameters();
      if (hn != expected.length) {
        throw new IllegalArgumentException(kind() + " state has " + hn + " hyperparameters, expected " + expected.length);
      }
      double[] h = new double[hn];
      for (int j = 0; j < hn; j++) {
        h[j] = in.readDouble();
      }
      if (!Arrays.equals(h, expected)) {
        throw new IllegalArgumentException(kind() + " state was written with hyperparameters " + Arrays.toString(h)
            + ", this run has " + Arrays.toString(expected) + " (" + hyperparameterNames() + ")");
      }
      int round = in.readInt();
      int k = in.readInt();
      int d = in.readInt();
      int expectedK = initialMoments(0).length;
      if (round < 0 || d < 0 || (k != 0 && k != expectedK) || (k == 0 && (d != 0 || round != 0))) {
        throw new IllegalArgumentException(kind() + " state header is inconsistent: round " + round + ", " + k
            + " moments of dimension " + d);
      }
      long remaining = bin.available(); // exact for a byte array
      if (remaining != 8L * k * d) {
        throw new IllegalArgumentException(kind() + " state of dimension " + d + " needs " + 8L * k * d
            + " bytes of moments, got " + remaining);
      }
      double[][] m = k == 0 ? null : new double[k][d];
      for (int a = 0; a < k; a++) {
        for (int i = 0; i < d; i++) {
          m[a][i] = in.readDouble();
        }
      }
      this.moments = m;
      this.lastRound = round;
    } catch (java.io.EOFException e) {
      throw new IllegalArgumentException(kind() + " state is truncated (" + state.length + " bytes)");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Names of {@link #hyperparameters()}, for error messages. */
  protected abstract String hyperparameterNames();

  /** The last round applied, 0 before the first. */
  public final int lastRound() {
    return lastRound;
  }
}
