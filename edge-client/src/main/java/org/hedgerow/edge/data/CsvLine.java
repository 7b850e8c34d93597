package org.hedgerow.edge.data;

import java.util.ArrayList;
import java.util.List;

/** One RFC 4180 line: commas inside double quotes are data, a doubled quote is a quote. */
public final class CsvLine {
  private CsvLine() {}

  /** A field as written: quoted when it holds a comma, quote or line break, its quotes doubled. */
  public static String quote(String field) {
    if (field.indexOf(',') < 0 && field.indexOf('"') < 0 && field.indexOf('\n') < 0 && field.indexOf('\r') < 0) {
      return field;
    }
    return '"' + field.replace("\"", "\"\"") + '"';
  }

  /** Returns the fields, or {@code null} when a quote is left open (the line is malformed). */
  public static List<String> split(String line) {
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
