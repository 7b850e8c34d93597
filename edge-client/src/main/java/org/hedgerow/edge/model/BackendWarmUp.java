package org.hedgerow.edge.model;

import org.hedgerow.aggregation.model.ModelSpec;

/**
 * Loads ND4J's native backend and DL4J's network classes on a background thread, so that a run which
 * first reads and prepares its data (single-threaded) does it while the other core starts the
 * backend, instead of paying the start-up later with one core idle.
 *
 * <p>Results do not change: every model this process trains or evaluates takes its parameters from
 * the spec or the coordinator, and each training run seeds ND4J's generator (one per thread) itself.
 */
public final class BackendWarmUp {
  private BackendWarmUp() {}

  /** Starts the warm-up (a daemon thread); a failure is left for the first real use to report. */
  public static Thread start(ModelSpec spec) {
    Thread t = new Thread(() -> {
      try {
        new PreferenceModel(spec, 0).predict(new float[spec.inputs()], 1);
      } catch (RuntimeException | LinkageError e) {
        // The first model built on the main path fails the same way and reports it there.
      }
    }, "backend-warm-up");
    t.setDaemon(true);
    t.start();
    return t;
  }
}
