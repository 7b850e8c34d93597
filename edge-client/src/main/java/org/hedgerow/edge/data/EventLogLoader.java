package org.hedgerow.edge.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * Loads a behaviour-event log (CSV, optionally gzipped, header or not) such as the Taobao
 * user-behaviour layout {@code user,item,category,behaviour,timestamp}, and turns it into the same
 * purchase lines as a retail log: each (customer, UTC day) is one basket ({@link EventTime#session}),
 * each event adds {@link EventWeights#units} of its product, so the weight of a view, a cart or a
 * favourite against a purchase is what the quantity features see. Events of unweighted types are
 * dropped and counted.
 *
 * <p>The first line is a header if it repeats the configured column names; otherwise it is data.
 */
public final class EventLogLoader implements LogFormat {
  private final EventColumns columns;
  private final EventWeights weights;

  public EventLogLoader(EventColumns columns, EventWeights weights) {
    this.columns = columns;
    this.weights = weights;
  }

  public EventColumns columns() {
    return columns;
  }

  public EventWeights weights() {
    return weights;
  }

  @Override
  public RetailLogLoader.Result load(Path file) {
    if (!Files.isReadable(file)) {
      throw new LogFormatException(file, 0, null, "cannot read the file (missing or no permission)");
    }
    try (InputStream raw = Files.newInputStream(file);
        InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw;
        BufferedReader reader =
            new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16)) {
      return parse(reader);
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + file + ": " + e.getMessage(), e);
    }
  }

  RetailLogLoader.Result parse(BufferedReader reader) throws IOException {
    int user = columns.indexOf("user");
    int item = columns.indexOf("item");
    int event = columns.indexOf("event");
    int timestamp = columns.indexOf("timestamp");
    CleaningReport report = new CleaningReport();
    List<PurchaseLine> kept = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    long lineNumber = 0;
    String line;
    while ((line = reader.readLine()) != null) {
      lineNumber++;
      if (lineNumber == 1 && line.startsWith("\uFEFF")) {
        line = line.substring(1);
      }
      if (line.isBlank()) {
        continue;
      }
      List<String> f = CsvLine.split(line);
      if (lineNumber == 1 && f != null && columns.isHeader(f)) {
        continue;
      }
      report.read();
      if (f == null || f.size() != columns.size()) {
        report.dropped(DropReason.MALFORMED, lineNumber, f == null ? "unclosed quote"
            : "expected " + columns.size() + " fields (" + columns + "), found " + f.size());
        continue;
      }
      Integer customer = customerId(f.get(user));
      if (customer == null) {
        report.dropped(DropReason.MALFORMED, lineNumber, "user is not a positive integer: '" + f.get(user) + "'");
        continue;
      }
      String product = f.get(item).trim();
      if (product.isEmpty()) {
        report.dropped(DropReason.MALFORMED, lineNumber, "item is empty");
        continue;
      }
      LocalDateTime time;
      try {
        time = EventTime.parse(f.get(timestamp));
      } catch (IllegalArgumentException e) {
        report.dropped(DropReason.MALFORMED, lineNumber, e.getMessage());
        continue;
      }
      double w = weights.weight(f.get(event));
      if (w <= 0) {
        report.dropped(DropReason.UNWEIGHTED_EVENT, lineNumber, null);
        continue;
      }
      if (!seen.add(line)) {
        report.dropped(DropReason.DUPLICATE_LINE, lineNumber, null);
        continue;
      }
      // Price is not part of an event log; the features do not use it, so a neutral 1 stands in.
      kept.add(new PurchaseLine(EventTime.session(customer, time), product, EventWeights.units(w), time, 1.0,
          customer, ""));
      report.kept();
    }
    return new RetailLogLoader.Result(kept, report);
  }

  /** The user column's value as a customer id, or null if it is not a positive integer. */
  public static Integer customerId(String raw) {
    String s = raw.trim();
    try {
      long v = Long.parseLong(s);
      return v > 0 && v <= Integer.MAX_VALUE ? (int) v : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** The customer of one raw line, or null if the line is a header or has no valid user (for partitioning). */
  public Integer customerOfLine(String line) {
    List<String> f = CsvLine.split(line);
    if (f == null || f.size() != columns.size()) {
      return null;
    }
    return customerId(f.get(columns.indexOf("user")));
  }
}
