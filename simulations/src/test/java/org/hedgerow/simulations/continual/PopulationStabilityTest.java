package org.hedgerow.simulations.continual;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PopulationStabilityTest {
  @Test
  void of_sameMix_nearZero() {
    Map<String, Integer> mix = Map.of("a", 400, "b", 300, "c", 300);
    PopulationStability.Result r = PopulationStability.of(mix, mix, 20);
    assertEquals(0.0, r.psi(), 1e-12);
    assertEquals(4, r.bins()); // three labels and "other"
  }

  @Test
  void of_mixTurnedAround_aboveThresholdAndNoise() {
    PopulationStability.Result r = PopulationStability.of(Map.of("a", 800, "b", 200), Map.of("a", 200, "b", 800), 20);
    // p = (0.8, 0.2) to (0.2, 0.8): 2 × 0.6 × ln 4 ≈ 1.66 before smoothing.
    assertEquals(2 * 0.6 * Math.log(4), r.psi(), 0.01);
    assertTrue(r.psi() > PopulationStability.MOVED_THRESHOLD && r.psi() > 2 * r.noiseFloor());
  }

  @Test
  void of_rareLabels_sharedOtherBin() {
    // 'c' and 'd' fall outside the top 2 and share one bin, where they cancel.
    PopulationStability.Result r = PopulationStability.of(Map.of("a", 50, "b", 40, "c", 10),
        Map.of("a", 50, "b", 40, "d", 10), 2);
    assertEquals(0.0, r.psi(), 1e-12);
  }

  @Test
  void of_emptyPeriod_notANumber() {
    assertTrue(Double.isNaN(PopulationStability.of(Map.of("a", 1), Map.<String, Integer>of(), 5).psi()));
  }

  @Test
  void of_zeroBins_refused() {
    assertThrows(IllegalArgumentException.class, () -> PopulationStability.of(Map.of("a", 1), Map.of("a", 1), 0));
  }
}
