package org.hedgerow.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ClientSamplerTest {
  private static final Set<String> ACTIVE = IntStream.range(0, 20).mapToObj(i -> "silo-" + i)
      .collect(Collectors.toCollection(LinkedHashSet::new));

  @Test
  void sample_noClientsPerRound_everyActiveClient() {
    assertEquals(ACTIVE, new ClientSampler(7, 0).sample(3, ACTIVE));
  }

  @Test
  void sample_moreAskedThanActive_everyActiveClient() {
    assertEquals(ACTIVE, new ClientSampler(7, 25).sample(3, ACTIVE));
  }

  @Test
  void sample_kOfN_kDistinctActiveClients() {
    Set<String> s = new ClientSampler(7, 5).sample(3, ACTIVE);
    assertEquals(5, s.size());
    assertTrue(ACTIVE.containsAll(s), s.toString());
  }

  @Test
  void sample_sameSeedAndRoundInAnyOrder_sameClients() {
    List<String> reversed = new java.util.ArrayList<>(ACTIVE);
    java.util.Collections.reverse(reversed);
    assertEquals(new ClientSampler(7, 5).sample(3, ACTIVE),
        new ClientSampler(7, 5).sample(3, new LinkedHashSet<>(reversed)), "a resumed coordinator asks the same ones");
  }

  @Test
  void sample_manyRounds_everyClientAskedSometime() {
    // 50 rounds of 5 of 20: a given client is missed with probability (15/20)^50 < 6e-7, all 20 with < 1.2e-5.
    ClientSampler sampler = new ClientSampler(11, 5);
    Set<String> asked = new HashSet<>();
    Set<Set<String>> distinct = new HashSet<>();
    for (int r = 1; r <= 50; r++) {
      Set<String> s = sampler.sample(r, ACTIVE);
      asked.addAll(s);
      distinct.add(s);
    }
    assertEquals(ACTIVE, asked);
    assertNotEquals(1, distinct.size(), "the draw changes with the round");
  }
}
