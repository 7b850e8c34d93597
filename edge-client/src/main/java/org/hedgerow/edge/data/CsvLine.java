package org.hedgerow.edge.data;

import java.util.ArrayList;
import java.util.List;

/** Splits one RFC 4180 line: commas inside double quotes are data, a doubled quote is a quote. */
final class CsvLine {
  private CsvLine() {}

  /** Returns the fields, or {@code null} when a quote is left open (the line is malformed). */
  static List<String> split(String line) {
    List<String> fields = new ArrayList<>(8);
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '"') {
          if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
            field.append('"');
            i++;
          } else {
            quoted = false;
          }
        } else {
          field.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        fields.add(field.toString());
        field.setLength(0);
      } else {
        field.append(c);
      }
    }
    if (quoted) {
      return null;
    }
    fields.add(field.toString());
    return fields;
  }
}
