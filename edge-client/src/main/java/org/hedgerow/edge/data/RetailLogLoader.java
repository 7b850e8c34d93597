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
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * Loads an Online Retail style behaviour log (CSV, optionally gzipped) and cleans it.
 *
 * <p>A wrong header fails at once with the file, line and column; a bad data row is counted under
 * {@link DropReason#MALFORMED} and the load goes on, so one broken line never loses a shop's data.
 */
public final class RetailLogLoader implements LogFormat {
  /** The columns, in order, of the UCI Online Retail export. */
  public static final List<String> COLUMNS =
      List.of("InvoiceNo", "StockCode", "Description", "Quantity", "InvoiceDate", "UnitPrice",
          "CustomerID", "Country");

  // Real products are five digits with an optional colour/size suffix (85123A, 15056BL);
  // POST, DOT, M, C2, BANK CHARGES, AMAZONFEE, gift_0001_20, DCGS… are fees, vouchers, manual lines.
  private static final Pattern PRODUCT_CODE = Pattern.compile("\\d{5}[A-Za-z]{0,2}");
  private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  /** The cleaned lines and the report of what happened to the rest. */
  public record Result(List<PurchaseLine> lines, CleaningReport report) {}

  @Override
  public Result load(Path file) {
    if (!Files.isReadable(file)) {
      throw new LogFormatException(file, 0, null, "cannot read the file (missing or no permission)");
    }
    try (InputStream raw = Files.newInputStream(file);
        InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw;
        BufferedReader reader =
            new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16)) {
      return parse(file, reader);
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + file + ": " + e.getMessage(), e);
    }
  }

  Result parse(Path file, BufferedReader reader) throws IOException {
    String header = reader.readLine();
    if (header == null) {
      throw new LogFormatException(file, 1, null, "empty file: expected the header " + COLUMNS);
    }
    checkHeader(file, header);
    CleaningReport report = new CleaningReport();
    List<PurchaseLine> kept = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    long lineNumber = 1;
    String line;
    while ((line = reader.readLine()) != null) {
      lineNumber++;
      if (line.isBlank()) {
        continue;
      }
      report.read();
      List<String> f = CsvLine.split(line);
      if (f == null || f.size() != COLUMNS.size()) {
        report.dropped(DropReason.MALFORMED, lineNumber,
            f == null ? "unclosed quote" : "expected 8 fields, found " + f.size());
        continue;
      }
      String invoice = f.get(0).trim();
      String code = f.get(1).trim();
      int quantity;
      double price;
      LocalDateTime time;
      try {
        quantity = Integer.parseInt(f.get(3).trim());
      } catch (NumberFormatException e) {
        report.dropped(DropReason.MALFORMED, lineNumber, "Quantity is not an integer: '" + f.get(3) + "'");
        continue;
      }
      try {
        price = Double.parseDouble(f.get(5).trim());
      } catch (NumberFormatException e) {
        report.dropped(DropReason.MALFORMED, lineNumber, "UnitPrice is not a number: '" + f.get(5) + "'");
        continue;
      }
      if (!Double.isFinite(price)) {
        report.dropped(DropReason.MALFORMED, lineNumber, "UnitPrice is not finite: '" + f.get(5) + "'");
        continue;
      }
      try {
        time = LocalDateTime.parse(f.get(4).trim(), DATE);
      } catch (DateTimeParseException e) {
        report.dropped(DropReason.MALFORMED, lineNumber,
            "InvoiceDate is not yyyy-MM-dd HH:mm:ss: '" + f.get(4) + "'");
        continue;
      }
      if (invoice.isEmpty()) {
        report.dropped(DropReason.MALFORMED, lineNumber, "InvoiceNo is empty");
        continue;
      }
      if (invoice.startsWith("C") || invoice.startsWith("c")) {
        report.dropped(DropReason.CANCELLATION, lineNumber, null);
        continue;
      }
      String customer = f.get(6).trim();
      if (customer.isEmpty()) {
        report.dropped(DropReason.MISSING_CUSTOMER, lineNumber, null);
        continue;
      }
      int customerId;
      try {
        // Some exports write the id as 17850.0.
        double d = Double.parseDouble(customer);
        if (d != Math.rint(d) || d <= 0 || d > Integer.MAX_VALUE) {
          throw new NumberFormatException();
        }
        customerId = (int) d;
      } catch (NumberFormatException e) {
        report.dropped(DropReason.MALFORMED, lineNumber, "CustomerID is not a positive integer: '" + customer + "'");
        continue;
      }
      if (quantity <= 0) {
        report.dropped(DropReason.NON_POSITIVE_QUANTITY, lineNumber, null);
        continue;
      }
      if (price <= 0) {
        report.dropped(DropReason.NON_POSITIVE_PRICE, lineNumber, null);
        continue;
      }
      if (!PRODUCT_CODE.matcher(code).matches()) {
        report.dropped(DropReason.NON_PRODUCT_CODE, lineNumber, null);
        continue;
      }
      if (!seen.add(line)) {
        report.dropped(DropReason.DUPLICATE_LINE, lineNumber, null);
        continue;
      }
      kept.add(new PurchaseLine(invoice, code.toUpperCase(java.util.Locale.ROOT), quantity, time, price,
          customerId, f.get(7).trim()));
      report.kept();
    }
    return new Result(kept, report);
  }

  private static void checkHeader(Path file, String header) {
    String h = header.startsWith("\uFEFF") ? header.substring(1) : header;
    List<String> cols = CsvLine.split(h);
    if (cols == null) {
      throw new LogFormatException(file, 1, null, "header has an unclosed quote");
    }
    for (int i = 0; i < COLUMNS.size(); i++) {
      String got = i < cols.size() ? cols.get(i).trim() : "<missing>";
      if (!COLUMNS.get(i).equals(got)) {
        throw new LogFormatException(file, 1, Integer.toString(i + 1),
            "expected column '" + COLUMNS.get(i) + "', found '" + got + "' (expected header: "
                + String.join(",", COLUMNS) + ")");
      }
    }
    if (cols.size() != COLUMNS.size()) {
      throw new LogFormatException(file, 1, Integer.toString(COLUMNS.size() + 1),
          "unexpected extra column '" + cols.get(COLUMNS.size()) + "'");
    }
  }
}
