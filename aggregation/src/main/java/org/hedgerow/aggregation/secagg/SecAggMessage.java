package org.hedgerow.aggregation.secagg;

/**
 * A secure-aggregation message with an explicit, transport-independent byte encoding:
 * {@code version (1) | type (1) | roundId (8)} followed by the type's fields, integers
 * little-endian, every variable part preceded by its count. Decoding checks every length and
 * rejects trailing bytes.
 */
public sealed interface SecAggMessage
    permits KeyAdvertisement, KeyDirectory, EncryptedShares, ShareBundle, MaskedInput, UnmaskRequest,
        UnmaskingShares, SurvivorSignature, SurvivorSignatures {

  /** The round this message belongs to. */
  long roundId();

  /** The message's encoding. */
  byte[] toBytes();

  /**
   * Decodes any message, dispatching on its type tag.
   *
   * @throws MalformedMessageException if the bytes are not a well-formed message
   */
  static SecAggMessage fromBytes(byte[] bytes) {
    return switch (MessageReader.peekType(bytes)) {
      case KEY_ADVERTISEMENT -> KeyAdvertisement.fromBytes(bytes);
      case KEY_DIRECTORY -> KeyDirectory.fromBytes(bytes);
      case ENCRYPTED_SHARES -> EncryptedShares.fromBytes(bytes);
      case SHARE_BUNDLE -> ShareBundle.fromBytes(bytes);
      case MASKED_INPUT -> MaskedInput.fromBytes(bytes);
      case UNMASK_REQUEST -> UnmaskRequest.fromBytes(bytes);
      case UNMASKING_SHARES -> UnmaskingShares.fromBytes(bytes);
      case SURVIVOR_SIGNATURE -> SurvivorSignature.fromBytes(bytes);
      case SURVIVOR_SIGNATURES -> SurvivorSignatures.fromBytes(bytes);
    };
  }
}
