package org.hedgerow.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.hedgerow.simulations.Scenario;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code hedgerow demo}: {@code simulate} with the bundled default scenario on the bundled data. */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Federated run on the bundled Online Retail data with the default scenario; options override it.")
public class DemoCommand implements Callable<Integer> {
  @Option(names = "--out", defaultValue = "runs/demo", description = "Output directory (default: ${DEFAULT-VALUE}).")
  Path out;

  @Mixin RunOptions overrides;

  @Mixin CrossDeviceOptions crossDevice;

  @Override
  public Integer call() throws Exception {
    return SimulateCommand.run(Scenario.bundledDefault().with(crossDevice.addTo(overrides.asJson()), "command line"), out);
  }
}
