package org.hedgerow.coordinator.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * Owner-only files and directories for the coordinator's secrets (keys, tokens, the database). On
 * file systems without POSIX permissions the checks pass and files are created with the defaults.
 */
public final class SecretFiles {
  private static final Set<PosixFilePermission> GROUP_OR_OTHER = EnumSet.of(
      PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
      PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

  private SecretFiles() {}

  private static boolean posix(Path p) {
    return p.getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  /**
   * Refuses (IllegalStateException naming the file and the fix) if {@code file} exists and its group
   * or others have any permission on it.
   *
   * @param what what the file holds, for the message (e.g. "the CA's private key")
   */
  public static void requireOwnerOnly(Path file, String what) {
    if (!Files.exists(file) || !posix(file)) {
      return;
    }
    Set<PosixFilePermission> perms;
    try {
      perms = Files.getPosixFilePermissions(file);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the permissions of " + file + ": " + e, e);
    }
    if (perms.stream().anyMatch(GROUP_OR_OTHER::contains)) {
      boolean dir = Files.isDirectory(file);
      throw new IllegalStateException(file + " (" + what + ") is accessible to its group or to others ("
          + PosixFilePermissions.toString(perms) + "); refusing to start with secrets others may read. Fix: chmod "
          + (dir ? "700" : "600") + " " + file);
    }
  }

  /** Creates {@code dir} (and parents) if missing, and makes it owner-only (0700). */
  public static void ownerOnlyDirectory(Path dir) throws IOException {
    Files.createDirectories(dir);
    if (posix(dir)) {
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    }
  }

  /**
   * Writes a new secret file atomically with owner-only permissions: the content goes into a
   * temporary file created 0600 in the same directory, which is then moved into place. The file
   * is never visible with other permissions or half written.
   *
   * @param replace replace an existing file (rotation); false: fail if it exists
   * @throws FileAlreadyExistsException if {@code file} exists and {@code replace} is false
   */
  public static void writeOwnerOnly(Path file, String content, boolean replace) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Path tmp = posix(dir)
        ? Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
        : Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp");
    try {
      Files.writeString(tmp, content, StandardCharsets.UTF_8);
      try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      if (!replace && Files.exists(file)) {
        throw new FileAlreadyExistsException(file.toString());
      }
      try {
        Files.move(tmp, file, replace ? new StandardCopyOption[] {StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING} : new StandardCopyOption[] {StandardCopyOption.ATOMIC_MOVE});
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException("cannot move " + tmp + " into place atomically: " + e.getMessage(), e);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
