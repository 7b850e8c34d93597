package org.hedgerow.aggregation.secagg;

/** Which of a client's two shared secrets a revealed share belongs to. */
public enum ShareKind {
  /** A share of the self-mask seed b_v: revealed when v's masked input arrived. */
  SELF_MASK_SEED(0),
  /** A share of the masking private key s_v^SK: revealed when v dropped after sharing. */
  MASK_KEY(1);

  final byte tag;

  ShareKind(int tag) {
    this.tag = (byte) tag;
  }

  static ShareKind of(int tag) {
    for (ShareKind k : values()) {
      if (k.tag == tag) {
        return k;
      }
    }
    throw new MalformedMessageException("unknown share kind " + tag);
  }
}
