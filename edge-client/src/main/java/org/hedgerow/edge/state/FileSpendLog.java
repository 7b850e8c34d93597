package org.hedgerow.edge.state;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import org.hedgerow.aggregation.wire.SpendJson;
import org.hedgerow.edge.dp.SpendLog;
import org.hedgerow.privacy.budget.SignedSpend;
import org.hedgerow.privacy.budget.Spend;
import org.hedgerow.privacy.crypto.Ed25519KeyPair;
import org.hedgerow.privacy.crypto.Hex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A silo's signed spend log on disk ({@code spends.jsonl}): one {@link SpendJson#line} per spend,
 * each ending in a newline.
 *
 * <p><b>Durability.</b> {@link #append} signs the spend with the identity key, writes the line and
 * fsyncs the file before it returns (the file's creation is made durable by an fsync of its
 * directory), so a spend that {@code append} returned survives a crash or power loss, and nothing
 * its caller releases afterwards can be without its charge.
 *
 * <p><b>Loading</b> checks every line: it parses, it is signed by this silo's identity key and the
 * signature verifies, and the counters are 0, 1, 2, … in order. A final line without its newline is
 * a write that a crash interrupted ({@code append} had not returned, so nothing was released on it):
 * it is dropped, and {@link #open} truncates it away with a warning. Anything else is refused with a
 * {@link CorruptStateException} naming the file and the line.
 *
 * <p>Thread-safe. One process at a time: the {@link SiloState} lock guards the file.
 */
public final class FileSpendLog implements SpendLog, Closeable {
  private static final Logger log = LoggerFactory.getLogger(FileSpendLog.class);

  private final Path file;
  private final Ed25519KeyPair identity;
  private final FileChannel channel;
  private final List<SignedSpend> entries;
  private boolean broken; // an append failed part-way: no further appends
  private long syncs; // fsyncs completed by append (tests check one per entry)

  /** What a read of a log found: its verified entries and the size of a torn final line (0 if none). */
  public record Loaded(List<SignedSpend> entries, int tornBytes) {
    public Loaded {
      entries = List.copyOf(entries);
    }
  }

  private FileSpendLog(Path file, Ed25519KeyPair identity, FileChannel channel, List<SignedSpend> entries) {
    this.file = file;
    this.identity = identity;
    this.channel = channel;
    this.entries = new ArrayList<>(entries);
  }

  /**
   * Opens the log at {@code file}, creating it (owner-only, directory fsynced) if absent, and loads
   * it; a torn final line is truncated away.
   *
   * @throws CorruptStateException if a line is not a valid entry of this identity's log
   */
  public static FileSpendLog open(Path file, Ed25519KeyPair identity) {
    try {
      boolean created = false;
      if (!Files.exists(file)) {
        try (FileChannel ignored = FileChannel.open(file, EnumSet.of(StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE), StateFiles.ownerOnly(file, StateFiles.FILE_PERMISSIONS))) {
          created = true;
        }
        StateFiles.fsyncDirectory(file.toAbsolutePath().getParent());
      }
      FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
      try {
        Loaded loaded = created ? new Loaded(List.of(), 0) : parse(file, Files.readAllBytes(file), identity.publicKey());
        if (loaded.tornBytes() > 0) {
          long keep = ch.size() - loaded.tornBytes();
          log.warn("{}: dropped a torn final line ({} bytes without a newline: a write cut short by a crash; "
              + "append had not returned, so nothing was released on it); {} entries kept", file, loaded.tornBytes(),
              loaded.entries().size());
          ch.truncate(keep);
          ch.force(true);
        }
        ch.position(ch.size());
        return new FileSpendLog(file, identity, ch, loaded.entries());
      } catch (RuntimeException | IOException e) {
        ch.close();
        throw e;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the spend log " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Reads and verifies the log at {@code file} under {@code publicKey} without changing it (a torn
   * final line is reported in {@link Loaded#tornBytes}, not removed). A missing file is an empty log.
   *
   * @throws CorruptStateException if a line is not a valid entry of this key's log
   */
  public static Loaded read(Path file, byte[] publicKey) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return new Loaded(List.of(), 0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the spend log " + file + ": " + e.getMessage(), e);
    }
    return parse(file, bytes, publicKey);
  }

  static Loaded parse(Path file, byte[] bytes, byte[] publicKey) {
    List<SignedSpend> out = new ArrayList<>();
    int start = 0;
    int lineNo = 0;
    while (start < bytes.length) {
      int end = indexOf(bytes, (byte) '\n', start);
      if (end < 0) {
        return new Loaded(out, bytes.length - start); // torn: the crash came before the newline
      }
      lineNo++;
      String line = new String(bytes, start, end - start, StandardCharsets.UTF_8);
      out.add(verify(file, lineNo, line, publicKey, out.size()));
      start = end + 1;
    }
    return new Loaded(out, 0);
  }

  private static SignedSpend verify(Path file, int lineNo, String line, byte[] publicKey, long expectedCounter) {
    if (line.isBlank()) {
      throw new CorruptStateException(file, lineNo, "empty line; the log is damaged");
    }
    SignedSpend s;
    try {
      s = SpendJson.parseLine(line);
    } catch (IllegalArgumentException e) {
      throw new CorruptStateException(file, lineNo, "not a signed spend (" + e.getMessage() + ")", e);
    }
    if (!Arrays.equals(s.publicKey(), publicKey)) {
      throw new CorruptStateException(file, lineNo, "signed by another key (" + Hex.encode(s.publicKey())
          + ") than this silo's identity (" + Hex.encode(publicKey) + "): the log does not belong to this state's "
          + "identity.key");
    }
    if (!s.valid()) {
      throw new CorruptStateException(file, lineNo, "the signature does not verify: the line was changed after "
          + "the silo signed it");
    }
    if (s.spend().counter() != expectedCounter) {
      throw new CorruptStateException(file, lineNo, "counter " + s.spend().counter() + ", expected "
          + expectedCounter + " (entries missing, repeated or out of order)");
    }
    return s;
  }

  private static int indexOf(byte[] b, byte v, int from) {
    for (int i = from; i < b.length; i++) {
      if (b[i] == v) {
        return i;
      }
    }
    return -1;
  }

  public Path file() {
    return file;
  }

  @Override
  public Ed25519KeyPair identity() {
    return identity;
  }

  /**
   * Signs {@code spend}, appends its line and fsyncs the file; returns only once the entry is durable.
   *
   * @throws IllegalArgumentException if the spend's counter is not the next one
   * @throws UncheckedIOException if the write or the fsync fails (the partial line is truncated away
   *     and the log refuses further appends)
   */
  @Override
  public synchronized SignedSpend append(Spend spend) {
    if (broken) {
      throw new IllegalStateException(file + ": an earlier append failed; restart the silo to reload its log");
    }
    if (spend.counter() != entries.size()) {
      throw new IllegalArgumentException("spend counter " + spend.counter() + " is not the log's next ("
          + entries.size() + ")");
    }
    SignedSpend signed = SignedSpend.sign(spend, identity);
    byte[] line = (SpendJson.line(signed) + "\n").getBytes(StandardCharsets.UTF_8);
    long before = -1;
    try {
      before = channel.size();
      channel.position(before);
      StateFiles.writeFully(channel, line);
      channel.force(true);
      syncs++;
    } catch (IOException e) {
      broken = true;
      try {
        if (before >= 0) {
          channel.truncate(before);
          channel.force(true);
        }
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed); // the torn line is dropped on the next start anyway
      }
      throw new UncheckedIOException("cannot write spend " + spend.counter() + " to " + file + ": " + e.getMessage(), e);
    }
    entries.add(signed);
    return signed;
  }

  /** fsyncs of the file completed by {@link #append} in this process (one per entry appended). */
  synchronized long syncs() {
    return syncs;
  }

  @Override
  public synchronized List<SignedSpend> entries() {
    return List.copyOf(entries);
  }

  @Override
  public synchronized void close() throws IOException {
    channel.close();
  }
}
