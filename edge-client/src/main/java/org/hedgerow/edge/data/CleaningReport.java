package org.hedgerow.edge.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** What a load read, kept and dropped, and why — the numbers an analyst checks before trusting a run. */
public final class CleaningReport {
  /** How many offending lines are quoted verbatim per reason, so a report stays small. */
  static final int EXAMPLES_PER_REASON = 3;

  private long rowsRead;
  private long rowsKept;
  private final Map<DropReason, Long> dropped = new EnumMap<>(DropReason.class);
  private final List<String> examples = new ArrayList<>();

  void read() {
    rowsRead++;
  }

  void kept() {
    rowsKept++;
  }

  void dropped(DropReason reason, long lineNumber, String detail) {
    long before = dropped.getOrDefault(reason, 0L);
    dropped.put(reason, before + 1);
    if (before < EXAMPLES_PER_REASON && reason == DropReason.MALFORMED) {
      examples.add("line " + lineNumber + ": " + detail);
    }
  }

  public long rowsRead() {
    return rowsRead;
  }

  public long rowsKept() {
    return rowsKept;
  }

  public long rowsDropped() {
    return rowsRead - rowsKept;
  }

  /** Drop counts by reason, every reason present (zero where nothing was dropped for it). */
  public Map<DropReason, Long> droppedByReason() {
    Map<DropReason, Long> all = new EnumMap<>(DropReason.class);
    for (DropReason r : DropReason.values()) {
      all.put(r, dropped.getOrDefault(r, 0L));
    }
    return Collections.unmodifiableMap(all);
  }

  /** A few malformed lines with their line numbers and what was wrong. */
  public List<String> malformedExamples() {
    return List.copyOf(examples);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format("rows read %,d, kept %,d, dropped %,d", rowsRead, rowsKept, rowsDropped()));
    droppedByReason().forEach((r, n) -> {
      if (n > 0) {
        sb.append(String.format("%n  %-22s %,9d", r.key(), n));
      }
    });
    return sb.toString();
  }
}
