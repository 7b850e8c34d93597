package org.hedgerow.cli;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.hedgerow.edge.data.EventLogLoader;
import org.hedgerow.edge.data.PurchaseLine;

/**
 * {@code partition --format events}: each silo's file holds its customers' rows of the input exactly as
 * they were (same columns, header kept if there was one), so every silo reads it back with the same
 * {@code --format events --columns … --event-weights …}. Rows the loader dropped go to no silo.
 */
final class EventPartition {
  private EventPartition() {}

  static void write(Path input, EventLogLoader format, Map<String, List<PurchaseLine>> silos, Path out)
      throws IOException {
    Map<Integer, String> siloOf = new HashMap<>();
    silos.forEach((silo, lines) -> lines.forEach(l -> siloOf.put(l.customerId(), silo)));
    Map<String, BufferedWriter> writers = new LinkedHashMap<>();
    Map<String, Long> rows = new LinkedHashMap<>();
    try (InputStream raw = Files.newInputStream(input);
        InputStream in = input.toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw;
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16)) {
      for (String silo : silos.keySet()) {
        writers.put(silo, new BufferedWriter(new OutputStreamWriter(new GZIPOutputStream(
            Files.newOutputStream(out.resolve(silo + ".csv.gz"))), StandardCharsets.UTF_8)));
        rows.put(silo, 0L);
      }
      String line;
      boolean first = true;
      while ((line = reader.readLine()) != null) {
        Integer customer = format.customerOfLine(line);
        if (first && customer == null) { // a header: every silo's file starts with it
          for (BufferedWriter w : writers.values()) {
            w.write(line);
            w.newLine();
          }
        }
        first = false;
        String silo = customer == null ? null : siloOf.get(customer);
        if (silo != null) {
          writers.get(silo).write(line);
          writers.get(silo).newLine();
          rows.merge(silo, 1L, Long::sum);
        }
      }
    } finally {
      for (BufferedWriter w : writers.values()) {
        w.close();
      }
    }
    rows.forEach((silo, n) -> System.out.printf("%-16s %,8d rows  -> %s%n", silo, n, out.resolve(silo + ".csv.gz")));
  }
}
