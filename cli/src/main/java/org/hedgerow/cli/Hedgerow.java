package org.hedgerow.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code hedgerow} launcher: one entry point whose subcommands are the user's jobs.
 *
 * <p>Exit codes: 0 success, 1 the job failed, 2 bad parameters (picocli's usage-error code).
 */
@Command(
    name = "hedgerow",
    mixinStandardHelpOptions = true,
    version = "hedgerow 0.1.0",
    description = "Federated, privacy-preserving preference learning.",
    subcommands = {
        CommandLine.HelpCommand.class,
        DemoCommand.class,
        SimulateCommand.class,
        GridSweepCommand.class,
        ClientCommand.class,
        WorkerCommand.class,
        ServeCommand.class,
        ReplayCommand.class,
        EnrolCommand.class,
        CaCommand.class,
        CoordinatorCommand.class,
        PartitionCommand.class,
        PrivacyCommand.class,
        BenchCommand.class,
        AuditCommand.class,
    })
public final class Hedgerow implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** Builds the command tree; tests call this to run commands in-process. */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new Hedgerow());
    cl.setParameterExceptionHandler(
        (ex, args) -> {
          // Bad parameters: the message and where to look, not the whole usage page.
          CommandLine cmd = ex.getCommandLine();
          cmd.getErr().println("hedgerow: " + ex.getMessage());
          cmd.getErr().println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for the options.");
          return 2;
        });
    cl.setExecutionExceptionHandler(
        (ex, cmd, parseResult) -> {
          // A failed job prints one clear line, not a stack trace (set HEDGEROW_DEBUG=1 for that).
          cmd.getErr().println("hedgerow: " + ex.getMessage());
          if (System.getenv("HEDGEROW_DEBUG") != null) {
            ex.printStackTrace(cmd.getErr());
          }
          return ex instanceof IllegalArgumentException ? 2 : 1;
        });
    return cl;
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }
}
