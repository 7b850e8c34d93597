package org.hedgerow.edge.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CatalogueTest {
  @TempDir Path dir;

  @Test
  void load_writtenCatalogue_sameCodesInIndexOrder() throws Exception {
    Catalogue c = new Catalogue(List.of("85123A", "22423", "POST9"));
    Path f = dir.resolve("catalogue.csv");
    c.write(f);
    Catalogue back = Catalogue.load(f);
    assertEquals(c.codes(), back.codes());
    assertEquals(c.indexOf("85123A"), back.indexOf("85123A"));
  }

  @Test
  void load_extraColumnsAndBlankLines_codesOnly() throws Exception {
    Path f = dir.resolve("c.csv");
    Files.writeString(f, "stock_code,description\n22423,REGENCY CAKESTAND\n\n85123A,HEART\n");
    assertEquals(List.of("22423", "85123A"), Catalogue.load(f).codes());
  }

  @Test
  void load_descriptionColumn_descriptionsByIndexWithQuotedCommas() throws Exception {
    Path f = dir.resolve("d.csv");
    Files.writeString(f, "stock_code,description\n85123A,\"HEART, WHITE \"\"T-LIGHT\"\" HOLDER\"\n22423,REGENCY CAKESTAND\n"
        + "POST9\n");
    Catalogue c = Catalogue.load(f);
    assertTrue(c.hasDescriptions());
    assertEquals("REGENCY CAKESTAND", c.description(c.indexOf("22423")));
    assertEquals("HEART, WHITE \"T-LIGHT\" HOLDER", c.description(c.indexOf("85123A")));
    assertEquals("", c.description(c.indexOf("POST9")));
    assertEquals(List.of("HEART", "WHITE", "LIGHT", "HOLDER"), c.descriptionWords().get(c.indexOf("85123A")));
    Path back = dir.resolve("back.csv");
    c.write(back);
    Catalogue again = Catalogue.load(back);
    assertEquals(c.codes(), again.codes());
    for (int i = 0; i < c.size(); i++) {
      assertEquals(c.description(i), again.description(i));
    }
  }

  @Test
  void load_codesOnly_noDescriptionsAndEmptyWords() throws Exception {
    Path f = dir.resolve("e.csv");
    Files.writeString(f, "stock_code\n22423\n");
    Catalogue c = Catalogue.load(f);
    assertFalse(c.hasDescriptions());
    assertEquals(List.of(List.of()), c.descriptionWords());
  }

  @Test
  void load_openQuoteInDescription_refusedNamingLineAndProduct() throws Exception {
    Path f = dir.resolve("q.csv");
    Files.writeString(f, "stock_code,description\n22423,\"REGENCY CAKESTAND\n");
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Catalogue.load(f)).getMessage()
        .contains("line 2: a quote is left open in the description of product 22423"));
  }

  @Test
  void load_badFiles_refusedNamingFileAndLine() throws Exception {
    Path noHeader = dir.resolve("a.csv");
    Files.writeString(noHeader, "22423\n");
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Catalogue.load(noHeader)).getMessage()
        .contains("header"));
    Path dup = dir.resolve("b.csv");
    Files.writeString(dup, "stock_code\n22423\n22423\n");
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Catalogue.load(dup)).getMessage()
        .contains("line 3: product 22423 is listed twice"));
    Path empty = dir.resolve("c.csv");
    Files.writeString(empty, "stock_code\n");
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Catalogue.load(empty)).getMessage()
        .contains("lists no products"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Catalogue.load(dir.resolve("missing.csv")))
        .getMessage().contains("cannot read catalogue"));
  }

  @Test
  void load_bundledCatalogue_hasEveryKeptProduct() {
    Path bundled = Path.of(System.getProperty("user.dir")).getParent().resolve("data/online-retail/catalogue.csv");
    Catalogue c = Catalogue.load(bundled);
    assertEquals(3659, c.size());
    assertTrue(c.indexOf("85123A") >= 0);
    assertEquals(-1, c.indexOf("POST"), "non-product codes are not in the catalogue");
    assertTrue(c.hasDescriptions());
    assertEquals("WHITE HANGING HEART T-LIGHT HOLDER", c.description(c.indexOf("85123A")));
  }
}
