package org.hedgerow.coordinator;

import org.hedgerow.aggregation.strategy.AggregatorSpec;
import org.hedgerow.aggregation.strategy.FitConfig;
import org.hedgerow.coordinator.assembly.CoordinatorBuilder;
import org.hedgerow.coordinator.assembly.FederationConfig;

/** Tests' way to the one assembly path: a FedAvg coordinator with the settings of {@code options}. */
public final class Coordinators {
  private Coordinators() {}

  public static CoordinatorBuilder builder(CoordinatorOptions options, FitConfig fit) {
    FederationConfig config = FederationConfig.plain(options.spec(), options.targetRounds(), options.seed(), fit,
        AggregatorSpec.DEFAULT).withPrivacy(options.privacy());
    return CoordinatorBuilder.of(config).listen(options.host(), options.port())
        .clients(options.expectedClients(), options.minClients()).clientsPerRound(options.clientsPerRound())
        .roundDeadlineMillis(options.roundDeadlineMillis()).maxUploadBytes(options.maxUploadBytes());
  }
}
