package org.hedgerow.aggregation.strategy;

import java.util.List;
import org.hedgerow.aggregation.model.ModelSpec;

/**
 * A strategy that starts from given parameters (an earlier federation's global model) instead of a
 * fresh initialisation; everything else is the delegate's. Lifelong federations refresh a model
 * month by month this way rather than relearning it from scratch.
 */
public final class WarmStart implements Strategy {
  private final Strategy delegate;
  private final float[] start;

  public WarmStart(Strategy delegate, float[] start) {
    if (delegate == null || start == null) {
      throw new IllegalArgumentException("warm start needs a strategy and a starting model");
    }
    this.delegate = delegate;
    this.start = start.clone();
  }

  @Override
  public float[] initializeParameters(ModelSpec spec, long seed) {
    if (start.length != spec.parameterCount()) {
      throw new IllegalArgumentException("the warm-start model has " + start.length + " parameters, the model spec "
          + spec.parameterCount());
    }
    return start.clone();
  }

  @Override
  public FitConfig configureFit(int round) {
    return delegate.configureFit(round);
  }

  @Override
  public float[] aggregateFit(int round, float[] current, List<ClientUpdate> updates) {
    return delegate.aggregateFit(round, current, updates);
  }

  @Override
  public float[] aggregateMean(int round, float[] current, double[] weightedMeanDelta) {
    return delegate.aggregateMean(round, current, weightedMeanDelta);
  }

  @Override
  public java.util.Optional<RunningAggregate> runningAggregate(int round, float[] current) {
    return delegate.runningAggregate(round, current);
  }

  @Override
  public boolean needsIndividualUpdates() {
    return delegate.needsIndividualUpdates();
  }

  @Override
  public byte[] state() {
    return delegate.state();
  }

  @Override
  public void restoreState(byte[] state) {
    delegate.restoreState(state);
  }
}
