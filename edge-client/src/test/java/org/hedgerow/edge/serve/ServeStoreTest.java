package org.hedgerow.edge.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServeStoreTest {
  @TempDir Path dir;

  @Test
  void writes_reopened_allThere() {
    Path f = dir.resolve("serve.db");
    LocalDateTime t = LocalDateTime.of(2011, 12, 1, 10, 0);
    try (ServeStore s = ServeStore.open(f)) {
      s.append(List.of(new ServeEvent(1, "A", "buy", 1, t), new ServeEvent(2, "B", "pv", 0.1, t)));
      s.consent(3, new Consent(false, true));
      s.append(List.of(new ServeEvent(4, "C", "buy", 1, t)));
      assertEquals(1, s.erase(4));
    }
    try (ServeStore s = ServeStore.open(f)) {
      assertEquals(List.of(new ServeEvent(1, "A", "buy", 1, t), new ServeEvent(2, "B", "pv", 0.1, t)), s.events());
      assertEquals(Map.of(3, new Consent(false, true)), s.consents());
      assertEquals(Set.of(4), s.erased());
      assertEquals(Set.of(3, 4), s.excludedFromTraining());
      assertEquals(List.of(), s.events(4));
    }
  }
}
