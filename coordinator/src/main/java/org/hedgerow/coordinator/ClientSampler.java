package org.hedgerow.coordinator;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * Which clients a round asks for an update: all active ones, or {@code clientsPerRound} of them drawn
 * uniformly without replacement. The draw is seeded from the federation's seed and the round (not
 * from SecureRandom) so that a resumed coordinator asks the same clients; who is asked is not a secret.
 */
final class ClientSampler {
  private final long seed;
  private final int clientsPerRound;

  /** @param clientsPerRound clients asked per round; 0 or more than are active: every active client */
  ClientSampler(long seed, int clientsPerRound) {
    this.seed = seed;
    this.clientsPerRound = clientsPerRound;
  }

  /** The clients asked in {@code round} out of {@code active} (whose order does not matter). */
  Set<String> sample(int round, Set<String> active) {
    List<String> ids = new ArrayList<>(new TreeSet<>(active));
    int k = clientsPerRound;
    if (k <= 0 || k >= ids.size()) {
      return new TreeSet<>(ids);
    }
    SplittableRandom rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + round);
    for (int i = 0; i < k; i++) { // a partial Fisher-Yates shuffle: the first k are the sample
      int j = i + rng.nextInt(ids.size() - i);
      String t = ids.get(i);
      ids.set(i, ids.get(j));
      ids.set(j, t);
    }
    return new TreeSet<>(ids.subList(0, k));
  }
}
