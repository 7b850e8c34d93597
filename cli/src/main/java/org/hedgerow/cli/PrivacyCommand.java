package org.hedgerow.cli;

import org.hedgerow.cli.privacy.BudgetCommand;
import org.hedgerow.cli.privacy.EpsilonCommand;
import org.hedgerow.cli.privacy.NoiseCommand;
import picocli.CommandLine.Command;

/**
 * {@code hedgerow privacy}: privacy accounting from the command line — the ε a planned run spends
 * ({@code epsilon}), the noise a budget needs ({@code noise}), what a silo has spent, from its
 * signed log ({@code budget}), privacy/utility sweeps ({@code sweep}) and an empirical one-run audit
 * of a silo's DP training ({@code audit}).
 *
 * <p>Not runnable by itself: without a subcommand picocli reports "Missing required subcommand"
 * (exit code 2).
 */
@Command(
    name = "privacy",
    mixinStandardHelpOptions = true,
    description = "Privacy accounting: epsilon spent by a run, or the noise multiplier for a budget; "
        + "a silo's spends from its state directory; privacy/utility sweeps; an empirical audit (lower bound on "
        + "epsilon) of a silo's DP training.",
    subcommands = {EpsilonCommand.class, NoiseCommand.class, BudgetCommand.class, SweepCommand.class,
        PrivacyAuditCommand.class})
public final class PrivacyCommand {}
