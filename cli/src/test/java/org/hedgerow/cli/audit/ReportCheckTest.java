package org.hedgerow.cli.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ReportCheckTest {
  private static Map<String, List<String>> filed(String... findings) {
    return ReportCheck.classify(List.of(findings)).stream().filter(c -> !c.passed())
        .collect(Collectors.toMap(ReportCheck::name, ReportCheck::findings));
  }

  @Test
  void classify_eachVerifierWording_filedUnderItsCheck() {
    Map<String, List<String>> m = filed(
        "link 3 does not follow link 2: previous hash aa, expected bb",
        "link 4 (uk-1, counter 1, round 1): coordinator countersignature invalid",
        "link 4 (uk-1, counter 1, round 1): silo signature invalid under the link's public key",
        "link 5 (uk-1, counter 2, round 2): reports epsilon 0.5 but the accountant gives 2.1 for the holder's 3 links up "
            + "to it: under-reported",
        "link 6 (uk-1, counter 3, round 3): epsilon 9.0 exceeds the cap 8.0",
        "link 7 (uk-1, counter 5, round 4): counter 5 does not follow 3 (expected 4)",
        "link 8 (uk-1, counter 6, round 5): unknown mechanism 'x' (known: [a])",
        "link 9 (uk-1, counter 7, round 6) differs from the silo's own log: epsilon log 1, ledger 2");
    assertEquals(List.of("link 3 does not follow link 2: previous hash aa, expected bb"), m.get("hash chain"));
    assertEquals(1, m.get("coordinator countersignatures").size());
    assertEquals(1, m.get("silo signatures and keys").size());
    assertEquals(1, m.get("epsilon recomputed (both ways)").size());
    assertEquals(1, m.get("caps").size());
    assertEquals(1, m.get("counters and order").size());
    assertEquals(1, m.get("mechanisms").size());
    assertEquals(1, m.get("silo logs").size());
    assertTrue(!m.containsKey("other"));
  }

  @Test
  void classify_unknownWording_keptUnderOther() {
    assertEquals(List.of("something new"), filed("something new").get("other"));
    assertTrue(ReportCheck.classify(List.of()).stream().allMatch(ReportCheck::passed));
  }
}
