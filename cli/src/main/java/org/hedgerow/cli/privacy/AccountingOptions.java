package org.hedgerow.cli.privacy;

import picocli.CommandLine.Option;

/** The accountant's settings and the output format, shared by {@code epsilon} and {@code noise}. */
public final class AccountingOptions {

  @Option(
      names = "--orders",
      paramLabel = "opacus|tf|LIST",
      defaultValue = "opacus",
      description =
          "RDP orders: opacus (1.1..10.9 by 0.1, 12..63; the default), tf (TF Privacy's"
              + " 1.25..4.5, 5..63, 128, 256, 512) or a comma-separated list of orders > 1.")
  String orders;

  @Option(
      names = "--conversion",
      paramLabel = "improved|classic",
      defaultValue = "improved",
      description =
          "RDP to (epsilon, delta): improved (Balle et al. 2020, as Opacus and TF Privacy; the"
              + " default) or classic (Mironov 2017: rdp + log(1/delta)/(order-1)).")
  String conversion;

  @Option(names = "--json", description = "Print one JSON object instead of a sentence.")
  boolean json;
}
