package org.hedgerow.coordinator.metrics;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Helpers for the Prometheus text exposition format 0.0.4: name checks, escaping and number
 * rendering (https://prometheus.io/docs/instrumenting/exposition_formats/).
 */
final class TextFormat {
  /** The {@code Content-Type} of a scrape. */
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

  private TextFormat() {}

  static void checkMetricName(String name) {
    if (name == null || !METRIC_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("metric name must match [a-zA-Z_:][a-zA-Z0-9_:]*. Provided value: " + name);
    }
  }

  static void checkLabelName(String name) {
    if (name == null || !LABEL_NAME.matcher(name).matches() || name.startsWith("__")) {
      throw new IllegalArgumentException(
          "label name must match [a-zA-Z_][a-zA-Z0-9_]* and not start with '__'. Provided value: " + name);
    }
  }

  /** {@code # HELP} text: backslash and line feed escaped. */
  static String escapeHelp(String help) {
    return help.replace("\\", "\\\\").replace("\n", "\\n");
  }

  /** A label value: backslash, double quote and line feed escaped. */
  static String escapeLabelValue(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }

  /** A sample value as Go's ParseFloat reads it: integers without a fraction, +Inf/-Inf/NaN spelled so. */
  static String number(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return Double.toString(v);
  }

  /** Appends {@code {a="x",b="y"}} (nothing when there are no labels). */
  static void labels(StringBuilder out, List<String> names, List<String> values, String extraName, String extraValue) {
    if (names.isEmpty() && extraName == null) {
      return;
    }
    out.append('{');
    for (int i = 0; i < names.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      out.append(names.get(i)).append("=\"").append(escapeLabelValue(values.get(i))).append('"');
    }
    if (extraName != null) {
      if (!names.isEmpty()) {
        out.append(',');
      }
      out.append(extraName).append("=\"").append(escapeLabelValue(extraValue)).append('"');
    }
    out.append('}');
  }
}
