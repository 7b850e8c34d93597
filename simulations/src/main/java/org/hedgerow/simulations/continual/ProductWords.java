package org.hedgerow.simulations.continual;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.hedgerow.edge.data.CsvLine;
import org.hedgerow.edge.task.DescriptionWords;

/**
 * The words of each product's description, standing in for a category (the Online Retail log has no
 * category column): "JUMBO BAG RED RETROSPOT" gives BAG, JUMBO, RED, RETROSPOT. Descriptions describe the
 * product, not the customer, so they are public catalogue data.
 */
public final class ProductWords {
  private final Map<String, List<String>> byCode;

  private ProductWords(Map<String, List<String>> byCode) {
    this.byCode = byCode;
  }

  /** No descriptions (e.g. an event log): every product has no words. */
  public static ProductWords none() {
    return new ProductWords(Map.of());
  }

  /**
   * Reads the {@code StockCode} and {@code Description} columns of an Online Retail style CSV (optionally
   * gzipped); a product's first non-blank description is kept.
   *
   * @throws IllegalArgumentException if the file has no such columns
   */
  public static ProductWords load(Path log) {
    Map<String, List<String>> byCode = new HashMap<>();
    try (InputStream raw = Files.newInputStream(log);
        InputStream in = log.toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw;
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16)) {
      String header = reader.readLine();
      List<String> cols = header == null ? List.of() : CsvLine.split(header.replace("\uFEFF", ""));
      int code = cols.indexOf("StockCode");
      int description = cols.indexOf("Description");
      if (code < 0 || description < 0) {
        throw new IllegalArgumentException(log + ": no StockCode and Description columns in the header " + cols);
      }
      String line;
      while ((line = reader.readLine()) != null) {
        List<String> f = CsvLine.split(line);
        if (f.size() <= Math.max(code, description) || f.get(description).isBlank()) {
          continue;
        }
        byCode.putIfAbsent(f.get(code).strip().toUpperCase(Locale.ROOT), DescriptionWords.of(f.get(description)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read product descriptions from " + log, e);
    }
    return new ProductWords(byCode);
  }

  /** The words of a product code; empty when unknown. */
  public List<String> of(String stockCode) {
    return byCode.getOrDefault(stockCode, List.of());
  }

  /** The words of every product of {@code catalogue}, by catalogue index (empty lists for products without). */
  public List<List<String>> byIndex(org.hedgerow.edge.task.Catalogue catalogue) {
    List<List<String>> out = new java.util.ArrayList<>(catalogue.size());
    for (int i = 0; i < catalogue.size(); i++) {
      out.add(of(catalogue.code(i)));
    }
    return out;
  }

  public boolean isEmpty() {
    return byCode.isEmpty();
  }
}
