package org.hedgerow.cluster;

/** One silo's update of a round, as a worker returns it to its region's sub-coordinator. */
record SiloUpdate(String silo, long examples, double loss, double seconds, float[] delta) {}
