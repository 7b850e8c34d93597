package org.hedgerow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.hedgerow.edge.data.PurchaseLine;
import org.hedgerow.edge.data.RetailLogLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PartitionCommandTest {
  @TempDir Path tmp;

  @Test
  void partition_regionLog_writesOneLoadableFilePerSiloWithEveryKeptLine() throws Exception {
    Path log = tmp.resolve("log.csv");
    Files.writeString(log, String.join("\n",
        "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country",
        "1,10001,\"A, B\",2,2011-01-01 10:00:00,1.5,100,Germany",
        "2,10002,C,1,2011-01-02 10:00:00,2.0,100,Germany",
        "3,10001,A,3,2011-01-03 10:00:00,1.5,200,Spain",
        "C4,10001,A,-3,2011-01-04 10:00:00,1.5,200,Spain",
        "5,POST,POSTAGE,1,2011-01-05 10:00:00,18,300,France"));
    Path out = tmp.resolve("silos");
    StringWriter err = new StringWriter();
    int code = Hedgerow.commandLine().setErr(new PrintWriter(err))
        .execute("partition", "--data", log.toString(), "--out", out.toString());
    assertEquals(0, code, err.toString());
    assertEquals(List.of("catalogue.csv", "germany.csv.gz", "iberia.csv.gz"),
        Files.list(out).map(p -> p.getFileName().toString()).sorted().toList());
    // Without --catalogue, other data get every product code of the cleaned log (POST is not a product).
    assertEquals(List.of("10001", "10002"), org.hedgerow.edge.task.Catalogue.load(out.resolve("catalogue.csv")).codes());
    List<PurchaseLine> germany = new RetailLogLoader().load(out.resolve("germany.csv.gz")).lines();
    assertEquals(2, germany.size());
    assertEquals(100, germany.get(0).customerId());
    assertEquals(1, new RetailLogLoader().load(out.resolve("iberia.csv.gz")).report().rowsKept());
  }

  @Test
  void partition_givenCatalogue_copiedBesideTheSiloFiles() throws Exception {
    Path log = tmp.resolve("log2.csv");
    Files.writeString(log, String.join("\n",
        "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country",
        "1,10001,A,2,2011-01-01 10:00:00,1.5,100,Germany"));
    Path declared = tmp.resolve("declared.csv");
    Files.writeString(declared, "stock_code,description\n10001,A\n20002,B\n");
    Path out = tmp.resolve("silos2");
    int code = Hedgerow.commandLine().execute("partition", "--data", log.toString(), "--out", out.toString(),
        "--catalogue", declared.toString());
    assertEquals(0, code);
    org.hedgerow.edge.task.Catalogue copied = org.hedgerow.edge.task.Catalogue.load(out.resolve("catalogue.csv"));
    assertEquals(List.of("10001", "20002"), copied.codes());
    // The descriptions travel with it: DP silos order new products by them (federated-dp-explore).
    assertEquals("B", copied.description(copied.indexOf("20002")));
  }

  @Test
  void partition_missingFile_exitsNonZeroNamingTheFile() {
    StringWriter err = new StringWriter();
    int code = Hedgerow.commandLine().setErr(new PrintWriter(err))
        .execute("partition", "--data", tmp.resolve("none.csv").toString(), "--out", tmp.toString());
    assertTrue(code != 0);
    assertTrue(err.toString().contains("none.csv"), err.toString());
  }
}
