package org.hedgerow.aggregation.strategy;

import java.util.ArrayList;
import java.util.List;
import org.hedgerow.aggregation.model.ModelSpec;

/**
 * Bounds each client's influence before any other rule sees it: an update whose delta has an L2
 * norm above B is scaled down to norm B (direction kept), then the delegate aggregates as usual.
 * Clipping rather than rejecting: an honest client with an unusually large step still counts, and
 * a round's participation does not depend on where B was set; a malicious one is limited to norm B
 * either way (Sun et al. 2019, "Can You Really Backdoor Federated Learning?", norm bounding).
 *
 * <p>Scaling is done in double and rounded once to float, so a clipped norm is B up to float
 * rounding. Needs every client's update, so it cannot run behind secure aggregation. Its state is
 * the delegate's.
 */
public final class UpdateNormBound implements Strategy {
  private final Strategy delegate;
  private final double maxNorm;

  /** @param maxNorm B, > 0 */
  public UpdateNormBound(Strategy delegate, double maxNorm) {
    this.delegate = delegate;
    this.maxNorm = Checks.positive("max_update_norm", maxNorm);
  }

  public Strategy delegate() {
    return delegate;
  }

  public double maxNorm() {
    return maxNorm;
  }

  /** {@code u} with its delta scaled to norm B if it was longer, else {@code u} itself. */
  public ClientUpdate bound(ClientUpdate u) {
    double norm = Updates.l2Norm(u.delta());
    if (norm <= maxNorm) {
      return u;
    }
    double scale = maxNorm / norm;
    float[] d = u.delta();
    float[] clipped = new float[d.length];
    for (int i = 0; i < d.length; i++) {
      clipped[i] = (float) (d[i] * scale);
    }
    return new ClientUpdate(u.clientId(), u.examples(), clipped);
  }

  @Override
  public float[] initializeParameters(ModelSpec spec, long seed) {
    return delegate.initializeParameters(spec, seed);
  }

  @Override
  public FitConfig configureFit(int round) {
    return delegate.configureFit(round);
  }

  @Override
  public float[] aggregateFit(int round, float[] current, List<ClientUpdate> updates) {
    List<ClientUpdate> bounded = new ArrayList<>(updates.size());
    for (ClientUpdate u : updates) {
      bounded.add(bound(u));
    }
    return delegate.aggregateFit(round, current, bounded);
  }

  /** The delegate's running aggregate, fed the bounded updates; empty if the delegate has none. */
  @Override
  public java.util.Optional<RunningAggregate> runningAggregate(int round, float[] current) {
    return delegate.runningAggregate(round, current).map(a -> new RunningAggregate() {
      @Override
      public void add(ClientUpdate update) {
        a.add(bound(update));
      }

      @Override
      public int count() {
        return a.count();
      }

      @Override
      public float[] finish() {
        return a.finish();
      }
    });
  }

  @Override
  public boolean needsIndividualUpdates() {
    return true;
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
