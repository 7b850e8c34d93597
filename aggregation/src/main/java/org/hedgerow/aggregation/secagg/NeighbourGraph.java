package org.hedgerow.aggregation.secagg;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The round's k-regular neighbour graph (SecAgg+, Bell et al. 2020): clients are placed on a
 * circle and each is joined to the ⌊k/2⌋ nearest positions on either side, plus the diametrically
 * opposite one when k is odd (a Harary graph over a pseudorandom order). For k = n − 1 this is the
 * complete graph of classic SecAgg.
 *
 * <p>Protocol version 3: a client's place on the circle is
 * {@code SHA-256("hedgerow/secagg/v3/graph-position" | graph seed | identity key)}, clients sorted by
 * it (ties by id). The graph seed is public and fixed before the round ({@link SecAggConfig#graphSeed}:
 * by default derived from the federation round number, not from the session or anything the clients
 * send), so the server cannot grind it per session; and because each place depends only on the seed and
 * that client's own certified key, leaving clients out of the roster removes them from the circle
 * without moving anyone else (the relative order of any two clients does not depend on who else takes
 * part; with odd k the one opposite neighbour does depend on n). A client can therefore compute its neighbours from the roster alone and needs to check only
 * their advertisements. See docs/security.md, "Where the graph comes from".
 *
 * <p>Guarantee: the graph is undirected and exactly k-regular, and every party holding the same seed
 * and roster computes the same graph; {@link #digest} names that pair (it goes into survivor-list
 * signatures, so holders shown different rosters cannot count each other's signatures).
 */
public final class NeighbourGraph {
  private static final byte[] POSITION_DOMAIN = "hedgerow/secagg/v3/graph-position".getBytes(StandardCharsets.UTF_8);
  private static final byte[] DIGEST_DOMAIN = "hedgerow/secagg/v3/graph".getBytes(StandardCharsets.UTF_8);

  private final int n;
  private final int k;
  private final int[] order;     // position -> client
  private final int[] position;  // client -> position
  private final byte[] digest;

  /** The round's graph over {@code roster}'s identity keys (what clients and server use). */
  public NeighbourGraph(SecAggConfig config, ClientRoster roster) {
    this(config, rosterKeys(config, roster));
  }

  /**
   * The graph with each client's place keyed by its id instead of an identity key (tests and
   * benchmarks of the graph alone).
   */
  public NeighbourGraph(SecAggConfig config) {
    this(config, indexKeys(config.numClients()));
  }

  private NeighbourGraph(SecAggConfig config, List<byte[]> positionKeys) {
    this.n = config.numClients();
    this.k = config.neighbours();
    byte[] seed = config.graphSeed();
    this.digest = digestOf(seed, n, k, positionKeys);
    Integer[] byPlace = new Integer[n];
    for (int i = 0; i < n; i++) {
      byPlace[i] = i;
    }
    if (!config.isClassic()) {
      byte[][] places = new byte[n][];
      MessageDigest sha = sha256();
      for (int i = 0; i < n; i++) {
        sha.update(POSITION_DOMAIN);
        sha.update(seed);
        sha.update(positionKeys.get(i));
        places[i] = sha.digest();
      }
      Arrays.sort(byPlace, (a, b) -> {
        int c = Arrays.compareUnsigned(places[a], places[b]);
        return c != 0 ? c : Integer.compare(a, b); // equal keys (open registration only): by id
      });
    }
    this.order = new int[n];
    this.position = new int[n];
    for (int p = 0; p < n; p++) {
      order[p] = byPlace[p];
      position[order[p]] = p;
    }
  }

  private static List<byte[]> rosterKeys(SecAggConfig config, ClientRoster roster) {
    if (roster.size() != config.numClients()) {
      throw new IllegalArgumentException(String.format(
          "roster must list numClients = %d identity keys. Provided size: %d", config.numClients(), roster.size()));
    }
    List<byte[]> keys = new ArrayList<>(roster.size());
    for (int i = 0; i < roster.size(); i++) {
      keys.add(roster.identityKey(i));
    }
    return keys;
  }

  private static List<byte[]> indexKeys(int n) {
    List<byte[]> keys = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      keys.add(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(i).array());
    }
    return keys;
  }

  private static byte[] digestOf(byte[] seed, int n, int k, List<byte[]> keys) {
    MessageDigest sha = sha256();
    sha.update(DIGEST_DOMAIN);
    sha.update(seed);
    sha.update(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(n).putInt(k).array());
    for (byte[] key : keys) {
      sha.update(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(key.length).array());
      sha.update(key);
    }
    return sha.digest();
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e); // every Java platform has it
    }
  }

  public int size() {
    return n;
  }

  public int degree() {
    return k;
  }

  /**
   * SHA-256 over a domain tag, the graph seed, n, k and every client's position key in id order:
   * equal digests mean equal graphs (and equal rosters).
   */
  public byte[] digest() {
    return digest.clone();
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
