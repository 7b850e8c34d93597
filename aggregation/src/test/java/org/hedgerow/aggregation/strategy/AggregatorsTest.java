package org.hedgerow.aggregation.strategy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class AggregatorsTest {
  private static final FitConfig FIT = new FitConfig(1, 8, 1);

  @Test
  void create_eachName_buildsItsRule() {
    assertInstanceOf(FedAvg.class, Aggregators.create(AggregatorSpec.DEFAULT, FIT));
    assertInstanceOf(FedAvgM.class, Aggregators.create(AggregatorSpec.of("fedavgm"), FIT));
    assertInstanceOf(FedAdam.class, Aggregators.create(AggregatorSpec.of("fedadam"), FIT));
    assertInstanceOf(FedYogi.class, Aggregators.create(AggregatorSpec.of("fedyogi"), FIT));
    assertInstanceOf(CoordinateMedian.class, Aggregators.create(AggregatorSpec.of("median"), FIT));
    assertInstanceOf(TrimmedMean.class, Aggregators.create(AggregatorSpec.of("trimmed-mean"), FIT));
  }

  @Test
  void create_maxUpdateNorm_wrapsRule() {
    Strategy s = Aggregators.create(AggregatorSpec.of("fedyogi", Map.of("max_update_norm", 2.0, "tau", 0.1)), FIT);
    UpdateNormBound b = assertInstanceOf(UpdateNormBound.class, s);
    assertEquals(2.0, b.maxNorm());
    assertInstanceOf(FedYogi.class, b.delegate());
    assertTrue(s.needsIndividualUpdates());
  }

  @Test
  void create_defaults_arePapersBetasAndDocumentedValues() {
    // Defaults are stored in the state's hyperparameters: compare with an explicitly configured one.
    Strategy byName = Aggregators.create(AggregatorSpec.of("fedadam"), FIT);
    FedAdam explicit = new FedAdam(FIT, 1e-2, 0.9, 0.99, 1e-3);
    assertEquals(java.util.Arrays.toString(explicit.state()), java.util.Arrays.toString(byName.state()));
    Strategy m = Aggregators.create(AggregatorSpec.of("fedavgm"), FIT);
    assertEquals(java.util.Arrays.toString(new FedAvgM(FIT, 1.0, 0.9).state()), java.util.Arrays.toString(m.state()));
  }

  @Test
  void spec_unknownName_refusedListingNames() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AggregatorSpec.of("fedprox"));
    assertEquals("aggregator must be one of [fedavg, fedavgm, fedadam, fedyogi, median, trimmed-mean]. "
        + "Provided value: fedprox", e.getMessage());
  }

  @Test
  void spec_unknownParameter_refusedNamingIt() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> AggregatorSpec.of("fedadam", Map.of("beta_1", 0.9)));
    assertTrue(e.getMessage().startsWith("unknown aggregator parameter 'beta_1'"), e.getMessage());
  }

  @Test
  void spec_parameterOfAnotherRule_refusedSayingWhatItTakes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> AggregatorSpec.of("median", Map.of("trim_fraction", 0.1)));
    assertEquals("aggregator median takes no parameter trim_fraction (it takes: max_update_norm). Provided value: 0.1",
        e.getMessage());
  }

  @Test
  void spec_badValues_refusedNamingValue() {
    assertEquals("beta2 must be in [0, 1). Provided value: 1.5", assertThrows(IllegalArgumentException.class,
        () -> AggregatorSpec.of("fedyogi", Map.of("beta2", 1.5))).getMessage());
    assertEquals("trim_fraction must be in (0, 0.5). Provided value: 0.5", assertThrows(IllegalArgumentException.class,
        () -> AggregatorSpec.of("trimmed-mean", Map.of("trim_fraction", 0.5))).getMessage());
    assertEquals("max_update_norm must be > 0 and finite. Provided value: Infinity",
        assertThrows(IllegalArgumentException.class,
            () -> AggregatorSpec.of("fedavg", Map.of("max_update_norm", Double.POSITIVE_INFINITY))).getMessage());
    assertEquals("server_learning_rate must be > 0 and finite. Provided value: -0.1",
        assertThrows(IllegalArgumentException.class,
            () -> AggregatorSpec.of("fedavgm", Map.of("server_learning_rate", -0.1))).getMessage());
  }

  @Test
  void spec_needsIndividualUpdates_forRobustRulesAndNormBound() {
    assertFalse(AggregatorSpec.of("fedadam").needsIndividualUpdates());
    assertTrue(AggregatorSpec.of("median").needsIndividualUpdates());
    assertTrue(AggregatorSpec.of("trimmed-mean").needsIndividualUpdates());
    assertTrue(AggregatorSpec.of("fedavg", Map.of("max_update_norm", 1.0)).needsIndividualUpdates());
  }

  @Test
  void spec_parameters_roundTripThroughOf() {
    AggregatorSpec s = AggregatorSpec.of("fedadam", Map.of("tau", 0.01, "beta1", 0.8, "max_update_norm", 5.0));
    assertEquals(s, AggregatorSpec.of(s.name(), s.parameters()));
    assertEquals("fedadam {beta1=0.8, tau=0.01, max_update_norm=5.0}", s.toString());
  }
}
