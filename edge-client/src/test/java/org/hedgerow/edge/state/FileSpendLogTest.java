package org.hedgerow.edge.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.hedgerow.aggregation.wire.SpendJson;
import org.hedgerow.privacy.budget.PrivacyBudget;
import org.hedgerow.privacy.budget.SignedSpend;
import org.hedgerow.privacy.budget.Spend;
import org.hedgerow.privacy.crypto.Ed25519;
import org.hedgerow.privacy.crypto.Ed25519KeyPair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSpendLogTest {
  @TempDir Path tmp;
  private final Ed25519KeyPair key = Ed25519.generateKeyPair(new SecureRandom());

  /** A release and two rounds, charged to a real budget so that every ε is the accountant's. */
  private static List<Spend> spends() {
    PrivacyBudget b = new PrivacyBudget("germany", 8, 1e-5);
    List<Spend> out = new ArrayList<>();
    out.add(b.chargeGaussianRelease("silo-stats-gaussian", 4));
    out.add(b.spend(1, "dp-sgd-user", 2.5, 0.5, 5, 1.0));
    out.add(b.spend(2, "dp-sgd-user", 2.5, 0.5, 5, 1.0));
    return out;
  }

  private Path written() throws Exception {
    Path f = tmp.resolve("spends.jsonl");
    try (FileSpendLog log = FileSpendLog.open(f, key)) {
      spends().forEach(log::append);
    }
    return f;
  }

  @Test
  void appendThenOpen_threeSpends_sameSignedEntriesBack() throws Exception {
    Path f = tmp.resolve("spends.jsonl");
    List<SignedSpend> appended = new ArrayList<>();
    try (FileSpendLog log = FileSpendLog.open(f, key)) {
      spends().forEach(s -> appended.add(log.append(s)));
      assertEquals(appended, log.entries());
    }
    try (FileSpendLog again = FileSpendLog.open(f, key)) {
      assertEquals(appended, again.entries());
      assertTrue(again.entries().stream().allMatch(SignedSpend::valid));
      assertArrayEquals(key.publicKey(), again.entries().get(0).publicKey());
    }
    List<String> lines = Files.readAllLines(f);
    assertEquals(3, lines.size());
    assertEquals(SpendJson.line(appended.get(1)), lines.get(1));
  }

  @Test
  void append_everyEntry_fsyncedBeforeReturningAndCreationSyncsTheDirectory() throws Exception {
    Path f = tmp.resolve("spends.jsonl");
    long dirSyncs = StateFiles.DIRECTORY_SYNCS.get();
    try (FileSpendLog log = FileSpendLog.open(f, key)) {
      assertTrue(StateFiles.DIRECTORY_SYNCS.get() > dirSyncs, "creating the log fsyncs its directory");
      List<Spend> all = spends();
      for (int i = 0; i < all.size(); i++) {
        log.append(all.get(i));
        assertEquals(i + 1, log.syncs(), "one fsync per append, done before append returned");
        assertEquals(i + 1, Files.readAllLines(f).size(), "the line is in the file when append returns");
      }
    }
  }

  @Test
  void append_counterNotNext_refusedAndNothingWritten() throws Exception {
    Path f = tmp.resolve("spends.jsonl");
    try (FileSpendLog log = FileSpendLog.open(f, key)) {
      Spend second = spends().get(1);
      assertThrows(IllegalArgumentException.class, () -> log.append(second));
    }
    assertEquals(0, Files.size(f));
  }

  @Test
  void open_tornFinalLine_droppedAndTruncatedAway() throws Exception {
    Path f = written();
    long intact = Files.size(f);
    String torn = "{\"counter\":3,\"round\":3,\"silo\":\"germ"; // kill -9 in the middle of a write
    Files.writeString(f, torn, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    assertEquals(torn.length(), FileSpendLog.read(f, key.publicKey()).tornBytes(), "read-only: reported");
    try (FileSpendLog log = FileSpendLog.open(f, key)) {
      assertEquals(3, log.entries().size());
      assertEquals(intact, Files.size(f), "the torn bytes are truncated away");
      Spend next = new Spend(3, "germany", "dp-sgd-user", 2.5, 0.5, 5, 5.0, 1e-5, 8, 1.0, 3);
      log.append(next); // the log continues cleanly after the repair
    }
    assertEquals(4, FileSpendLog.read(f, key.publicKey()).entries().size());
  }

  @Test
  void open_completeLastLineWithoutNewline_treatedAsTornAndDropped() throws Exception {
    Path f = written();
    List<String> lines = Files.readAllLines(f);
    Files.writeString(f, String.join("\n", lines), StandardCharsets.UTF_8); // the last newline never reached disk
    try (FileSpendLog log = FileSpendLog.open(f, key)) {
      assertEquals(2, log.entries().size());
    }
  }

  @Test
  void open_editedEpsilon_refusedNamingTheLine() throws Exception {
    Path f = written();
    List<String> lines = new ArrayList<>(Files.readAllLines(f));
    lines.set(1, lines.get(1).replaceFirst("\"epsilon\":[0-9.Ee-]+", "\"epsilon\":0.5"));
    Files.write(f, lines);
    CorruptStateException e = assertThrows(CorruptStateException.class, () -> FileSpendLog.open(f, key));
    assertEquals(2, e.line());
    assertTrue(e.getMessage().contains("spends.jsonl line 2") && e.getMessage().contains("signature"), e.getMessage());
  }

  @Test
  void open_deletedMiddleLine_refusedForCounter() throws Exception {
    Path f = written();
    List<String> lines = new ArrayList<>(Files.readAllLines(f));
    lines.remove(1);
    Files.write(f, lines);
    CorruptStateException e = assertThrows(CorruptStateException.class, () -> FileSpendLog.open(f, key));
    assertEquals(2, e.line());
    assertTrue(e.getMessage().contains("counter 2, expected 1"), e.getMessage());
  }

  @Test
  void open_garbageLineInTheMiddle_refusedNamingTheLine() throws Exception {
    Path f = written();
    List<String> lines = new ArrayList<>(Files.readAllLines(f));
    lines.set(1, "not json");
    Files.write(f, lines);
    CorruptStateException e = assertThrows(CorruptStateException.class, () -> FileSpendLog.open(f, key));
    assertEquals(2, e.line());
  }

  @Test
  void open_wrongKey_refusedNamingTheFirstLine() throws Exception {
    Path f = written();
    Ed25519KeyPair other = Ed25519.generateKeyPair(new SecureRandom());
    CorruptStateException e = assertThrows(CorruptStateException.class, () -> FileSpendLog.open(f, other));
    assertEquals(1, e.line());
    assertTrue(e.getMessage().contains("another key"), e.getMessage());
  }
}
