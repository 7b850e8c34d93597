package org.hedgerow.aggregation.secagg;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hedgerow.privacy.crypto.MaskStream;
import org.hedgerow.privacy.crypto.ShamirSecretSharing;
import org.hedgerow.privacy.crypto.ShamirShare;

/** Plays a curious server: reconstructs every secret its received shares allow and uses them. */
final class ServerKnowledge {
  private final SecAggHarness h;
  private final Map<Integer, byte[]> selfSeeds = new HashMap<>();
  private final Map<Integer, byte[]> maskKeys = new HashMap<>();
  private final Map<Integer, KeyAdvertisement> ads = new HashMap<>();

  ServerKnowledge(SecAggHarness h) {
    this.h = h;
    for (KeyAdvertisement a : h.receivedAds) {
      ads.put(a.clientId(), a);
    }
    Map<Integer, Map<ShareKind, List<ShamirShare>>> byOwner = new HashMap<>();
    for (UnmaskingShares u : h.receivedUnmasking) {
      for (RevealedShare s : u.shares()) {
        byOwner.computeIfAbsent(s.ownerId(), k -> new HashMap<>())
            .computeIfAbsent(s.kind(), k -> new ArrayList<>()).add(new ShamirShare(u.clientId() + 1, s.y()));
      }
    }
    ShamirSecretSharing sss = new ShamirSecretSharing(h.config.threshold());
    byOwner.forEach((owner, kinds) -> kinds.forEach((kind, shares) -> {
      if (shares.size() >= h.config.threshold()) {
        (kind == ShareKind.SELF_MASK_SEED ? selfSeeds : maskKeys).put(owner, sss.reconstruct(shares));
      }
    }));
  }

  /** y_u minus every mask the server can compute. */
  int[] strippedAsFarAsPossible(MaskedInput y) {
    int u = y.clientId();
    int[] v = y.values();
    byte[] b = selfSeeds.get(u);
    if (b != null) {
      new MaskStream(b).subtractFrom(v);
    }
    for (Map.Entry<Integer, byte[]> e : maskKeys.entrySet()) {
      int w = e.getKey();
      if (h.graph.areNeighbours(u, w)) {
        removePair(v, u, w, e.getValue(), ads.get(u).maskingKey());
      }
    }
    return v;
  }

  /** With u's own masking key as well (which the server never gets), every mask comes off. */
  boolean attackSucceedsWithOwnMaskingKey(MaskedInput y) {
    int u = y.clientId();
    int[] v = strippedAsFarAsPossible(y);
    byte[] ownKey = ownMaskingKeyFromClientMemory(u);
    for (int w : h.graph.neighbours(u)) {
      if (!maskKeys.containsKey(w) && ads.containsKey(w) && java.util.Arrays.binarySearch(h.unmaskRequest.survivors(), w) >= 0) {
        removePair(v, u, w, ownKey, ads.get(w).maskingKey());
      }
    }
    return java.util.Arrays.equals(v, h.inputs[u]);
  }

  private void removePair(int[] v, int u, int w, byte[] sk, byte[] peerPk) {
    MaskStream prg = new MaskStream(SecAggKdf.pairwiseSeed(sk, peerPk, h.config.roundId(), u, w));
    if (u < w) {
      prg.subtractFrom(v);
    } else {
      prg.addTo(v);
    }
  }

  private byte[] ownMaskingKeyFromClientMemory(int u) {
    try {
      java.lang.reflect.Field f = SecAggClient.class.getDeclaredField("maskingKeys");
      f.setAccessible(true);
      return ((org.hedgerow.privacy.crypto.X25519KeyPair) f.get(h.clients[u])).privateKey();
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

}
