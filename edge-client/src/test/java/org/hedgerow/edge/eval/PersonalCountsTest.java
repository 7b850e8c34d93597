package org.hedgerow.edge.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PersonalCountsTest {
  /** What the evaluator counted before: one pass over the personal products per query. */
  private static long[] byPass(float s, float[] unseen, int[] own, float[] ownScores) {
    long above = 0;
    long tied = 0;
    for (float u : unseen) {
      if (u > s) {
        above++;
      } else if (u == s) {
        tied++;
      }
    }
    for (int j = 0; j < own.length; j++) {
      float u = unseen[own[j]];
      if (u > s) {
        above--;
      } else if (u == s) {
        tied--;
      }
      float p = ownScores[j];
      if (p > s) {
        above++;
      } else if (p == s) {
        tied++;
      }
    }
    return new long[] {above, tied - 1};
  }

  /** Scores from a handful of values, signed zeros among them, so that ties are common. */
  private static float draw(SplittableRandom rnd) {
    float[] values = {-1f, -0.0f, 0.0f, 0.25f, 0.5f, 1f, Float.MIN_VALUE};
    return rnd.nextInt(4) == 0 ? (float) rnd.nextDouble() : values[rnd.nextInt(values.length)];
  }

  @Test
  void aboveAndTied_randomTiedScores_sameCountsAsOnePass() {
    SplittableRandom rnd = new SplittableRandom(7);
    for (int trial = 0; trial < 300; trial++) {
      int n = 1 + rnd.nextInt(60);
      float[] unseen = new float[n];
      for (int i = 0; i < n; i++) {
        unseen[i] = draw(rnd);
      }
      float[] sorted = unseen.clone();
      Arrays.sort(sorted);
      int[] own = rnd.ints(rnd.nextInt(n + 1), 0, n).distinct().sorted().toArray();
      float[] ownScores = new float[own.length];
      for (int j = 0; j < own.length; j++) {
        ownScores[j] = draw(rnd);
      }
      PersonalCounts counts = new PersonalCounts(unseen, sorted, own, ownScores);
      for (int q = 0; q < 20; q++) {
        float s = q % 2 == 0 && own.length > 0 ? ownScores[rnd.nextInt(own.length)] : draw(rnd);
        assertArrayEquals(byPass(s, unseen, own, ownScores), counts.aboveAndTied(s), "trial " + trial + ", s " + s);
      }
    }
  }

  @Test
  void aboveAndTied_nanAmongPersonalScores_sameCountsAsOnePass() {
    float[] unseen = {0.1f, 0.5f, 0.5f, 0.9f, 0.3f};
    float[] sorted = unseen.clone();
    Arrays.sort(sorted);
    int[] own = {0, 2, 4};
    float[] ownScores = {Float.NaN, 0.5f, 0.7f};
    PersonalCounts counts = new PersonalCounts(unseen, sorted, own, ownScores);
    for (float s : new float[] {0.1f, 0.5f, 0.7f, 0.9f, Float.NaN}) {
      assertArrayEquals(byPass(s, unseen, own, ownScores), counts.aboveAndTied(s), "s " + s);
    }
  }
}
