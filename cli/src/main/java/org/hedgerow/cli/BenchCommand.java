package org.hedgerow.cli;

import org.hedgerow.cli.bench.SecAggBenchCommand;
import org.hedgerow.cli.bench.ServeBenchCommand;
import picocli.CommandLine.Command;

/**
 * {@code hedgerow bench}: in-process performance measurements of the platform's building blocks.
 * Not runnable by itself: without a subcommand picocli reports "Missing required subcommand".
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Benchmarks: run a component in one process and report its cost.",
    subcommands = {SecAggBenchCommand.class, ServeBenchCommand.class})
public final class BenchCommand {}
