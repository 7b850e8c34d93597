package org.hedgerow.edge.data;

import java.nio.file.Path;

/** The file is not a behaviour log of the expected format; says where and what. */
public final class LogFormatException extends RuntimeException {
  public LogFormatException(Path file, long line, String column, String problem) {
    super(file + ":" + line + (column == null ? "" : " column " + column) + ": " + problem);
  }
}
