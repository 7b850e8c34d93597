package org.hedgerow.coordinator.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Update bodies kept once, outside the database: one append-only file per open round
 * ({@code round-NNNNNNNN.bodies} in the store's body directory), each body's offset, length and
 * checksum ({@link BodyChecksum}) in its database row. The store's writer appends (no fsync), and {@link #sync} forces
 * every file written since the last sync before the database commits the rows that point into it:
 * a row, and so a 202, exists only for a body already on disk. A crash can leave bytes past the last
 * committed row (an append whose commit never came); they belong to no acknowledged upload, and
 * {@link #truncate} cuts them off when the store opens again. Reads ({@link #read}) may come from
 * any thread: positional reads of bytes already written.
 */
final class UpdateBodyLog implements AutoCloseable {
  private static final Pattern FILE = Pattern.compile("round-(\\d{8})\\.bodies");

  private final Path dir;
  private final Map<Integer, FileChannel> files = new ConcurrentHashMap<>();
  /** Next append offset per round; the writer thread's alone. */
  private final Map<Integer, Long> ends = new TreeMap<>();
  private final Map<Integer, Boolean> dirty = new TreeMap<>();
  /** A file was created since the last sync (its directory entry must be forced too). */
  private volatile boolean newFile;

  UpdateBodyLog(Path dir) {
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
  }

  private boolean posix() {
    return dir.getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  Path directory() {
    return dir;
  }

  Path file(int round) {
    return dir.resolve(String.format("round-%08d.bodies", round));
  }

  private FileChannel channel(int round) throws IOException {
    try {
      return files.computeIfAbsent(round, r -> {
        Path f = file(r);
        try {
          boolean created = !Files.exists(f);
          FileChannel c = FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
          if (created && posix()) {
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
          }
          newFile |= created;
          return c;
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /** Appends {@code body} to its round's file (not yet forced to disk). Writer thread only. */
  BodyLocation append(int round, byte[] body) {
    try {
      FileChannel c = channel(round);
      long offset = ends.computeIfAbsent(round, r -> size(c));
      ByteBuffer b = ByteBuffer.wrap(body);
      for (long at = offset; b.hasRemaining(); ) {
        at += c.write(b, at);
      }
      ends.put(round, offset + body.length);
      dirty.put(round, true);
      return new BodyLocation(offset, body.length, BodyChecksum.of(body));
    } catch (IOException e) {
      throw new StoreException("cannot append an update body to " + file(round) + ": " + e.getMessage(), e);
    }
  }

  private static long size(FileChannel c) {
    try {
      return c.size();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Forces every file appended to since the last call (and a new file's directory entry) to disk. */
  void sync() {
    if (dirty.isEmpty()) {
      return;
    }
    try {
      for (int round : dirty.keySet()) {
        files.get(round).force(false);
      }
      if (newFile) {
        syncDirectory(dir);
        newFile = false;
      }
      dirty.clear();
    } catch (IOException e) {
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
      FileChannel c = files.get(round);
      if (c == null) {
        if (!Files.exists(file(round))) {
          throw new StoreException("update body file " + file(round) + " is missing");
        }
        c = channel(round);
      }
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
   * Cuts {@code round}'s file back to {@code end} (the end of its last committed body): bytes past it
   * were appended for uploads whose commit never happened, and none was acknowledged.
   *
   * @return bytes cut off
   */
  long truncate(int round, long end) {
    Path f = file(round);
    if (!Files.exists(f)) {
      return 0;
    }
    try {
      FileChannel c = channel(round);
      long size = c.size();
      if (size > end) {
        c.truncate(end);
        c.force(false);
      }
      ends.put(round, Math.min(size, end));
      return Math.max(0, size - end);
    } catch (IOException e) {
      throw new StoreException("cannot truncate " + f + ": " + e.getMessage(), e);
    }
  }

  /** Deletes the files of every round but {@code keep} (0: none): their rounds are closed. */
  void deleteAllBut(int keep) {
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

  /** Deletes {@code round}'s file: its round closed, its bodies are no longer needed. */
  void delete(int round) {
    FileChannel c = files.remove(round);
    ends.remove(round);
    dirty.remove(round);
    try {
      if (c != null) {
        c.close();
      }
      Files.deleteIfExists(file(round));
    } catch (IOException e) {
      throw new StoreException("cannot delete " + file(round) + ": " + e.getMessage(), e);
    }
  }


  @Override
  public void close() {
    for (FileChannel c : files.values()) {
      try {
        c.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
    files.clear();
  }
}
