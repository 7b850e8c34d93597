package org.hedgerow.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.zip.GZIPOutputStream;
import org.hedgerow.edge.data.PurchaseLine;
import org.hedgerow.edge.data.RetailLogLoader;
import org.hedgerow.simulations.partition.Partitioner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code hedgerow partition}: splits a pooled log into one file per silo, so that separate
 * {@code hedgerow client} processes can each hold only their own shop's data.
 */
@Command(name = "partition", mixinStandardHelpOptions = true,
    description = "Clean a behaviour log and write one gzipped CSV per silo (DIR/<silo>.csv.gz).")
public class PartitionCommand implements Callable<Integer> {
  private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  @Option(names = "--data", defaultValue = "data/online-retail/online_retail.csv.gz",
      description = "Log to split (default: the bundled Online Retail data).")
  String data;

  @Option(names = "--out", required = true, description = "Directory for the per-silo files.")
  Path out;

  @Option(names = "--partition", defaultValue = "region", description = "region (default), region:FILE, customer "
      + "(= per-customer), dirichlet:ALPHA[:SILOS] or quantity-skew:ALPHA[:SILOS] (SILOS default 15).")
  String partition;

  @Option(names = "--seed", defaultValue = "1", description = "Seed of the dirichlet and quantity-skew draws (default 1).")
  long seed;

  @Option(names = "--uk-shops", defaultValue = "4", description = "Shops the UK is split into by customer.")
  int ukShops;

  /** The bundled data's declared product list (stands in for the retailer's published catalogue). */
  static final String BUNDLED_CATALOGUE = "data/online-retail/catalogue.csv";
  static final String BUNDLED_DATA = "data/online-retail/online_retail.csv.gz";

  @Option(names = "--catalogue", description = "The shops' public product list to write as DIR/catalogue.csv "
      + "(default: the bundled list for the bundled data; for other data, every product code in the cleaned log).")
  Path catalogue;

  @picocli.CommandLine.Mixin LogFormatOptions format;

  @Override
  public Integer call() throws IOException {
    Path file = Home.resolve(data);
    org.hedgerow.edge.data.LogFormat logFormat = format.logFormat();
    RetailLogLoader.Result r = logFormat.load(file);
    System.out.println(r.report());
    Map<String, List<PurchaseLine>> silos = Partitioner.parse(partition, ukShops, seed).partition(r.lines());
    Files.createDirectories(out);
    if (logFormat instanceof org.hedgerow.edge.data.EventLogLoader events) {
      EventPartition.write(file, events, silos, out);
    }
    for (Map.Entry<String, List<PurchaseLine>> e : logFormat instanceof org.hedgerow.edge.data.EventLogLoader
        ? Map.<String, List<PurchaseLine>>of().entrySet() : silos.entrySet()) {
      Path f = out.resolve(e.getKey() + ".csv.gz");
      try (BufferedWriter w = new BufferedWriter(new OutputStreamWriter(
          new GZIPOutputStream(Files.newOutputStream(f)), StandardCharsets.UTF_8))) {
        w.write(String.join(",", RetailLogLoader.COLUMNS));
        w.newLine();
        for (PurchaseLine l : e.getValue()) {
          // Cleaned lines; the description is not kept by the loader, so it is left empty.
          w.write(l.invoice() + "," + l.stockCode() + ",," + l.quantity() + "," + DATE.format(l.time()) + ","
              + l.unitPrice() + "," + l.customerId() + "," + org.hedgerow.edge.data.CsvLine.quote(l.country()));
          w.newLine();
        }
      }
      System.out.printf("%-16s %,8d lines -> %s%n", e.getKey(), e.getValue().size(), f);
    }
    // Each silo needs a public product list for DP training (client --catalogue): one beside the files.
    Path list = out.resolve("catalogue.csv");
    org.hedgerow.edge.task.Catalogue c;
    if (catalogue != null) {
      c = org.hedgerow.edge.task.Catalogue.load(catalogue);
    } else if (data.equals(BUNDLED_DATA) && !format.events()) {
      c = org.hedgerow.edge.task.Catalogue.load(Home.resolve(BUNDLED_CATALOGUE));
    } else {
      java.util.Set<String> codes = new java.util.TreeSet<>();
      r.lines().forEach(l -> codes.add(l.stockCode()));
      c = new org.hedgerow.edge.task.Catalogue(codes);
      System.out.println("note: no --catalogue given, so the product list is every code in the cleaned log; "
          + "under DP that list is treated as public — give the shops' published catalogue instead where there is one");
    }
    c.write(list);
    System.out.printf("%-16s %,8d products -> %s%n", "catalogue", c.size(), list);
    return 0;
  }
}
