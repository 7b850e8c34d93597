package org.hedgerow.edge.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RetailLogLoaderTest {
  @TempDir Path tmp;

  private Path fixture() throws Exception {
    return Path.of(getClass().getResource("/small-log.csv").toURI());
  }

  @Test
  void load_smallFixture_countsEveryDropReason() throws Exception {
    RetailLogLoader.Result r = new RetailLogLoader().load(fixture());
    CleaningReport rep = r.report();
    assertEquals(15, rep.rowsRead());
    assertEquals(4, rep.rowsKept());
    Map<DropReason, Long> d = rep.droppedByReason();
    assertEquals(4, d.get(DropReason.MALFORMED)); // "four", bad date, open quote, 7 fields
    assertEquals(1, d.get(DropReason.CANCELLATION));
    assertEquals(1, d.get(DropReason.MISSING_CUSTOMER));
    assertEquals(1, d.get(DropReason.NON_POSITIVE_QUANTITY));
    assertEquals(1, d.get(DropReason.NON_POSITIVE_PRICE));
    assertEquals(2, d.get(DropReason.NON_PRODUCT_CODE)); // POST, DOT
    assertEquals(1, d.get(DropReason.DUPLICATE_LINE));
    assertEquals(rep.rowsRead(), rep.rowsKept() + d.values().stream().mapToLong(Long::longValue).sum());
  }

  @Test
  void load_quotedCommaAndDecimalCustomerId_parsedIntoOneField() throws Exception {
    RetailLogLoader.Result r = new RetailLogLoader().load(fixture());
    assertEquals("71053", r.lines().get(1).stockCode());
    PurchaseLine last = r.lines().get(r.lines().size() - 1);
    assertEquals("15056BL", last.stockCode()); // upper-cased
    assertEquals(12583, last.customerId()); // "12583.0"
  }

  @Test
  void load_malformedRows_reportLineNumbersAndReasons() throws Exception {
    CleaningReport rep = new RetailLogLoader().load(fixture()).report();
    assertTrue(rep.malformedExamples().get(0).startsWith("line 10: Quantity is not an integer"),
        rep.malformedExamples().toString());
  }

  @Test
  void load_gzippedFile_sameResultAsPlain() throws Exception {
    Path gz = tmp.resolve("log.csv.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
      out.write(Files.readAllBytes(fixture()));
    }
    assertEquals(4, new RetailLogLoader().load(gz).report().rowsKept());
  }

  @Test
  void load_wrongHeader_failsNamingFileLineAndColumn() throws IOException {
    Path bad = tmp.resolve("bad.csv");
    Files.writeString(bad, "InvoiceNo,Stock,Description\n1,2,3\n", StandardCharsets.UTF_8);
    LogFormatException e = assertThrows(LogFormatException.class, () -> new RetailLogLoader().load(bad));
    assertTrue(e.getMessage().contains("bad.csv:1 column 2"), e.getMessage());
    assertTrue(e.getMessage().contains("expected column 'StockCode', found 'Stock'"), e.getMessage());
  }

  @Test
  void load_emptyFile_failsWithLineOne() throws IOException {
    Path empty = tmp.resolve("empty.csv");
    Files.writeString(empty, "");
    LogFormatException e = assertThrows(LogFormatException.class, () -> new RetailLogLoader().load(empty));
    assertTrue(e.getMessage().contains("empty.csv:1"), e.getMessage());
  }

  @Test
  void load_missingFile_failsNamingIt() {
    Path missing = tmp.resolve("nope.csv");
    LogFormatException e = assertThrows(LogFormatException.class, () -> new RetailLogLoader().load(missing));
    assertTrue(e.getMessage().contains("nope.csv"), e.getMessage());
  }
}
