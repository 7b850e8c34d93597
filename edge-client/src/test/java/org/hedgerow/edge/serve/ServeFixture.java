package org.hedgerow.edge.serve;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.hedgerow.aggregation.model.ModelSpec;
import org.hedgerow.edge.model.PreferenceModelSpec;

/** Test data for serving: a small retail log and a (random, untrained) global model. */
final class ServeFixture {
  static final int CUSTOMERS = 40;
  static final int FIRST_CUSTOMER = 5001;
  private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  private ServeFixture() {}

  /** A retail log: 40 customers, 3 to 6 invoices each over 30 products (codes 10001…10030), seeded. */
  static Path retailLog(Path dir) throws IOException {
    SplittableRandom r = new SplittableRandom(5);
    List<String> lines = new ArrayList<>();
    lines.add("InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country");
    int invoice = 600000;
    for (int c = 0; c < CUSTOMERS; c++) {
      int[] favourites = {r.nextInt(30), r.nextInt(30), r.nextInt(30)};
      int invoices = 3 + r.nextInt(4);
      for (int v = 0; v < invoices; v++) {
        LocalDateTime t = LocalDateTime.of(2011, 1, 1, 9, 0).plusDays(20L * v + r.nextInt(10));
        invoice++;
        for (int n = 0; n < 4; n++) {
          int p = r.nextDouble() < 0.6 ? favourites[r.nextInt(3)] : r.nextInt(30);
          lines.add(invoice + "," + (10001 + p) + ",,2," + DATE.format(t.plusMinutes(n)) + ",1.5,"
              + (FIRST_CUSTOMER + c) + ",Germany");
        }
      }
    }
    Path f = dir.resolve("shop.csv");
    Files.write(f, lines);
    return f;
  }

  /** The products a customer of {@link #retailLog} bought, read back from the file. */
  static java.util.Set<String> productsOf(Path dir, int customer) throws IOException {
    java.util.Set<String> out = new java.util.TreeSet<>();
    for (String l : Files.readAllLines(dir.resolve("shop.csv"))) {
      String[] f = l.split(",");
      if (f[6].equals(Integer.toString(customer))) {
        out.add(f[1]);
      }
    }
    return out;
  }

  static ServingModel model() {
    ModelSpec spec = PreferenceModelSpec.of(List.of(128, 64, 32), 0.5, 1e-3);
    return new ServingModel("7", spec, spec.initialParameters(3));
  }
}
