package org.hedgerow.edge.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.StringReader;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventLogLoaderTest {
  private static RetailLogLoader.Result parse(String columns, String weights, String text) throws Exception {
    EventLogLoader l = (EventLogLoader) LogFormat.parse("events", columns, weights);
    return l.parse(new BufferedReader(new StringReader(text)));
  }

  @Test
  void load_taobaoSampleWithoutHeader_everyWeightedEventKept() {
    Path sample = Path.of("src/test/resources/taobao-sample.csv").toAbsolutePath();
    RetailLogLoader.Result r = LogFormat.parse("events", "user,item,category,event,timestamp", null).load(sample);
    assertEquals(495, r.report().rowsRead());
    assertEquals(495, r.report().rowsKept(), r.report().toString());
    PurchaseLine first = r.lines().get(0);
    assertEquals(101, first.customerId());
    assertEquals("1014", first.stockCode());
    assertEquals(LocalDateTime.of(2017, 11, 27, 6, 46, 42), first.time());
    assertEquals("u101-20171127", first.invoice(), "one basket per customer and UTC day");
    assertEquals(1, first.quantity(), "a page view weighs 0.1: one unit against a purchase's ten");
  }

  @Test
  void parse_headerAndIsoTimes_headerSkippedAndTimesInUtc() throws Exception {
    RetailLogLoader.Result r = parse("timestamp,user,event,item", null,
        "Timestamp,User,Event,Item\n2017-11-27T10:00:00+02:00,7,buy,A1\n2017-11-27 09:30:00,7,cart,B2\n");
    assertEquals(2, r.report().rowsRead(), "the header is not a row");
    assertEquals(LocalDateTime.of(2017, 11, 27, 8, 0), r.lines().get(0).time());
    assertEquals(10, r.lines().get(0).quantity());
    assertEquals(5, r.lines().get(1).quantity());
  }

  @Test
  void parse_unweightedAndBadRows_droppedWithReasons() throws Exception {
    RetailLogLoader.Result r = parse("user,item,category,event,timestamp", "buy=1,pv=0",
        "1,10,5,pv,1511740800\n1,10,5,buy,1511740800\nx,10,5,buy,1511740800\n1,10,5,buy,yesterday\n1,10,5\n"
            + "1,10,5,click,1511740800\n1,10,5,buy,1511740800\n");
    assertEquals(7, r.report().rowsRead());
    assertEquals(1, r.report().rowsKept());
    assertEquals(2, r.report().droppedByReason().get(DropReason.UNWEIGHTED_EVENT), "pv weighs 0; click is unlisted");
    assertEquals(3, r.report().droppedByReason().get(DropReason.MALFORMED));
    assertEquals(1, r.report().droppedByReason().get(DropReason.DUPLICATE_LINE));
    List<String> ex = r.report().malformedExamples();
    assertTrue(ex.get(0).contains("line 3") && ex.get(0).contains("user is not a positive integer"), ex.toString());
    assertTrue(ex.get(1).contains("neither epoch seconds nor ISO-8601"), ex.toString());
    assertTrue(ex.get(2).contains("expected 5 fields"), ex.toString());
  }

  @Test
  void parse_badFlags_errorsNameTheFlag() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> LogFormat.parse("events", "user,item,when", null))
        .getMessage().contains("unknown column 'when'"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> LogFormat.parse("events", "user,item,event", null))
        .getMessage().contains("must include 'timestamp'"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> LogFormat.parse("events", null, "buy=2"))
        .getMessage().contains("must be in [0, 1]"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> LogFormat.parse("events", null, "buy"))
        .getMessage().contains("is not type=weight"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> LogFormat.parse("retail", "user,item", null))
        .getMessage().contains("--format events only"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> LogFormat.parse("json", null, null))
        .getMessage().contains("'retail' or 'events'"));
  }

  @Test
  void eventTime_epochMillisAndDate_parsed() {
    assertEquals(LocalDateTime.of(2017, 11, 27, 0, 0), EventTime.parse("1511740800000"));
    assertEquals(LocalDateTime.of(2017, 11, 27, 0, 0), EventTime.parse("2017-11-27"));
  }
}
