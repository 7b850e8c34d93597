package org.hedgerow.aggregation.secagg;

/**
 * The stages of one secure-aggregation round, in order (Bonawitz et al. 2017, rounds 0–4). Both
 * state machines name the stage whose messages they currently accept or produce.
 */
public enum Stage {
  /** Round 0: clients advertise two X25519 public keys, signed. */
  ADVERTISE_KEYS,
  /** Round 1: clients Shamir-share their secrets, encrypted to each neighbour. */
  SHARE_KEYS,
  /** Round 2: clients upload their masked inputs. */
  MASKED_INPUT,
  /**
   * Round 3, consistency check (Bonawitz et al.'s malicious-server variant): survivors sign the
   * survivor list they were sent.
   */
  CONSISTENCY,
  /** Round 4: confirmed survivors reveal the shares the server needs to unmask the sum. */
  UNMASK,
  /** The round completed. */
  DONE,
  /** The round was aborted; nothing more is accepted. */
  ABORTED
}
