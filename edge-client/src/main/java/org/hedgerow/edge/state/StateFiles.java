package org.hedgerow.edge.state;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * File-system steps of a silo's state directory: owner-only creation (permissions set when the file
 * or directory is created, never changed afterwards), the group/others check, fsync of files and
 * directories, and the write-temp-fsync-rename-fsync of a whole file.
 */
final class StateFiles {
  static final String DIR_PERMISSIONS = "rwx------";
  static final String FILE_PERMISSIONS = "rw-------";
  private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(PosixFilePermission.GROUP_READ,
      PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
      PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

  /** Directory fsyncs done by this process (tests check that creating a file syncs its directory). */
  static final java.util.concurrent.atomic.AtomicLong DIRECTORY_SYNCS = new java.util.concurrent.atomic.AtomicLong();

  private StateFiles() {}

  static boolean posix(Path p) {
    return p.getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  /** The attributes that create {@code p} owner-only ({@code permissions}), or none off POSIX. */
  static FileAttribute<?>[] ownerOnly(Path p, String permissions) {
    return posix(p) ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(
        PosixFilePermissions.fromString(permissions))} : new FileAttribute<?>[0];
  }

  /** Creates {@code dir} (and missing parents) 0700 if it does not exist, then checks it is owner-only. */
  static void ensurePrivateDirectory(Path dir) {
    try {
      if (!Files.exists(dir)) {
        Files.createDirectories(dir, ownerOnly(dir, DIR_PERMISSIONS));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the state directory " + dir + ": " + e.getMessage(), e);
    }
    if (!Files.isDirectory(dir)) {
      throw new IllegalStateException(dir + " is not a directory");
    }
    checkOwnerOnly(dir, true);
  }

  /**
   * Refuses a state directory or secret file that its group or others may access: the directory holds
   * the silo's identity key, and a key another account could read is no identity.
   */
  static void checkOwnerOnly(Path p, boolean directory) {
    if (!posix(p)) {
      return; // no POSIX permissions to check (e.g. Windows ACLs); the directory's ACL is the operator's job
    }
    Set<PosixFilePermission> perms;
    try {
      perms = Files.getPosixFilePermissions(p);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the permissions of " + p + ": " + e.getMessage(), e);
    }
    Set<PosixFilePermission> open = EnumSet.noneOf(PosixFilePermission.class);
    open.addAll(perms);
    open.retainAll(GROUP_OR_OTHERS);
    if (!open.isEmpty()) {
      throw new IllegalStateException(String.format(
          "%s %s is accessible to its group or others (%s); it holds the silo's identity key and privacy log, so "
              + "it must be owner-only. Fix: chmod %s %s",
          directory ? "state directory" : "secret file", p, PosixFilePermissions.toString(perms),
          directory ? "700" : "600", p));
    }
  }

  /** fsync of a directory: makes a file created, renamed or deleted in it durable. */
  static void fsyncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
      DIRECTORY_SYNCS.incrementAndGet();
    } catch (IOException e) {
      if (posix(dir)) {
        throw new UncheckedIOException("cannot fsync the directory " + dir + ": " + e.getMessage(), e);
      }
      // Some platforms (Windows) cannot open a directory; their rename is durable by other means.
    }
  }

  /** Writes all of {@code bytes} at the channel's position. */
  static void writeFully(FileChannel ch, byte[] bytes) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(bytes);
    while (b.hasRemaining()) {
      ch.write(b);
    }
  }

  /**
   * Replaces {@code target} by {@code bytes} atomically: a new owner-only temporary file beside it,
   * written and fsynced, renamed over it, then the directory fsynced. A crash leaves either the old
   * file or the new one, never a mix (a stale temporary file is removed on the next write).
   */
  static void writeAtomically(Path target, byte[] bytes) {
    Path dir = target.toAbsolutePath().getParent();
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    try {
      Files.deleteIfExists(tmp);
      try (FileChannel ch = FileChannel.open(tmp, EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
          ownerOnly(tmp, FILE_PERMISSIONS))) {
        writeFully(ch, bytes);
        ch.force(true);
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (FileAlreadyExistsException e) {
      throw new IllegalStateException(tmp + " appeared while writing " + target + " (another process?)", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
    }
    fsyncDirectory(dir);
  }
}
