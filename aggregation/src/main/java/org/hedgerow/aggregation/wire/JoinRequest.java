package org.hedgerow.aggregation.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Base64;

/**
 * {@code POST /v1/clients}: open registration names its {@code silo}; a silo with a client
 * certificate sends neither name nor (unless it has one) key, i.e. {@code {}}.
 *
 * @param identityKey base64 of the silo's 32-byte Ed25519 public key (required under secure
 *     aggregation and for posting spends), or null
 */
public record JoinRequest(
    @JsonInclude(JsonInclude.Include.NON_NULL) String silo,
    @JsonInclude(JsonInclude.Include.NON_NULL) String identityKey) {

  /** A request carrying {@code identityKey} (null: none) in base64. */
  public static JoinRequest of(String silo, byte[] identityKey) {
    return new JoinRequest(silo, identityKey == null ? null : Base64.getEncoder().encodeToString(identityKey));
  }
}
