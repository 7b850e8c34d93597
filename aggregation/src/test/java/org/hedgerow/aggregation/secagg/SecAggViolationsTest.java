package org.hedgerow.aggregation.secagg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.hedgerow.privacy.crypto.Ed25519;
import org.hedgerow.privacy.crypto.X25519;
import org.junit.jupiter.api.Test;

class SecAggViolationsTest {
  private final SecAggConfig config = SecAggConfig.builder(8, 6).roundId(3).build(); // classic, t = 5

  private static String violation(Runnable r) {
    return assertThrows(ProtocolViolationException.class, r::run).getMessage();
  }

  @Test
  void server_duplicateMessagesAtEachStage_refusedAndRoundStillCompletes() {
    SecAggHarness h = new SecAggHarness(config, 1);
    KeyAdvertisement[] ads = new KeyAdvertisement[8];
    for (int u = 0; u < 8; u++) {
      ads[u] = h.clients[u].advertiseKeys();
      h.server.receive(ads[u].toBytes());
    }
    assertTrue(violation(() -> h.server.receive(ads[2].toBytes())).contains("duplicate key advertisement from client 2"));
    h.server.closeAdvertising();
    EncryptedShares[] shares = new EncryptedShares[8];
    for (int u = 0; u < 8; u++) {
      shares[u] = h.clients[u].shareKeys(h.server.keysFor(u));
      h.server.receive(shares[u].toBytes());
    }
    assertTrue(violation(() -> h.server.receive(shares[4].toBytes())).contains("duplicate encrypted shares"));
    h.server.closeSharing();
    MaskedInput[] ys = new MaskedInput[8];
    for (int u = 0; u < 8; u++) {
      ys[u] = h.clients[u].maskInput(h.server.sharesFor(u), h.inputs[u]);
      h.server.receive(ys[u].toBytes());
    }
    // a replayed masked input would double-count the client: refused
    assertTrue(violation(() -> h.server.receive(ys[7].toBytes())).contains("duplicate masked input from client 7"));
    UnmaskRequest req = h.server.closeMasking();
    SurvivorSignature[] sigs = new SurvivorSignature[8];
    for (int u = 0; u < 8; u++) {
      sigs[u] = h.clients[u].confirmSurvivors(req);
      h.server.receive(sigs[u].toBytes());
    }
    assertTrue(violation(() -> h.server.receive(sigs[2].toBytes())).contains("duplicate survivor signature"));
    SurvivorSignatures confirmed = h.server.closeConsistency();
    UnmaskingShares[] us = new UnmaskingShares[8];
    for (int u = 0; u < 8; u++) {
      us[u] = h.clients[u].unmask(confirmed);
      h.server.receive(us[u].toBytes());
    }
    assertTrue(violation(() -> h.server.receive(us[0].toBytes())).contains("duplicate unmasking shares"));
    SecAggResult r = h.server.finish();
    assertArrayEquals(h.expectedSum(r.survivors()), r.sum());
  }

  @Test
  void server_lateAndEarlyMessages_refused() {
    SecAggHarness h = new SecAggHarness(config, 2).drop(Stage.ADVERTISE_KEYS, 6).drop(Stage.MASKED_INPUT, 5);
    h.stage0();
    KeyAdvertisement late = h.clients[6].advertiseKeys();
    assertTrue(violation(() -> h.server.receive(late.toBytes())).contains("too late"));
    h.stage1();
    ShareBundle bundleOf5 = h.server.sharesFor(5);
    h.stage2();
    // client 5 dropped at masking, then shows up late
    MaskedInput lateInput = h.clients[5].maskInput(bundleOf5, h.inputs[5]);
    assertTrue(violation(() -> h.server.receive(lateInput.toBytes())).contains("too late"));
    h.stage3();
    SecAggResult r = h.stage4();
    assertArrayEquals(h.expectedSum(r.survivors()), r.sum());
    assertTrue(violation(() -> h.server.finish()).contains("stage DONE"));
  }

