package org.hedgerow.cluster;

/** Event-bus addresses of the cluster protocol. */
final class Addresses {
  private Addresses() {}

  /** Workers answer a roll call published here with their name, at the reply address it names. */
  static final String ROLL_CALL = "hedgerow.cluster.roll-call";

  /** A worker's own address prefix; its name is its Hazelcast address. */
  static String worker(String name, String verb) {
    return "hedgerow.worker." + name + "." + verb;
  }

  static final String ASSIGN = "assign";
  static final String TRAIN = "train";
  static final String REGION = "region";
  static final String RELEASE = "release";
  /** A secure-aggregation stage for a worker's silos, relayed by its region's sub-coordinator. */
  static final String SECAGG = "secagg";
  /** The signed spends of a run's DP silos, asked for at the end of the federation. */
  static final String SPENDS = "spends";
}
