package org.hedgerow.edge.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where each field of an event log sits: {@code --columns user,item,category,event,timestamp}.
 * {@code user}, {@code item}, {@code event} and {@code timestamp} are required; {@code category} and
 * {@code skip} (any number of times) name columns that are read past.
 *
 * @param names the column names in file order, lower-case
 */
public record EventColumns(List<String> names) {
  private static final List<String> REQUIRED = List.of("user", "item", "event", "timestamp");
  private static final List<String> KNOWN = List.of("user", "item", "category", "event", "timestamp", "skip");

  /** The layout of the public Taobao user-behaviour data set. */
  public static final EventColumns DEFAULT = parse("user,item,category,event,timestamp");

  public EventColumns {
    names = List.copyOf(names);
  }

  /**
   * @throws IllegalArgumentException naming an unknown, repeated or missing column
   */
  public static EventColumns parse(String spec) {
    if (spec == null || spec.isBlank()) {
      throw new IllegalArgumentException("--columns must name the CSV columns, e.g. user,item,category,event,timestamp");
    }
    List<String> names = new ArrayList<>();
    for (String raw : spec.split(",", -1)) {
      String n = raw.trim().toLowerCase(Locale.ROOT);
      if (!KNOWN.contains(n)) {
        throw new IllegalArgumentException("--columns: unknown column '" + raw.trim() + "' (known: "
            + String.join(", ", KNOWN) + "). Provided value: " + spec);
      }
      if (!n.equals("skip") && names.contains(n)) {
        throw new IllegalArgumentException("--columns: column '" + n + "' is named twice. Provided value: " + spec);
      }
      names.add(n);
    }
    for (String r : REQUIRED) {
      if (!names.contains(r)) {
        throw new IllegalArgumentException("--columns must include '" + r + "' (required: "
            + String.join(", ", REQUIRED) + "). Provided value: " + spec);
      }
    }
    return new EventColumns(names);
  }

  public int indexOf(String column) {
    return names.indexOf(column);
  }

  public int size() {
    return names.size();
  }

  /** Whether {@code fields} are these column names (a header line), ignoring case and spaces. */
  boolean isHeader(List<String> fields) {
    if (fields.size() != names.size()) {
      return false;
    }
    for (int i = 0; i < names.size(); i++) {
      if (!names.get(i).equals("skip") && !names.get(i).equals(fields.get(i).trim().toLowerCase(Locale.ROOT))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return String.join(",", names);
  }
}
