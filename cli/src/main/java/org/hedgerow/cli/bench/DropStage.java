package org.hedgerow.cli.bench;

import org.hedgerow.aggregation.secagg.Stage;

/** When the bench's dropped clients go silent: the first stage whose message they never send. */
public enum DropStage {
  /** Never advertise keys. */
  KEYS(Stage.ADVERTISE_KEYS),
  /** Advertise, but never send shares. */
  SHARES(Stage.SHARE_KEYS),
  /** Share, but never send a masked input: the costly case, pairwise masks must be rebuilt. */
  MASKED(Stage.MASKED_INPUT),
  /** Send a masked input, but never help unmask. */
  UNMASK(Stage.UNMASK),
  /** Each dropped client picks one of the four stages uniformly (by the seed). */
  MIXED(null);

  final Stage stage;

  DropStage(Stage stage) {
    this.stage = stage;
  }
}
