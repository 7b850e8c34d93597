package org.hedgerow.edge.state;

import java.nio.file.Path;

/**
 * A file of a silo's state directory is not what the silo wrote: a line that does not parse, a
 * signature that does not verify, a counter out of order, a figure the accountant does not
 * reproduce. The silo refuses to start on it (nothing is repaired silently except a torn final line).
 */
public final class CorruptStateException extends IllegalStateException {
  private final transient Path file;
  private final int line;

  /**
   * @param line 1-based line number, or 0 when the problem is not one line's
   */
  public CorruptStateException(Path file, int line, String message) {
    super(file + (line > 0 ? " line " + line : "") + ": " + message);
    this.file = file;
    this.line = line;
  }

  public CorruptStateException(Path file, int line, String message, Throwable cause) {
    this(file, line, message);
    initCause(cause);
  }

  public Path file() {
    return file;
  }

  /** 1-based line number, or 0 when the problem is not one line's. */
  public int line() {
    return line;
  }
}
