package org.hedgerow.aggregation.secagg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import org.hedgerow.privacy.crypto.ShamirSecretSharing;
import org.junit.jupiter.api.Test;

class SecAggMessagesTest {
  private static byte[] bytes(int n, int fill) {
    byte[] b = new byte[n];
    Arrays.fill(b, (byte) fill);
    return b;
  }

  private static List<SecAggMessage> samples() {
    KeyAdvertisement ad = new KeyAdvertisement(7, 3, bytes(32, 1), bytes(32, 2), bytes(32, 7), bytes(64, 3));
    EncryptedShare s = new EncryptedShare(3, 4, bytes(EncryptedShare.SEALED_BYTES, 5));
    return List.of(
        ad,
        new KeyDirectory(7, List.of(ad, new KeyAdvertisement(7, 9, bytes(32, 4), bytes(32, 5), bytes(32, 8), bytes(64, 6)))),
        new KeyDirectory(7, List.of()),
        new KeyDirectory(7, List.of(ad), List.of(bytes(700, 9))),
        new SurvivorSignature(7, 3, bytes(64, 10)),
        new SurvivorSignatures(7, List.of(new SurvivorSignature(7, 3, bytes(64, 10)), new SurvivorSignature(7, 5, bytes(64, 11)))),
        new EncryptedShares(7, 3, List.of(s, new EncryptedShare(3, 8, bytes(EncryptedShare.SEALED_BYTES, 6)))),
        new ShareBundle(7, 4, List.of(s)),
        new MaskedInput(7, 3, new int[] {1, -1, Integer.MIN_VALUE, 0}),
        new UnmaskRequest(7, new int[] {0, 2, 5}),
        new UnmaskingShares(7, 3, List.of(new RevealedShare(4, ShareKind.SELF_MASK_SEED, BigInteger.TEN),
            new RevealedShare(8, ShareKind.MASK_KEY, ShamirSecretSharing.PRIME.subtract(BigInteger.ONE)))));
  }

  @Test
  void fromBytes_everyMessageType_roundTrips() {
    for (SecAggMessage m : samples()) {
      byte[] b = m.toBytes();
      SecAggMessage back = SecAggMessage.fromBytes(b);
      assertEquals(m.getClass(), back.getClass());
      assertArrayEquals(b, back.toBytes(), m.getClass().getSimpleName());
      assertEquals(7, back.roundId());
    }
    assertEquals(samples().get(0), KeyAdvertisement.fromBytes(samples().get(0).toBytes()));
  }

  @Test
  void fromBytes_truncatedOrPadded_throwsMalformed() {
    for (SecAggMessage m : samples()) {
      byte[] b = m.toBytes();
      for (int cut = 0; cut < b.length; cut += Math.max(1, b.length / 37)) {
        byte[] shorter = Arrays.copyOf(b, cut);
        assertThrows(MalformedMessageException.class, () -> SecAggMessage.fromBytes(shorter),
            m.getClass().getSimpleName() + " cut at " + cut);
      }
      byte[] longer = Arrays.copyOf(b, b.length + 1);
      MalformedMessageException e =
          assertThrows(MalformedMessageException.class, () -> SecAggMessage.fromBytes(longer));
      assertTrue(e.getMessage().contains("trailing"), e.getMessage());
    }
  }

  @Test
  void fromBytes_badHeader_throwsMalformed() {
    byte[] b = samples().get(0).toBytes();
    byte[] badVersion = b.clone();
    badVersion[0] = 9;
    assertTrue(assertThrows(MalformedMessageException.class, () -> SecAggMessage.fromBytes(badVersion))
        .getMessage().contains("version"));
    byte[] badType = b.clone();
    badType[1] = 42;
    assertTrue(assertThrows(MalformedMessageException.class, () -> SecAggMessage.fromBytes(badType))
        .getMessage().contains("unknown message type"));
    assertThrows(MalformedMessageException.class, () -> MaskedInput.fromBytes(b)); // wrong type for the reader
    assertThrows(MalformedMessageException.class, () -> SecAggMessage.fromBytes(null));
    assertThrows(MalformedMessageException.class, () -> SecAggMessage.fromBytes(new byte[3]));
  }

  @Test
  void fromBytes_lyingCount_throwsMalformedWithoutHugeAllocation() {
    byte[] b = new MaskedInput(7, 3, new int[] {1, 2}).toBytes();
    // dimension field sits after header (10) and clientId (4)
    b[14] = (byte) 0xff;
    b[15] = (byte) 0xff;
    b[16] = (byte) 0xff;
    b[17] = (byte) 0x7f;
    MalformedMessageException e = assertThrows(MalformedMessageException.class, () -> MaskedInput.fromBytes(b));
    assertTrue(e.getMessage().contains("count"), e.getMessage());
  }

  @Test
  void fromBytes_invalidFieldValues_throwMalformed() {
    byte[] b = new UnmaskingShares(7, 3, List.of(new RevealedShare(4, ShareKind.MASK_KEY, BigInteger.ONE))).toBytes();
    byte[] badKind = b.clone();
    badKind[10 + 8 + 4] = 5;
    assertThrows(MalformedMessageException.class, () -> UnmaskingShares.fromBytes(badKind));
    byte[] notInField = b.clone();
    Arrays.fill(notInField, 10 + 8 + 5, notInField.length, (byte) 0xff);
    assertThrows(MalformedMessageException.class, () -> UnmaskingShares.fromBytes(notInField));
    byte[] unsorted = new UnmaskRequest(7, new int[] {1, 2}).toBytes();
    unsorted[14] = 5; // first id becomes 5 > 2
    assertThrows(MalformedMessageException.class, () -> UnmaskRequest.fromBytes(unsorted));
  }
}
