package org.hedgerow.aggregation.secagg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.hedgerow.privacy.crypto.Ed25519;
import org.hedgerow.privacy.crypto.Ed25519KeyPair;
import org.hedgerow.privacy.crypto.ShamirSecretSharing;
import org.hedgerow.privacy.crypto.ShamirShare;
import org.hedgerow.privacy.crypto.X25519;
import org.junit.jupiter.api.Test;

/**
 * A server that deviates from the protocol: it substitutes identity keys, tells holders different
 * survivor lists, or is fed a bad self-mask share. The clients (real {@link SecAggClient}s, real
 * certificates from a test federation CA) must refuse, and the server must catch bad shares.
 */
class MaliciousServerTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private final TestFederationCa ca = new TestFederationCa("test federation CA");

  private static SecAggConfig classic(int n, int t) {
    return SecAggConfig.builder(n, 6).roundId(3).threshold(t).build();
  }

  /** Advertisements of every client of {@code h}, in id order (stage 0 run by hand). */
  private static List<KeyAdvertisement> advertiseAll(SecAggHarness h) {
    List<KeyAdvertisement> ads = new ArrayList<>();
    for (SecAggClient c : h.clients) {
      ads.add(c.advertiseKeys());
    }
    return ads;
  }

  @Test
  void run_certifiedIdentityKeys_roundCompletesWithTheExactSum() {
    SecAggHarness h = new SecAggHarness(classic(6, 4), 1).certifiedBy(ca);
    SecAggResult r = h.run();
    assertArrayEquals(h.expectedSum(new int[] {0, 1, 2, 3, 4, 5}), r.sum());
    assertEquals(0, r.badShareHolders().length);
  }

  @Test
  void shareKeys_serverSubstitutesANeighboursKey_refusedAsKeySubstitution() {
    SecAggConfig config = classic(6, 4);
    SecAggHarness h = new SecAggHarness(config, 2).certifiedBy(ca);
    List<KeyAdvertisement> ads = advertiseAll(h);
    // The server lists its own key for client 3 in client 0's roster and signs client 3's advertisement
    // with it, relaying client 3's genuine certificate (it cannot make the CA certify its key for silo-3).
    Ed25519KeyPair mallory = Ed25519.generateKeyPair(RANDOM);
    List<byte[]> keys = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      keys.add(i == 3 ? mallory.publicKey() : h.identities.get(i).publicKey());
    }
    SecAggClient victim = new SecAggClient(config, 0, h.identities.get(0), new ClientRoster(keys),
        CertifiedIdentityKeys.federationCa(ca.certificate));
    List<KeyAdvertisement> forged = new ArrayList<>(ads);
    forged.set(0, victim.advertiseKeys());
    forged.set(3, KeyAdvertisement.sign(3, 3, X25519.generateKeyPair(RANDOM).publicKey(),
        X25519.generateKeyPair(RANDOM).publicKey(), new byte[32], mallory.privateKey()));
    List<byte[]> credentials = Arrays.asList(h.credentials);

    String m = violation(() -> victim.shareKeys(new KeyDirectory(3, forged, credentials)));
    assertTrue(m.contains("identity key of client 3") && m.contains("key substitution"), m);
    assertEquals(Stage.ABORTED, victim.stage()); // it shares nothing in this session
  }

  @Test
  void shareKeys_substitutedKeyWithCertificateFromAnotherCa_refused() {
    SecAggConfig config = classic(6, 4);
    SecAggHarness h = new SecAggHarness(config, 3).certifiedBy(ca);
    List<KeyAdvertisement> ads = advertiseAll(h);
    List<byte[]> credentials = new ArrayList<>(Arrays.asList(h.credentials));
    // A certificate naming silo-2 with the right key, but signed by a CA the silos do not trust.
    credentials.set(2, new TestFederationCa("rogue CA").issue("silo-2", h.identities.get(2).publicKey()));
    String m = violation(() -> h.clients[0].shareKeys(new KeyDirectory(3, ads, credentials)));
    assertTrue(m.contains("client 2's certificate is not signed by the federation CA"), m);
  }

  @Test
  void shareKeys_advertisementWithoutCertificate_refused() {
    SecAggHarness h = new SecAggHarness(classic(6, 4), 4).certifiedBy(ca);
    List<KeyAdvertisement> ads = advertiseAll(h);
    String m = violation(() -> h.clients[1].shareKeys(new KeyDirectory(3, ads)));
    assertTrue(m.contains("no certificate from the federation CA"), m);
  }

  @Test
  void shareKeys_oneCertifiedSiloListedUnderTwoIds_refused() {
    SecAggHarness h = new SecAggHarness(classic(6, 4), 5).certifiedBy(ca);
    List<KeyAdvertisement> ads = advertiseAll(h);
    List<byte[]> credentials = new ArrayList<>(Arrays.asList(h.credentials));
    // A genuine certificate of client 4's key, but issued under silo-5's name: one silo twice in the roster.
    credentials.set(4, ca.issue("silo-5", h.identities.get(4).publicKey()));
    String m = violation(() -> h.clients[0].shareKeys(new KeyDirectory(3, ads, credentials)));
    assertTrue(m.contains("both certified as 'silo-5'"), m);
  }

  @Test
  void shareKeys_certificateWithoutIdentityKeyExtension_refusedNamingReEnrolment() {
    SecAggHarness h = new SecAggHarness(classic(6, 4), 6).certifiedBy(ca);
    List<KeyAdvertisement> ads = advertiseAll(h);
    List<byte[]> credentials = new ArrayList<>(Arrays.asList(h.credentials));
    credentials.set(5, ca.issue("silo-5", null));
    String m = violation(() -> h.clients[0].shareKeys(new KeyDirectory(3, ads, credentials)));
    assertTrue(m.contains("without a certified identity key") && m.contains("re-enrol"), m);
  }

  /** A SecAgg+ config (k = 4 of n) whose graph is keyed by the federation round, as a service runs it. */
  private static SecAggConfig sparse(int n) {
    return SecAggConfig.builder(n, 6).roundId(3).graphRound(41).neighbours(4).threshold(3).build();
  }

  @Test
  void shareKeys_serverSubstitutesASparseNeighboursKey_refusedAsKeySubstitution() {
    // Protocol v3, SecAgg+ (k = 4 of 20): the server lists its own key for a client v in the victim's
    // roster, choosing (grinding) that key so that v is still the victim's neighbour in the graph the
    // victim computes, and signs v's advertisement with it, relaying v's genuine certificate.
    SecAggConfig config = sparse(20);
    SecAggHarness h = new SecAggHarness(config, 21).certifiedBy(ca);
    List<KeyAdvertisement> ads = advertiseAll(h);
    int v = new NeighbourGraph(config, h.roster).neighbours(0)[0];
    Ed25519KeyPair mallory = null;
    List<byte[]> keys = null;
    for (int attempt = 0; attempt < 10_000 && mallory == null; attempt++) {
      Ed25519KeyPair candidate = Ed25519.generateKeyPair(RANDOM);
      List<byte[]> tried = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        tried.add(i == v ? candidate.publicKey() : h.identities.get(i).publicKey());
      }
      if (new NeighbourGraph(config, new ClientRoster(tried)).areNeighbours(0, v)) {
        mallory = candidate;
        keys = tried;
      }
    }
    assertTrue(mallory != null, "no substitute key kept client " + v + " next to the victim");
    SecAggClient victim = new SecAggClient(config, 0, h.identities.get(0), new ClientRoster(keys),
        CertifiedIdentityKeys.federationCa(ca.certificate));
    List<KeyAdvertisement> forged = new ArrayList<>(ads);
    forged.set(0, victim.advertiseKeys());
    forged.set(v, KeyAdvertisement.sign(3, v, X25519.generateKeyPair(RANDOM).publicKey(),
        X25519.generateKeyPair(RANDOM).publicKey(), new byte[32], mallory.privateKey()));
    List<byte[]> credentials = Arrays.asList(h.credentials);

    String m = violation(() -> victim.shareKeys(new KeyDirectory(3, forged, credentials)));
    assertTrue(m.contains("identity key of client " + v) && m.contains("key substitution"), m);
    assertEquals(Stage.ABORTED, victim.stage()); // it shares nothing in this session
  }

  @Test
  void shareKeys_sparseNeighboursAdvertisementSignedByAnotherKey_refused() {
    // The roster is genuine but the server swaps a neighbour's round keys for its own: the
    // advertisement's signature does not verify under the neighbour's certified identity key.
    SecAggConfig config = sparse(20);
    SecAggHarness h = new SecAggHarness(config, 22).certifiedBy(ca);
    List<KeyAdvertisement> ads = new ArrayList<>(advertiseAll(h));
    int v = new NeighbourGraph(config, h.roster).neighbours(0)[1];
    ads.set(v, KeyAdvertisement.sign(3, v, X25519.generateKeyPair(RANDOM).publicKey(),
        X25519.generateKeyPair(RANDOM).publicKey(), new byte[32], Ed25519.generateKeyPair(RANDOM).privateKey()));
    String m = violation(() -> h.clients[0].shareKeys(new KeyDirectory(3, ads, Arrays.asList(h.credentials))));
    assertTrue(m.contains("advertisement of client " + v + " has an invalid signature"), m);
  }

  @Test
  void shareKeys_nonNeighboursEntriesForgedOrOmitted_graphUnchangedAndKeysUnused() {
    // Protocol v3: the graph depends on the public graph seed and the roster only. A server that
    // omits or forges non-neighbours' advertisements changes neither the victim's neighbours nor the
    // graph digest every survivor signs; the victim never uses (so never needs to check) those keys.
    SecAggConfig config = sparse(20);
    SecAggHarness h = new SecAggHarness(config, 23).certifiedBy(ca);
    List<KeyAdvertisement> ads = advertiseAll(h);
    NeighbourGraph graph = new NeighbourGraph(config, h.roster);
    List<KeyAdvertisement> shown = new ArrayList<>();
    List<byte[]> credentials = new ArrayList<>();
    int forgedOne = -1;
    for (int u = 0; u < 20; u++) {
      boolean neighbour = u == 0 || graph.areNeighbours(0, u);
      if (neighbour) {
        shown.add(ads.get(u));
        credentials.add(h.credentials[u]);
      } else if (forgedOne < 0) { // one non-neighbour forged, signed by a key that is not its own
        forgedOne = u;
        shown.add(KeyAdvertisement.sign(3, u, X25519.generateKeyPair(RANDOM).publicKey(),
            X25519.generateKeyPair(RANDOM).publicKey(), new byte[32], Ed25519.generateKeyPair(RANDOM).privateKey()));
        credentials.add(new byte[0]);
      } // every other non-neighbour omitted
    }
    EncryptedShares shares = h.clients[0].shareKeys(new KeyDirectory(3, shown, credentials));
    assertEquals(4, shares.shares().size());
    assertArrayEquals(graph.neighbours(0), h.clients[0].neighbours());
    assertArrayEquals(graph.digest(), new NeighbourGraph(config, h.roster).digest());
  }

  /**
   * The split-view attack of Bonawitz et al.: the server controls {@code sybils} (it holds their
   * identity keys and state), tells holders in {@code groupA} (and the victim) that the victim
   * survived and holders in {@code groupB} that it dropped, and collects each group's signatures over
   * its own list (the Sybils sign both lists).
   */
  private static Split splitView(SecAggHarness h, int victim, int[] groupA, int[] groupB, int[] sybils) {
    h.stage0();
    byte[] digest = h.server.graph().digest();
    h.stage1();
    h.stage2();
    int n = h.config.numClients();
    int[] all = new int[n];
    for (int i = 0; i < n; i++) {
      all[i] = i;
    }
    int[] withoutVictim = Arrays.stream(all).filter(v -> v != victim).toArray();
    UnmaskRequest listA = new UnmaskRequest(3, all);
    UnmaskRequest listB = new UnmaskRequest(3, withoutVictim);
    Split out = new Split(victim, groupA, groupB, sybils);
    for (int u : groupA) {
      out.sigsA.add(h.clients[u].confirmSurvivors(listA));
    }
    out.sigsA.add(h.clients[victim].confirmSurvivors(listA)); // the victim is told the truth
    for (int u : groupB) {
      out.sigsB.add(h.clients[u].confirmSurvivors(listB));
    }
    for (int s : sybils) { // Sybils sign whatever the server wants
      out.sigsA.add(SurvivorSignature.sign(3, s, all, digest, h.identities.get(s).privateKey()));
      out.sigsB.add(SurvivorSignature.sign(3, s, withoutVictim, digest, h.identities.get(s).privateKey()));
    }
    return out;
  }

  /** One split-view attack: the signatures each group is shown, and the victim's shares it yields. */
  private static final class Split {
    final int victim;
    final int[] groupA;
    final int[] groupB;
    final int[] sybils;
    final List<SurvivorSignature> sigsA = new ArrayList<>();
    final List<SurvivorSignature> sigsB = new ArrayList<>();
    int seedShares;
    int keyShares;

    Split(int victim, int[] groupA, int[] groupB, int[] sybils) {
      this.victim = victim;
      this.groupA = groupA;
      this.groupB = groupB;
      this.sybils = sybils;
    }

    /** Asks every honest holder to unmask; counts the victim's shares the server ends up with. */
    void unmaskAll(SecAggHarness h) {
      for (int u : groupA) {
        count(h.clients[u].unmask(new SurvivorSignatures(3, sigsA)));
      }
      for (int u : groupB) {
        count(h.clients[u].unmask(new SurvivorSignatures(3, sigsB)));
      }
      seedShares += sybils.length; // the server holds the Sybils' shares of both secrets
      keyShares += sybils.length;
    }

    private void count(UnmaskingShares u) {
      for (RevealedShare s : u.shares()) {
        if (s.ownerId() == victim) {
          if (s.kind() == ShareKind.SELF_MASK_SEED) {
            seedShares++;
          } else {
            keyShares++;
          }
        }
      }
    }
  }

  @Test
  void unmask_holdersShownDifferentSurvivorLists_noHonestHolderRevealsAnything() {
    // n = 9, classic, t = 7 (> 2n/3): the server plays Sybils 6 and 7 against victim 8 and splits
    // the six honest holders 3 / 3. The lists gather only 6 and 5 signatures: every holder refuses.
    SecAggHarness h = new SecAggHarness(classic(9, 7), 8);
    Split s = splitView(h, 8, new int[] {0, 1, 2}, new int[] {3, 4, 5}, new int[] {6, 7});
    for (int u = 0; u < 6; u++) {
      List<SurvivorSignature> shown = u < 3 ? s.sigsA : s.sigsB;
      SecAggClient holder = h.clients[u];
      SecAggAbortedException e = assertThrows(SecAggAbortedException.class,
          () -> holder.unmask(new SurvivorSignatures(3, shown)));
      assertTrue(e.getMessage().contains("valid signatures over its survivor list, below the threshold 7"),
          e.getMessage());
      assertEquals(Stage.ABORTED, holder.stage(), "holder " + u + " must reveal nothing");
    }
  }

  @Test
  void unmask_tValidSignaturesBeforeAForeignOne_revealsWithoutCheckingTheRest() {
    // A holder needs t valid signatures over its own list; it verifies in order until it has them.
    // What follows cannot lower that bound (a cheating server could have left it out), so it is not
    // checked: holder 0 unmasks although a signature over another list comes after the seventh valid one.
    SecAggHarness h = new SecAggHarness(classic(9, 7), 10);
    h.stage0();
    h.stage1();
    h.stage2();
    int[] all = {0, 1, 2, 3, 4, 5, 6, 7, 8};
    List<SurvivorSignature> sigs = new ArrayList<>();
    for (int u = 0; u < 7; u++) {
      sigs.add(h.clients[u].confirmSurvivors(new UnmaskRequest(3, all)));
    }
    sigs.add(h.clients[7].confirmSurvivors(new UnmaskRequest(3, new int[] {0, 1, 2, 3, 4, 5, 6, 7})));
    UnmaskingShares shares = h.clients[0].unmask(new SurvivorSignatures(3, sigs));
    assertEquals(8, shares.shares().size());
    assertEquals(Stage.DONE, h.clients[0].stage());
  }

  @Test
  void unmask_signaturesOverAnotherListMixedIn_refusedNamingTheSplit() {
    SecAggHarness h = new SecAggHarness(classic(9, 7), 9);
    h.stage0();
    h.stage1();
    h.stage2();
    int[] all = {0, 1, 2, 3, 4, 5, 6, 7, 8};
    int[] without8 = {0, 1, 2, 3, 4, 5, 6, 7};
    List<SurvivorSignature> sigs = new ArrayList<>();
    for (int u = 0; u < 4; u++) {
      sigs.add(h.clients[u].confirmSurvivors(new UnmaskRequest(3, all)));
    }
    for (int u = 4; u < 8; u++) {
      sigs.add(h.clients[u].confirmSurvivors(new UnmaskRequest(3, without8)));
    }
    // Holder 0 is shown all eight signatures as if they were over its list.
    String m = violation(() -> h.clients[0].unmask(new SurvivorSignatures(3, sigs)));
    assertTrue(m.contains("holders were shown different survivor lists"), m);
    assertEquals(Stage.ABORTED, h.clients[0].stage());
  }

  @Test
  void closeConsistency_signatureOverAnotherList_refusedByTheServer() {
    SecAggHarness h = new SecAggHarness(classic(6, 4), 10);
    h.stage0();
    h.stage1();
    h.stage2();
    SurvivorSignature other = h.clients[0].confirmSurvivors(new UnmaskRequest(3, new int[] {0, 1, 2, 3, 4}));
    assertTrue(violation(() -> h.server.receive(other.toBytes())).contains("does not verify over the survivor list"));
  }

  /**
   * What the consistency round does not stop: with a threshold t ≤ 2n/3 the same split succeeds
   * (6 and 5 signatures both reach t = 5), and the server collects t shares of both of the victim's
   * secrets. This is why docs/security.md asks for t > 2n/3 against a server with Sybils.
   */
  @Test
  void unmask_splitViewWithSybilsAndLowThreshold_consistencyRoundDoesNotStopIt() {
    SecAggHarness h = new SecAggHarness(classic(9, 5), 11);
    Split s = splitView(h, 8, new int[] {0, 1, 2}, new int[] {3, 4, 5}, new int[] {6, 7});
    s.unmaskAll(h);
    assertTrue(s.seedShares >= 5 && s.keyShares >= 5, "seed shares " + s.seedShares + ", key shares " + s.keyShares);
  }

  @Test
  void finish_oneHolderRevealsABadSelfMaskShare_sumStillExactAndHolderNamed() {
    SecAggHarness h = new SecAggHarness(classic(8, 5), 12);
    h.stage0();
    h.stage1();
    h.stage2();
    h.stage3();
    for (int u = 0; u < 8; u++) {
      UnmaskingShares honest = h.clients[u].unmask(h.survivorSignatures);
      h.server.receive((u == 0 ? corrupt(honest, 1) : honest).toBytes()); // holder 0 lies about client 1's seed
    }
    SecAggResult r = h.server.finish();
    assertArrayEquals(h.expectedSum(r.survivors()), r.sum());
    assertArrayEquals(new int[] {0}, r.badShareHolders());
    assertTrue(h.server.warnings().get(0).contains("self-mask seed of client 1: bad revealed shares from clients [0]"),
        h.server.warnings().toString());
  }

  @Test
  void finish_badSelfMaskShareWithOnlyThresholdShares_abortsNamingTheSuspects() {
    // n = 7, classic k = 6, t = 4; clients 5 and 6 sign but never unmask, so client 0's seed has
    // exactly t = 4 revealed shares (holders 1-4): a bad one is caught but cannot be pinned down.
    SecAggHarness h = new SecAggHarness(classic(7, 4), 13).drop(Stage.UNMASK, 5, 6);
    h.stage0();
    h.stage1();
    h.stage2();
    h.stage3();
    for (int u = 0; u < 5; u++) {
      UnmaskingShares honest = h.clients[u].unmask(h.survivorSignatures);
      h.server.receive((u == 2 ? corrupt(honest, 0) : honest).toBytes());
    }
    SecAggAbortedException e = assertThrows(SecAggAbortedException.class, h.server::finish);
    assertTrue(e.getMessage().contains("self-mask seed of client 0") && e.getMessage().contains("does not match its "
        + "commitment") && e.getMessage().contains("[1, 2, 3, 4]"), e.getMessage());
  }

  @Test
  void finish_badMaskingKeyShareOfADroppedClient_sumStillExactAndHolderNamed() {
    SecAggHarness h = new SecAggHarness(classic(8, 5), 14).drop(Stage.MASKED_INPUT, 7);
    h.stage0();
    h.stage1();
    h.stage2();
    h.stage3();
    for (int u = 0; u < 7; u++) {
      UnmaskingShares honest = h.clients[u].unmask(h.survivorSignatures);
      h.server.receive((u == 1 ? corrupt(honest, 7) : honest).toBytes());
    }
    SecAggResult r = h.server.finish();
    assertArrayEquals(h.expectedSum(r.survivors()), r.sum());
    assertArrayEquals(new int[] {1}, r.badShareHolders());
  }

  @Test
  void identityKeyExtension_oid_isTheOneDocumentedInWireFormat() {
    assertEquals("2.25.188809702428178169356865984369106058384", CertifiedIdentityKeys.OID);
  }

  @Test
  void advertisement_commitment_bindsSeedRoundAndOwner() {
    byte[] seed = new byte[32];
    RANDOM.nextBytes(seed);
    KeyAdvertisement ad = new KeyAdvertisement(3, 2, new byte[32], new byte[32], KeyAdvertisement.commitment(3, 2, seed),
        new byte[64]);
    assertTrue(ad.commitsTo(seed));
    byte[] other = seed.clone();
    other[0] ^= 1;
    assertTrue(!ad.commitsTo(other));
    assertTrue(!Arrays.equals(KeyAdvertisement.commitment(3, 2, seed), KeyAdvertisement.commitment(4, 2, seed)));
    assertTrue(!Arrays.equals(KeyAdvertisement.commitment(3, 2, seed), KeyAdvertisement.commitment(3, 1, seed)));
    // The shares of a seed reconstruct to what was committed (the server's check, end to end).
    List<ShamirShare> shares = new ShamirSecretSharing(3, RANDOM).split(seed, new int[] {1, 2, 3, 4});
    assertTrue(ad.commitsTo(new ShamirSecretSharing(3).reconstruct(shares.subList(1, 4))));
  }

  /** {@code honest} with its share of {@code owner}'s secret changed by one. */
  private static UnmaskingShares corrupt(UnmaskingShares honest, int owner) {
    List<RevealedShare> shares = new ArrayList<>();
    for (RevealedShare s : honest.shares()) {
      shares.add(s.ownerId() == owner ? new RevealedShare(owner, s.kind(), s.y().add(BigInteger.ONE)
          .mod(ShamirSecretSharing.PRIME)) : s);
    }
    return new UnmaskingShares(honest.roundId(), honest.clientId(), shares);
  }

  private static String violation(Runnable r) {
    return assertThrows(ProtocolViolationException.class, r::run).getMessage();
  }
}