  @Test
  void server_maskedInputDuringSharing_refusedAsEarly() {
    SecAggHarness h = new SecAggHarness(config, 3);
    h.stage0();
    MaskedInput early = new MaskedInput(3, 0, new int[6]);
    assertTrue(violation(() -> h.server.receive(early.toBytes())).contains("too early"));
  }

  @Test
  void server_wrongRoundOrUnknownClient_refused() {
    SecAggHarness h = new SecAggHarness(config, 4);
    KeyAdvertisement other = KeyAdvertisement.sign(4, 1, X25519.generateKeyPair(new java.security.SecureRandom()).publicKey(),
        X25519.generateKeyPair(new java.security.SecureRandom()).publicKey(), new byte[32], h.identities.get(1).privateKey());
    assertTrue(violation(() -> h.server.receive(other.toBytes())).contains("is for round 4; this is round 3"));
    KeyAdvertisement stranger = new KeyAdvertisement(3, 99, new byte[32], new byte[32], new byte[32], new byte[64]);
    assertTrue(violation(() -> h.server.receive(stranger.toBytes())).contains("unknown client 99"));
  }

  @Test
  void server_forgedAdvertisement_refused() {
    SecAggHarness h = new SecAggHarness(config, 5);
    KeyAdvertisement real = h.clients[1].advertiseKeys();
    // signed by client 2's identity key but claiming to be client 1
    KeyAdvertisement forged = KeyAdvertisement.sign(3, 1, real.encryptionKey(), real.maskingKey(),
        real.selfMaskCommitment(), h.identities.get(2).privateKey());
    assertTrue(violation(() -> h.server.receive(forged.toBytes())).contains("invalid signature"));
    // a valid signature over other keys does not transfer
    KeyAdvertisement swapped = new KeyAdvertisement(3, 1, real.maskingKey(), real.encryptionKey(), real.selfMaskCommitment(),
        real.signature());
    assertTrue(violation(() -> h.server.receive(swapped.toBytes())).contains("invalid signature"));
    h.server.receive(real.toBytes());
  }

  @Test
  void client_directoryWithForgedNeighbourKeys_refusesAndAborts() {
    SecAggHarness h = new SecAggHarness(config, 6);
    List<KeyAdvertisement> ads = new ArrayList<>();
    for (int u = 0; u < 8; u++) {
      ads.add(h.clients[u].advertiseKeys());
    }
    // a man-in-the-middle server swaps client 3's keys for its own and signs with a key it owns
    byte[] mallory = Ed25519.generateKeyPair(new java.security.SecureRandom()).privateKey();
    ads.set(3, KeyAdvertisement.sign(3, 3, new byte[32], new byte[32], new byte[32], mallory));
    String m = violation(() -> h.clients[0].shareKeys(new KeyDirectory(3, ads)));
    assertTrue(m.contains("advertisement of client 3 has an invalid signature"), m);
    assertEquals(Stage.ABORTED, h.clients[0].stage());
    assertTrue(violation(() -> h.clients[0].maskInput(null, h.inputs[0])).contains("refused after abort"));
  }

  @Test
  void client_tamperedShareCiphertext_refusesAndAborts() {
    SecAggHarness h = new SecAggHarness(config, 7);
    h.stage0();
    h.stage1();
    ShareBundle b = h.server.sharesFor(0);
    List<EncryptedShare> tampered = new ArrayList<>(b.shares());
    byte[] sealed = tampered.get(1).sealed();
    sealed[20] ^= 1;
    tampered.set(1, new EncryptedShare(tampered.get(1).senderId(), 0, sealed));
    String m = violation(() -> h.clients[0].maskInput(new ShareBundle(3, 0, tampered), h.inputs[0]));
    assertTrue(m.contains("failed authentication"), m);
    // a ciphertext re-addressed to another receiver does not open either (AAD binds the pair)
    ShareBundle forOne = h.server.sharesFor(1);
    List<EncryptedShare> moved = new ArrayList<>();
    for (EncryptedShare s : h.server.sharesFor(2).shares()) {
      if (s.senderId() != 1) {
        moved.add(new EncryptedShare(s.senderId(), 1, s.sealed()));
      }
    }
    assertTrue(violation(() -> h.clients[1].maskInput(new ShareBundle(3, 1, moved), h.inputs[1]))
        .contains("failed authentication"));
    assertEquals(forOne.receiverId(), 1);
  }

