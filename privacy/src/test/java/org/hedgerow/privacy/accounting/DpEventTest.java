package org.hedgerow.privacy.accounting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DpEventTest {

  @Test
  void sampledGaussian_buildsSelfComposedPoissonGaussian() {
    assertEquals(
        new SelfComposedEvent(new PoissonSampledEvent(0.01, new GaussianEvent(1.1)), 1000),
        DpEvent.sampledGaussian(1.1, 0.01, 1000));
  }

  @ParameterizedTest
  @ValueSource(longs = {0, -1})
  void sampledGaussian_stepsBelowOne_throwsNamingSteps(long steps) {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> DpEvent.sampledGaussian(1.0, 0.1, steps));
    assertEquals("steps must be >= 1. Provided value: " + steps, e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(doubles = {0.0, -1.0, Double.NaN, Double.POSITIVE_INFINITY})
  void gaussianEvent_badNoiseMultiplier_throws(double z) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new GaussianEvent(z));
    assertEquals("noiseMultiplier must be > 0 and finite. Provided value: " + z, e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(doubles = {0.0, -0.5, 1.5, Double.NaN})
  void poissonSampledEvent_badProbability_throws(double q) {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new PoissonSampledEvent(q, new GaussianEvent(1)));
    assertEquals("samplingProbability must be in (0, 1]. Provided value: " + q, e.getMessage());
  }

  @Test
  void discreteGaussianEvent_rho_isSensitivitySquaredOverTwoSigmaSquared() {
    assertEquals(2.0 * 2.0 / (2 * 10.0 * 10.0), new DiscreteGaussianEvent(10, 2).rho(), 1e-16);
    assertThrows(IllegalArgumentException.class, () -> new DiscreteGaussianEvent(0, 1));
    assertThrows(IllegalArgumentException.class, () -> new DiscreteGaussianEvent(1, Double.NaN));
  }

  @Test
  void composedEvent_copiesItsList() {
    List<DpEvent> events = new ArrayList<>(List.of(new GaussianEvent(1)));
    ComposedEvent composed = new ComposedEvent(events);
    events.add(new NoOpEvent());
    assertEquals(1, composed.events().size());
  }

  @Test
  void composedEvent_nullMember_throws() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> ComposedEvent.of(new NoOpEvent(), null));
    assertEquals("events[1] must not be null", e.getMessage());
  }

  @Test
  void selfComposedEvent_countBelowOne_throws() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> new SelfComposedEvent(new GaussianEvent(1), 0));
    assertEquals("count must be >= 1. Provided value: 0", e.getMessage());
  }
}
