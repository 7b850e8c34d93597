package org.hedgerow.cli.audit;

import java.util.Locale;

/** Small helpers for the self-contained HTML pages the audit commands write. */
final class Html {
  private Html() {}

  /** {@code s} escaped for text and attribute values. */
  static String esc(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder b = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  /** A number as the report prints it: 12 significant digits, "-" when not finite. */
  static String num(double v) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%.12g", v).replaceFirst("\\.?0+(e|$)", "$1") : "-";
  }

  /** The page head: title and the inline style sheet (no external resource). */
  static String head(String title) {
    return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        + "<title>" + esc(title) + "</title><style>" + STYLE + "</style></head><body>\n";
  }

  private static final String STYLE = """
      body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:2em auto;max-width:1100px;color:#222;
        padding:0 1em;line-height:1.45}
      h1{font-size:1.6em;margin-bottom:.2em} h2{margin-top:1.6em;border-bottom:1px solid #ccc;padding-bottom:.2em}
      table{border-collapse:collapse;margin:.6em 0;font-size:.92em} th,td{border:1px solid #ccc;padding:.3em .6em;
        text-align:left;vertical-align:top} th{background:#f3f3f3} td.n{text-align:right;font-variant-numeric:tabular-nums}
      .banner{padding:1em 1.2em;border-radius:6px;margin:1em 0;font-weight:600}
      .banner.failed{background:#fde8e8;border:2px solid #c0392b;color:#8b1a1a}
      .banner.passed{background:#e7f6ec;border:2px solid #2e8b57;color:#1d5e3a}
      .banner ul{font-weight:400;margin:.4em 0 0}
      .fail{color:#c0392b;font-weight:600} .pass{color:#2e8b57;font-weight:600}
      code,.mono{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.9em;word-break:break-all}
      img{max-width:100%;border:1px solid #ddd} .muted{color:#666;font-size:.9em}
      """;
}
