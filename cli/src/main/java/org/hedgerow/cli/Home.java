package org.hedgerow.cli;

import java.nio.file.Path;

/** Where the installation lives: bundled data and scenarios resolve against it. */
final class Home {
  private Home() {}

  /** {@code -Dhedgerow.home} (set by {@code bin/hedgerow}), else the working directory. */
  static Path dir() {
    String h = System.getProperty("hedgerow.home");
    return Path.of(h == null ? "." : h).toAbsolutePath().normalize();
  }

  /** A path from the user or a scenario: absolute, relative to the working directory if it exists there, else to the home. */
  static Path resolve(String p) {
    Path given = Path.of(p);
    if (given.isAbsolute() || given.toFile().exists()) {
      return given;
    }
    return dir().resolve(p);
  }
}
