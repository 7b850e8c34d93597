package org.hedgerow.cluster;

/**
 * One silo's update of a round, as a worker returns it to its region's sub-coordinator; or, with
 * {@code declined} set (and no delta), why a DP silo sat the round out (its budget would not cover it).
 * Under DP {@code examples} is the silo's DP customer count (its FedAvg weight, post-processing of its
 * release), {@code loss} is NaN and {@code seconds} 0: neither is released.
 */
record SiloUpdate(String silo, long examples, double loss, double seconds, float[] delta, String declined) {
  SiloUpdate(String silo, long examples, double loss, double seconds, float[] delta) {
    this(silo, examples, loss, seconds, delta, null);
  }

  static SiloUpdate declined(String silo, String reason) {
    return new SiloUpdate(silo, 0, Double.NaN, 0, null, reason);
  }
}
