package org.hedgerow.aggregation.strategy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.hedgerow.aggregation.model.ModelSpec;
import org.junit.jupiter.api.Test;

class WarmStartTest {
  private static final ModelSpec SPEC = new ModelSpec("x", List.of(1, 1), "relu", "sigmoid", 0,
      "binary-cross-entropy", 1e-3); // 2 parameters

  @Test
  void initializeParameters_givenModel_startsThereNotFresh() {
    float[] previous = {0.25f, -1.5f};
    WarmStart s = new WarmStart(new FedAvg(new FitConfig(1, 8, 1)), previous);
    previous[0] = 99; // the strategy kept its own copy
    assertArrayEquals(new float[] {0.25f, -1.5f}, s.initializeParameters(SPEC, 7));
  }

  @Test
  void aggregateFit_delegatesToTheRule() {
    FedAvg rule = new FedAvg(new FitConfig(1, 8, 1));
    WarmStart s = new WarmStart(rule, new float[] {0, 0});
    List<ClientUpdate> updates = List.of(new ClientUpdate("a", 1, new float[] {4, -8}),
        new ClientUpdate("b", 3, new float[] {0, 4}));
    float[] current = {1, 1};
    assertArrayEquals(rule.aggregateFit(1, current, updates), s.aggregateFit(1, current, updates));
  }

  @Test
  void initializeParameters_wrongSize_refusedNamingBoth() {
    WarmStart s = new WarmStart(new FedAvg(new FitConfig(1, 8, 1)), new float[] {1, 2, 3});
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.initializeParameters(SPEC, 7));
    org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("3") && e.getMessage().contains("2"),
        e.getMessage());
  }
}
