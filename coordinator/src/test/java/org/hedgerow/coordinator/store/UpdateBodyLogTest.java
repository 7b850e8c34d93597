package org.hedgerow.coordinator.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The body file on its own, with direct I/O where the file system allows it and buffered. */
class UpdateBodyLogTest {
  @TempDir
  Path dir;

  private static byte[] body(int length, long seed) {
    byte[] b = new byte[length];
    new Random(seed).nextBytes(b);
    return b;
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void append_bodiesOfOddLengths_readBackIntactAfterSync(boolean tryDirect) {
    try (UpdateBodyLog log = new UpdateBodyLog(dir.resolve("bodies"), tryDirect)) {
      List<byte[]> sent = new ArrayList<>();
      List<BodyLocation> at = new ArrayList<>();
      for (int length : new int[] {1, 4097, 100_003, 8192, 3}) {
        byte[] b = body(length, length);
        sent.add(b);
        at.add(log.append(1, b));
      }
      log.sync();
      for (int i = 0; i < sent.size(); i++) {
        assertArrayEquals(sent.get(i), log.read(1, at.get(i), true), "body " + i + ", direct " + log.direct());
        if (i > 0) {
          assertTrue(at.get(i).offset() >= at.get(i - 1).end(), "bodies do not overlap");
        }
      }
    }
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void truncate_tailPastLastCommittedBody_cutOffAndNextAppendReadable(boolean tryDirect) throws Exception {
    Path bodies = dir.resolve("bodies");
    BodyLocation first;
    try (UpdateBodyLog log = new UpdateBodyLog(bodies, tryDirect)) {
      first = log.append(1, body(5000, 1));
      log.append(1, body(5000, 2)); // appended, but its row "never committed"
      log.sync();
    }
    long before = Files.size(bodies.resolve("round-00000001.bodies"));
    try (FileChannel c = FileChannel.open(bodies.resolve("round-00000001.bodies"), StandardOpenOption.WRITE,
        StandardOpenOption.APPEND)) {
      c.write(ByteBuffer.wrap(new byte[77])); // and half of a third one
    }
    try (UpdateBodyLog log = new UpdateBodyLog(bodies, tryDirect)) {
      long cut = log.truncate(1, first.end());
      assertTrue(cut >= 5000 + 77 && cut <= before + 77 - first.end(), "cut " + cut);
      assertArrayEquals(body(5000, 1), log.read(1, first, true));
      BodyLocation next = log.append(1, body(123, 3));
      log.sync();
      assertTrue(next.offset() >= first.end());
      assertArrayEquals(body(123, 3), log.read(1, next, true));
    }
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void append_roundDeleted_refusedWithoutRecreatingTheFile(boolean tryDirect) {
    try (UpdateBodyLog log = new UpdateBodyLog(dir.resolve("bodies"), tryDirect)) {
      log.append(4, body(10, 1));
      log.sync();
      log.delete(4);
      assertTrue(log.roundRetired(4));
      StoreException e = assertThrows(StoreException.class, () -> log.append(4, body(10, 2)));
      assertTrue(e.getMessage().contains("round 4 is closed"), e.getMessage());
      assertFalse(Files.exists(log.file(4)));
      log.sync(); // nothing left to force; must not fail on the deleted round
    }
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void read_bodyDamagedOnDisk_checksumMismatchNamesTheFile(boolean tryDirect) throws Exception {
    try (UpdateBodyLog log = new UpdateBodyLog(dir.resolve("bodies"), tryDirect)) {
      BodyLocation at = log.append(2, body(9000, 5));
      log.sync();
      try (FileChannel c = FileChannel.open(log.file(2), StandardOpenOption.WRITE)) {
        c.write(ByteBuffer.wrap(new byte[] {(byte) ~body(9000, 5)[17]}), at.offset() + 17);
      }
      StoreException e = assertThrows(StoreException.class, () -> log.read(2, at, true));
      assertTrue(e.getMessage().contains("checksum") && e.getMessage().contains("round-00000002.bodies"),
          e.getMessage());
      assertEquals(9000, log.read(2, at, false).length, "unverified reads still return the bytes");
    }
  }
}
