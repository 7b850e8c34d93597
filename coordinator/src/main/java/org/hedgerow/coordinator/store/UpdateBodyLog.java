package org.hedgerow.coordinator.store;

import com.sun.nio.file.ExtendedOpenOption;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Update bodies kept once, outside the database: one append-only file per open round
 * ({@code round-NNNNNNNN.bodies} in the store's body directory), each body's offset, length and
 * checksum ({@link BodyChecksum}) in its database row. Bodies are appended by one thread (the store's
 * body appender, see {@link JdbcCoordinatorStore}), and {@link #sync} — on the store's writer thread,
 * before the database commits rows that point into a file — forces every file appended to since the
 * last sync: a row, and so a 202, exists only for a body already on disk. A crash can leave bytes past
 * the last committed row (an append whose commit never came); they belong to no acknowledged upload,
 * and {@link #truncate} cuts them off when the store opens again. Reads ({@link #read}) may come from
 * any thread: positional reads of bytes already written.
 *
 * <p>Where the file system allows it, bodies are written with direct I/O ({@code O_DIRECT}), each at
 * an offset aligned to the file system's block size and padded to a whole block: a body goes from one
 * reused, aligned buffer to the disk without taking fresh page-cache pages, which is what made a
 * buffered 1 MiB append cost 1.5–2.5 ms of CPU here (docs/benchmarks.md, "Direct-I/O body
 * appends"). The padding lies between bodies and belongs to none. File systems without direct I/O
 * (tmpfs on older kernels, some network file systems) get plain buffered writes.
 */
final class UpdateBodyLog implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(UpdateBodyLog.class);
  private static final Pattern FILE = Pattern.compile("round-(\\d{8})\\.bodies");

  /** One round's file: a channel for appends (direct where possible), one for reads and truncation. */
  private static final class RoundFile {
    final FileChannel writes;
    final FileChannel reads;
    /** Appends completed / covered by a completed sync; the sync forces the file when they differ. */
    final AtomicLong appended = new AtomicLong();
    volatile long synced;
    /** Next append offset; guarded by the log's lock. */
    long end;

    RoundFile(FileChannel writes, FileChannel reads, long end) {
      this.writes = writes;
      this.reads = reads;
      this.end = end;
    }
  }

  private final Path dir;
  private final boolean direct;
  private final int block;
  private final Map<Integer, RoundFile> files = new ConcurrentHashMap<>();
  /** Rounds whose files were deleted (closed): an append for one is refused, not a new file. */
  private final Set<Integer> retired = ConcurrentHashMap.newKeySet();
  /** Reused staging buffer for direct writes, aligned to {@link #block}; guarded by the log's lock. */
  private ByteBuffer staging;
  /** A file was created since the last sync (its directory entry must be forced too). */
  private volatile boolean newFile;

  UpdateBodyLog(Path dir) {
    this(dir, true);
  }

  /** @param tryDirect use direct I/O if the file system takes it ({@code false}: always buffered) */
  UpdateBodyLog(Path dir, boolean tryDirect) {
    this.dir = dir;
    try {
      if (!Files.isDirectory(dir)) {
        try {
          Files.createDirectories(dir.getParent() == null ? dir.toAbsolutePath().getParent() : dir.getParent());
          Files.createDirectory(dir, posix() ? new java.nio.file.attribute.FileAttribute<?>[] {
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))}
              : new java.nio.file.attribute.FileAttribute<?>[0]);
        } catch (FileAlreadyExistsException raced) {
          // made meanwhile
        }
        syncDirectory(dir.toAbsolutePath().getParent());
      }
    } catch (IOException e) {
      throw new StoreException("cannot create the update body directory " + dir + ": " + e.getMessage(), e);
    }
    int blockSize = tryDirect ? directBlockSize(dir) : 0;
    this.direct = blockSize > 0;
    this.block = direct ? blockSize : 1;
  }

  /** The block size direct I/O needs in {@code dir}, or 0 if the file system refuses direct I/O. */
  private static int directBlockSize(Path dir) {
    Path probe = dir.resolve(".direct-io-probe");
    try {
      long size = Files.getFileStore(dir).getBlockSize();
      if (size <= 0 || size > (1 << 16) || Long.bitCount(size) != 1) {
        return 0;
      }
      try (FileChannel c = FileChannel.open(probe, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          ExtendedOpenOption.DIRECT)) {
        ByteBuffer b = ByteBuffer.allocateDirect((int) size * 2).alignedSlice((int) size);
        b.limit((int) size);
        c.write(b, 0);
      }
      return (int) size;
    } catch (IOException | UnsupportedOperationException e) {
      log.info("update bodies in {} use buffered writes: direct I/O is not available there ({})", dir, e.toString());
      return 0;
    } finally {
      try {
        Files.deleteIfExists(probe);
      } catch (IOException ignored) {
        // a leftover probe file is harmless and deleted by the next probe
      }
    }
  }

  private boolean posix() {
    return dir.getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  Path directory() {
    return dir;
  }

  /** Whether appends use direct I/O. */
  boolean direct() {
    return direct;
  }

  Path file(int round) {
    return dir.resolve(String.format("round-%08d.bodies", round));
  }

  private RoundFile roundFile(int round) throws IOException {
    RoundFile f = files.get(round);
    if (f != null) {
      return f;
    }
    synchronized (this) {
      f = files.get(round);
      if (f != null) {
        return f;
      }
      Path path = file(round);
      boolean created = !Files.exists(path);
      FileChannel reads = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
          StandardOpenOption.WRITE);
      if (created && posix()) {
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
      }
      FileChannel writes = reads;
      if (direct) {
        try {
          writes = FileChannel.open(path, StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT);
        } catch (IOException | RuntimeException e) {
          reads.close();
          throw e;
        }
      }
      newFile |= created;
      f = new RoundFile(writes, reads, reads.size());
      files.put(round, f);
      return f;
    }
  }

  /**
   * Appends {@code body} to its round's file (not yet forced to disk). Called by one thread at a time.
   *
   * @throws StoreException if the round's file was already deleted (the round closed) or the write fails
   */
  synchronized BodyLocation append(int round, byte[] body) {
    if (retired.contains(round)) {
      throw new StoreException("round " + round + " is closed: its update body file was deleted");
    }
    try {
      RoundFile f = roundFile(round);
      long offset = align(f.end);
      ByteBuffer b;
      if (direct) {
        int padded = (int) align(body.length);
        if (staging == null || staging.capacity() < padded) {
          staging = ByteBuffer.allocateDirect(padded + block).alignedSlice(block);
        }
        b = staging.clear();
        b.put(body);
        b.put(new byte[padded - body.length]); // the padding is zeros, so a file never shows stale staging bytes
        b.flip();
      } else {
        b = ByteBuffer.wrap(body);
      }
      for (long at = offset; b.hasRemaining(); ) {
        at += f.writes.write(b, at);
      }
      f.end = offset + body.length;
      f.appended.incrementAndGet();
      return new BodyLocation(offset, body.length, BodyChecksum.of(body));
    } catch (IOException e) {
      throw new StoreException("cannot append an update body to " + file(round) + ": " + e.getMessage(), e);
    }
  }

  /** Whether {@code round}'s file was deleted (its round closed). */
  boolean roundRetired(int round) {
    return retired.contains(round);
  }

  private long align(long n) {
    return (n + block - 1) / block * block;
  }

  /**
   * Forces every file appended to since the last call (and a new file's directory entry) to disk.
   * Safe alongside {@link #append}: what an append finishes during the call is forced by the next one.
   */
  void sync() {
    try {
      if (newFile) {
        newFile = false;
        syncDirectory(dir);
      }
      for (Map.Entry<Integer, RoundFile> e : files.entrySet()) {
        RoundFile f = e.getValue();
        long seen = f.appended.get();
        if (seen == f.synced) {
          continue;
        }
        try {
          f.writes.force(false);
        } catch (ClosedChannelException deleted) {
          if (!retired.contains(e.getKey())) {
            throw deleted;
          }
          continue; // its round closed meanwhile: no row will point into it
        }
        f.synced = seen;
      }
    } catch (IOException e) {
      newFile = true; // forced again next time
      throw new StoreException("cannot sync the update body files in " + dir + ": " + e.getMessage(), e);
    }
  }

  /** A new file's name is durable only once its directory is synced. */
  private static void syncDirectory(Path d) throws IOException {
    try (FileChannel c = FileChannel.open(d, StandardOpenOption.READ)) {
      c.force(true);
    }
  }

  /**
   * Reads {@code at} back.
   *
   * @param verify also check its checksum (on open: the disk may have lost what it acknowledged)
   * @throws StoreException if the file is shorter or the bytes do not match
   */
  byte[] read(int round, BodyLocation at, boolean verify) {
    try {
      RoundFile f = files.get(round);
      if (f == null) {
        if (!Files.exists(file(round))) {
          throw new StoreException("update body file " + file(round) + " is missing");
        }
        f = roundFile(round);
      }
      FileChannel c = f.reads;
      if (c.size() < at.end()) {
        throw new StoreException("update body file " + file(round) + " has " + c.size() + " bytes, but an accepted "
            + "update's body ends at " + at.end() + ": the file lost data it had acknowledged");
      }
      byte[] body = new byte[at.length()];
      ByteBuffer b = ByteBuffer.wrap(body);
      for (long pos = at.offset(); b.hasRemaining(); ) {
        int n = c.read(b, pos);
        if (n < 0) {
          throw new StoreException("update body file " + file(round) + " ended early");
        }
        pos += n;
      }
      if (verify && !BodyChecksum.matches(body, at.checksum())) {
        throw new StoreException("the update body at offset " + at.offset() + " of " + file(round) + " does not match "
            + "its checksum " + at.checksum() + ": the file was altered or damaged");
      }
      return body;
    } catch (IOException e) {
      throw new StoreException("cannot read an update body from " + file(round) + ": " + e.getMessage(), e);
    }
  }

  /**
   * Cuts {@code round}'s file back to {@code end} (the end of its last committed body; with direct
   * I/O, to the block boundary after it, as that body was written padded): bytes past it were appended
   * for uploads whose commit never happened, and none was acknowledged.
   *
   * @return bytes cut off
   */
  synchronized long truncate(int round, long end) {
    Path f = file(round);
    if (!Files.exists(f)) {
      return 0;
    }
    try {
      RoundFile rf = roundFile(round);
      FileChannel c = rf.reads;
      long size = c.size();
      long keep = align(end);
      if (size > keep) {
        c.truncate(keep);
        c.force(false);
      }
      rf.end = Math.min(size, end);
      return Math.max(0, size - keep);
    } catch (IOException e) {
      throw new StoreException("cannot truncate " + f + ": " + e.getMessage(), e);
    }
  }

  /** Deletes the files of every round but {@code keep} (0: none): their rounds are closed. */
  synchronized void deleteAllBut(int keep) {
    try (var list = Files.list(dir)) {
      for (Path p : (Iterable<Path>) list::iterator) {
        Matcher m = FILE.matcher(p.getFileName().toString());
        if (m.matches() && Integer.parseInt(m.group(1)) != keep) {
          delete(Integer.parseInt(m.group(1)));
        }
      }
    } catch (IOException e) {
      throw new StoreException("cannot list the update body directory " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * Deletes {@code round}'s file: its round closed, its bodies are no longer needed; a later append
   * for it is refused.
   */
  synchronized void delete(int round) {
    retired.add(round);
    RoundFile f = files.remove(round);
    try {
      if (f != null) {
        closeChannels(f);
      }
      Files.deleteIfExists(file(round));
    } catch (IOException e) {
      throw new StoreException("cannot delete " + file(round) + ": " + e.getMessage(), e);
    }
  }


  private static void closeChannels(RoundFile f) throws IOException {
    try {
      f.writes.close();
    } finally {
      f.reads.close();
    }
  }

  @Override
  public synchronized void close() {
    for (RoundFile f : files.values()) {
      try {
        closeChannels(f);
      } catch (IOException ignored) {
        // closing anyway
      }
    }
    files.clear();
  }
}
