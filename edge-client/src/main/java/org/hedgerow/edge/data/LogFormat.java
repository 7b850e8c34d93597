package org.hedgerow.edge.data;

import java.nio.file.Path;

/**
 * How a silo's behaviour log is laid out. Every format yields the same cleaned {@link PurchaseLine}s
 * and {@link CleaningReport}, so features, training, evaluation and serving never see the difference.
 */
public interface LogFormat {
  /** Loads and cleans {@code file}; a bad header fails at once, a bad row is counted and skipped. */
  RetailLogLoader.Result load(Path file);

  /** The UCI Online Retail layout (header required): {@link RetailLogLoader}. */
  static LogFormat retail() {
    return new RetailLogLoader();
  }

  /**
   * Parses the command-line trio {@code --format retail|events}, {@code --columns},
   * {@code --event-weights}; the last two are only meaningful (and only accepted) with {@code events}.
   *
   * @param columns null: {@link EventColumns#DEFAULT}
   * @param weights null: {@link EventWeights#DEFAULT}
   * @throws IllegalArgumentException naming the flag and the value that is wrong
   */
  static LogFormat parse(String format, String columns, String weights) {
    String f = format == null ? "retail" : format.trim();
    switch (f) {
      case "retail":
        if (columns != null || weights != null) {
          throw new IllegalArgumentException("--columns and --event-weights apply to --format events only; "
              + "the retail format has fixed columns " + String.join(",", RetailLogLoader.COLUMNS));
        }
        return retail();
      case "events":
        return new EventLogLoader(columns == null ? EventColumns.DEFAULT : EventColumns.parse(columns),
            weights == null ? EventWeights.DEFAULT : EventWeights.parse(weights));
      default:
        throw new IllegalArgumentException("--format must be 'retail' or 'events'. Provided value: " + format);
    }
  }
}
