package org.hedgerow.cli;

import org.hedgerow.edge.data.LogFormat;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** {@code --format retail|events}, {@code --columns}, {@code --event-weights}: the same three flags on every command that reads a log. */
public final class LogFormatOptions {
  @CommandLine.Spec(CommandLine.Spec.Target.MIXEE) CommandLine.Model.CommandSpec mixee;

  @Option(names = "--format", defaultValue = "retail", description = "Layout of --data: retail (UCI Online Retail, "
      + "header required; default) or events (one behaviour per row: see --columns, --event-weights).")
  String format;

  @Option(names = "--columns", description = "With --format events: the CSV's columns in order, from user, item, "
      + "category, event, timestamp and skip (default: user,item,category,event,timestamp — the Taobao layout). "
      + "A header row naming them is skipped; times are epoch seconds or ISO-8601.")
  String columns;

  @Option(names = "--event-weights", description = "With --format events: implicit-feedback weight of each "
      + "event type in [0, 1] (default: buy=1,cart=0.5,fav=0.3,pv=0.1); unlisted or 0-weight types are dropped.")
  String eventWeights;

  /** The format, or a usage error (exit 2) naming the flag that is wrong. */
  public LogFormat logFormat() {
    try {
      return LogFormat.parse(format, columns, eventWeights);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(mixee.commandLine(), e.getMessage());
    }
  }

  public boolean events() {
    return "events".equals(format);
  }
}
