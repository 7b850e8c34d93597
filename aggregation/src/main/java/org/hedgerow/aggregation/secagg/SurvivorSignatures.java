package org.hedgerow.aggregation.secagg;

import java.util.ArrayList;
import java.util.List;

/**
 * Consistency round → unmasking, server → each confirmed survivor: the survivor-list signatures the
 * server collected ({@link SurvivorSignature}). A holder checks each against the list it signed
 * itself and unmasks only with at least t valid ones.
 *
 * <p>Encoding: header, {@code count (4)}, then per signature {@code clientId (4) | signature (64)}.
 */
public record SurvivorSignatures(long roundId, List<SurvivorSignature> signatures) implements SecAggMessage {
  public SurvivorSignatures {
    if (signatures == null) {
      throw new MalformedMessageException("signatures must not be null");
    }
    signatures = List.copyOf(signatures);
    for (SurvivorSignature s : signatures) {
      if (s.roundId() != roundId) {
        throw new MalformedMessageException(String.format(
            "signature of client %d is for round %d, not round %d", s.clientId(), s.roundId(), roundId));
      }
    }
  }

  @Override
  public byte[] toBytes() {
    MessageWriter w = new MessageWriter(MessageType.SURVIVOR_SIGNATURES, roundId,
        4 + (long) signatures.size() * SurvivorSignature.BODY_BYTES);
    w.i32(signatures.size());
    for (SurvivorSignature s : signatures) {
      w.i32(s.clientId()).bytes(s.signature());
    }
    return w.finish();
  }

  /** @throws MalformedMessageException if the bytes are not well formed */
  public static SurvivorSignatures fromBytes(byte[] bytes) {
    MessageReader r = new MessageReader(bytes, MessageType.SURVIVOR_SIGNATURES);
    int count = r.count(SurvivorSignature.BODY_BYTES, "signature");
    List<SurvivorSignature> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int id = r.i32();
      out.add(new SurvivorSignature(r.roundId(), id, r.bytes(org.hedgerow.privacy.crypto.Ed25519.SIGNATURE_BYTES,
          "signature")));
    }
    r.finish();
    return new SurvivorSignatures(r.roundId(), out);
  }
}
