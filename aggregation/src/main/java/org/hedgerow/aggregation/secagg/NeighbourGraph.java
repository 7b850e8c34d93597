package org.hedgerow.aggregation.secagg;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.hedgerow.privacy.crypto.ChaChaRandom;
import org.hedgerow.privacy.crypto.Hkdf;

/**
 * The round's k-regular neighbour graph (SecAgg+, Bell et al. 2020): clients are placed on a
 * circle in a pseudorandom order fixed by the public graph seed, and each is joined to the
 * ⌊k/2⌋ nearest positions on either side, plus the diametrically opposite one when k is odd (a
 * Harary graph over a random permutation). For k = n − 1 this is the complete graph of classic
 * SecAgg.
 *
 * <p>Guarantee: the graph is undirected and exactly k-regular, and every party that holds the
 * same seed computes the same graph. In a round the seed is {@link #seedFor}: a hash of every
 * signed key advertisement (and the config's public graph seed), so the server cannot choose the
 * graph by itself once the advertisements are in. The permutation makes the neighbourhood of
 * a client independent of its id, which is what the SecAgg+ analysis needs for a random
 * sample of dropouts and corruptions to leave each neighbourhood with enough honest survivors.
 */
public final class NeighbourGraph {
  private final int n;
  private final int k;
  private final int[] order;     // position -> client
  private final int[] position;  // client -> position

  /** The graph of {@code config}'s own graph seed (without advertisements: tests and benchmarks). */
  public NeighbourGraph(SecAggConfig config) {
    this(config, config.graphSeed());
  }

  /** The graph over {@code config}'s clients and degree, shuffled by {@code seed}. */
  public NeighbourGraph(SecAggConfig config, byte[] seed) {
    this.n = config.numClients();
    this.k = config.neighbours();
    this.order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    if (!config.isClassic()) {
      byte[] key = Hkdf.sha256(seed, null,
          "hedgerow/secagg/v1/neighbour-permutation".getBytes(StandardCharsets.UTF_8), 32);
      ChaChaRandom random = new ChaChaRandom(key);
      for (int i = n - 1; i > 0; i--) { // Fisher–Yates
        int j = random.uniformInt(i + 1);
        int tmp = order[i];
        order[i] = order[j];
        order[j] = tmp;
      }
    }
    this.position = new int[n];
    for (int p = 0; p < n; p++) {
      position[order[p]] = p;
    }
  }

  /**
   * The seed of a round's graph: HKDF of the key directory's digest (every signed advertisement that
   * arrived in time), salted with the config's public graph seed (a beacon value if one is configured).
   */
  public static byte[] seedFor(SecAggConfig config, byte[] directoryDigest) {
    return Hkdf.sha256(directoryDigest, config.graphSeed(),
        "hedgerow/secagg/v2/graph-seed-from-advertisements".getBytes(StandardCharsets.UTF_8), 32);
  }

  public int size() {
    return n;
  }

  public int degree() {
    return k;
  }

  /** The neighbours of {@code client}, sorted ascending; never contains {@code client}. */
  public int[] neighbours(int client) {
    if (client < 0 || client >= n) {
      throw new IllegalArgumentException(String.format(
          "client must be in [0, %d). Provided value: %d", n, client));
    }
    int[] out = new int[k];
    int p = position[client];
    int m = 0;
    for (int d = 1; d <= k / 2; d++) {
      out[m++] = order[Math.floorMod(p + d, n)];
      out[m++] = order[Math.floorMod(p - d, n)];
    }
    if (k % 2 == 1) {
      out[m++] = order[(p + n / 2) % n];
    }
    Arrays.sort(out);
    return out;
  }

  /** Whether {@code u} and {@code v} are neighbours (O(1)). */
  public boolean areNeighbours(int u, int v) {
    if (u == v || u < 0 || v < 0 || u >= n || v >= n) {
      return false;
    }
    int d = Math.floorMod(position[u] - position[v], n);
    int dist = Math.min(d, n - d);
    return dist <= k / 2 || (k % 2 == 1 && dist == n / 2);
  }
}
