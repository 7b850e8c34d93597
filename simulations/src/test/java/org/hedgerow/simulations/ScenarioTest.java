package org.hedgerow.simulations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScenarioTest {
  @TempDir Path tmp;

  @Test
  void load_partialFile_overridesOnlyGivenKeys() throws Exception {
    Path f = tmp.resolve("s.json");
    Files.writeString(f, "{\"rounds\": 3, \"holdout\": \"after=2011-10-01\"}");
    Scenario s = Scenario.load(f);
    assertEquals(3, s.rounds());
    assertEquals("after=2011-10-01", s.holdout());
    assertEquals(Scenario.bundledDefault().hidden(), s.hidden());
  }

  @Test
  void load_unknownKey_failsNamingIt() throws Exception {
    Path f = tmp.resolve("s.json");
    Files.writeString(f, "{\"roundz\": 3}");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Scenario.load(f));
    assertTrue(e.getMessage().contains("unknown key 'roundz'"), e.getMessage());
  }

  @Test
  void load_wrongType_failsNamingKey() throws Exception {
    Path f = tmp.resolve("s.json");
    Files.writeString(f, "{\"rounds\": \"ten\"}");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Scenario.load(f));
    assertTrue(e.getMessage().contains("'rounds' must be an integer"), e.getMessage());
  }

  @Test
  void load_zeroRounds_rejected() throws Exception {
    Path f = tmp.resolve("s.json");
    Files.writeString(f, "{\"rounds\": 0}");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Scenario.load(f));
    assertEquals("rounds must be >= 1. Provided value: 0", e.getMessage());
  }

  @Test
  void load_notJson_failsNamingFile() throws Exception {
    Path f = tmp.resolve("broken.json");
    Files.writeString(f, "{rounds:");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Scenario.load(f));
    assertTrue(e.getMessage().contains("broken.json"), e.getMessage());
  }
}
