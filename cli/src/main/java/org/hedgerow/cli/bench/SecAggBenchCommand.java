package org.hedgerow.cli.bench;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code hedgerow bench secagg}: one full secure-aggregation round in this process, measured.
 * Exit codes: 0 the unmasked sum was correct, 1 it was not (or the round aborted), 2 bad parameters.
 */
@Command(
    name = "secagg",
    mixinStandardHelpOptions = true,
    description = "Run one secure-aggregation round (SecAgg / SecAgg+) in-process and report per-client and "
        + "server compute, upload expansion and whether the unmasked sum equals the plaintext sum of the survivors.")
public final class SecAggBenchCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--clients", required = true, description = "Number of clients N (>= 3).")
  int clients;

  @Option(names = "--dim", required = true, description = "Vector dimension D.")
  int dim;

  @Option(names = "--dropout", defaultValue = "0", description = "Fraction of clients that drop, in [0, 1). Default: ${DEFAULT-VALUE}.")
  double dropout;

  @Option(names = "--drop-stage", defaultValue = "masked",
      description = "When dropped clients go silent: keys, shares, masked (after sharing: the costly case), unmask, "
          + "or mixed. Default: ${DEFAULT-VALUE}.")
  String dropStage;

  @Option(names = "--neighbours", description = "Neighbours per client k (SecAgg+). Default: N−1 (classic SecAgg).")
  Integer neighbours;

  @Option(names = "--threshold", description = "Shares needed per secret t, k/2 < t <= k. Default: ceil(k/2)+1.")
  Integer threshold;

  @Option(names = "--bits", defaultValue = "32", description = "Ring Z_2^b of the sum, b in [2, 32]. Default: ${DEFAULT-VALUE}.")
  int bits;

  @Option(names = "--seed", defaultValue = "1", description = "Seed for inputs, dropouts and the graph. Default: ${DEFAULT-VALUE}.")
  long seed;

  @Option(names = "--threads", defaultValue = "2", description = "Client worker threads. Default: ${DEFAULT-VALUE}.")
  int threads;

  @Option(names = "--federation-ca", defaultValue = "none",
      description = "Certified identity keys as in service mode: none (roster trusted as sent), first-round (each "
          + "client starts with no certificate verified; a lower bound, because the JDK also caches parsed "
          + "certificates for all simulated silos of this one JVM), steady-state (those signatures were verified in "
          + "an earlier round and are remembered; validity and keys are still checked). Certificates are issued "
          + "before the round, untimed. Default: ${DEFAULT-VALUE}.")
  String federationCa;

  @Option(names = "--json", description = "Print one JSON object instead of text.")
  boolean json;

  @Override
  public Integer call() {
    DropStage stage;
    try {
      stage = DropStage.valueOf(dropStage.toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--drop-stage must be one of keys, shares, masked, unmask, mixed. Provided value: " + dropStage);
    }
    if (bits < 2 || bits > 32) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--bits must be in [2, 32]. Provided value: " + bits);
    }
    FederationCaMode caMode;
    try {
      caMode = FederationCaMode.valueOf(federationCa.replace('-', '_').toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--federation-ca must be one of none, first-round, steady-state. Provided value: " + federationCa);
    }
    SecAggBenchResult r;
    try {
      r = SecAggBench.run(new SecAggBenchParams(clients, dim, dropout, stage, neighbours, threshold, bits, seed, threads,
          caMode));
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    spec.commandLine().getOut().print(json ? r.toJson() + System.lineSeparator() : r.toText());
    spec.commandLine().getOut().flush();
    return r.correct() ? 0 : 1;
  }
}
