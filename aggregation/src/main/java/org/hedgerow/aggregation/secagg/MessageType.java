package org.hedgerow.aggregation.secagg;

/** The tag byte that starts every encoded message (after the version byte). */
enum MessageType {
  KEY_ADVERTISEMENT(1),
  KEY_DIRECTORY(2),
  ENCRYPTED_SHARES(3),
  SHARE_BUNDLE(4),
  MASKED_INPUT(5),
  UNMASK_REQUEST(6),
  UNMASKING_SHARES(7),
  SURVIVOR_SIGNATURE(8),
  SURVIVOR_SIGNATURES(9);

  final byte tag;

  MessageType(int tag) {
    this.tag = (byte) tag;
  }

  static MessageType of(byte tag) {
    for (MessageType t : values()) {
      if (t.tag == tag) {
        return t;
      }
    }
    throw new MalformedMessageException("unknown message type tag " + tag);
  }
}