  @Test
  void client_unmaskTwiceOrBothSecrets_refused() {
    SecAggHarness h = new SecAggHarness(config, 8);
    h.stage0();
    h.stage1();
    h.stage2();
    h.stage3();
    UnmaskingShares first = h.clients[0].unmask(h.survivorSignatures);
    for (RevealedShare s : first.shares()) {
      assertEquals(ShareKind.SELF_MASK_SEED, s.kind());
    }
    // a server that now claims client 1 dropped, to obtain its masking key too, is refused
    int[] without1 = java.util.Arrays.stream(h.unmaskRequest.survivors()).filter(v -> v != 1).toArray();
    String m = violation(() -> h.clients[0].confirmSurvivors(new UnmaskRequest(3, without1)));
    assertTrue(m.contains("late"), m);
    assertTrue(violation(() -> h.clients[0].unmask(h.survivorSignatures)).contains("late"));
  }

  @Test
  void client_unmaskRequestNotListingItselfOrTooSmall_refused() {
    SecAggHarness h = new SecAggHarness(config, 9);
    h.stage0();
    h.stage1();
    h.stage2();
    assertTrue(violation(() -> h.clients[0].confirmSurvivors(new UnmaskRequest(3, new int[] {1, 2, 3, 4, 5, 6, 7})))
        .contains("does not list this client"));
    SecAggAbortedException e = assertThrows(SecAggAbortedException.class,
        () -> h.clients[1].confirmSurvivors(new UnmaskRequest(3, new int[] {1, 2, 3})));
    assertTrue(e.getMessage().contains("below the threshold 5"));
    assertTrue(violation(() -> h.clients[2].confirmSurvivors(new UnmaskRequest(4, h.unmaskRequest.survivors())))
        .contains("round 4"));
  }

  @Test
  void server_unmaskingSharesOfWrongKind_refused() {
    SecAggHarness h = new SecAggHarness(config, 10).drop(Stage.MASKED_INPUT, 7);
    h.stage0();
    h.stage1();
    h.stage2();
    h.stage3();
    UnmaskingShares honest = h.clients[0].unmask(h.survivorSignatures);
    List<RevealedShare> wrong = new ArrayList<>();
    for (RevealedShare s : honest.shares()) {
      // claim a self-mask share for the dropped client 7: the server must not accept it
      wrong.add(s.ownerId() == 7 ? new RevealedShare(7, ShareKind.SELF_MASK_SEED, s.y()) : s);
    }
    String m = violation(() -> h.server.receive(new UnmaskingShares(3, 0, wrong).toBytes()));
    assertTrue(m.contains("expected MASK_KEY"), m);
    h.server.receive(honest.toBytes());
  }

  @Test
  void server_sharesNotCoveringAllLiveNeighbours_refused() {
    SecAggHarness h = new SecAggHarness(config, 11);
    h.stage0();
    EncryptedShares all = h.clients[0].shareKeys(h.server.keysFor(0));
    EncryptedShares partial = new EncryptedShares(3, 0, all.shares().subList(0, 5));
    assertTrue(violation(() -> h.server.receive(partial.toBytes())).contains("all of its 7 live neighbours"));
    h.server.receive(all.toBytes());
  }

  @Test
  void server_maskedInputWrongDimension_refused() {
    SecAggHarness h = new SecAggHarness(config, 12);
    h.stage0();
    h.stage1();
    assertTrue(violation(() -> h.server.receive(new MaskedInput(3, 0, new int[5]).toBytes()))
        .contains("dimension 5, expected 6"));
  }
}
