package org.hedgerow.coordinator.store;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Where the coordinator keeps its state, parsed from {@code --store}:
 * <ul>
 *   <li>{@code sqlite:PATH} (optionally {@code sqlite:PATH?synchronous=normal}) — one file, the default;
 *   <li>{@code postgresql://user:pass@host:port/db} (also {@code postgres://…}) or a JDBC URL
 *       {@code jdbc:postgresql://host:port/db?user=…&password=…}.
 * </ul>
 *
 * @param kind which database
 * @param jdbcUrl the URL handed to the JDBC driver (without credentials for PostgreSQL)
 * @param user PostgreSQL user, or null (JDBC URL or SQLite)
 * @param password PostgreSQL password, or null
 * @param sqliteSynchronous SQLite's {@code synchronous} pragma: {@code FULL} (default) or {@code NORMAL}
 * @param bodyDirectory where the open round's update bodies are kept (one append-only file per round), or
 *     null for the default: beside an SQLite file ({@code FILE-bodies}); a PostgreSQL store must be given one
 */
public record StoreLocation(Kind kind, String jdbcUrl, String user, String password, String sqliteSynchronous,
    Path bodyDirectory) {
  public StoreLocation(Kind kind, String jdbcUrl, String user, String password, String sqliteSynchronous) {
    this(kind, jdbcUrl, user, password, sqliteSynchronous, null);
  }

  /** The same location with update bodies kept in {@code dir}. */
  public StoreLocation withBodyDirectory(Path dir) {
    return new StoreLocation(kind, jdbcUrl, user, password, sqliteSynchronous, dir.toAbsolutePath());
  }

  /**
   * Where update bodies go: the given directory, or beside an SQLite file.
   *
   * @throws StoreException for PostgreSQL without a directory
   */
  public Path updateBodyDirectory() {
    if (bodyDirectory != null) {
      return bodyDirectory;
    }
    if (kind == Kind.SQLITE) {
      Path f = sqliteFile();
      return f.resolveSibling(f.getFileName() + "-bodies");
    }
    throw new StoreException("a PostgreSQL store keeps the open round's update bodies in files on the coordinator's "
        + "disk and needs a directory for them ('coordinator start --dir D' puts them in D/update-bodies): " + this);
  }

  /** The supported databases. */
  public enum Kind { SQLITE, POSTGRESQL }

  private static final String FORMS = "sqlite:PATH, postgresql://user:pass@host:port/db or jdbc:postgresql://host:port/db";

  /** An SQLite file, fsynced on every commit ({@code synchronous=FULL}). */
  /** The SQLite database file (for SQLITE locations). */
  public Path sqliteFile() {
    if (kind != Kind.SQLITE) {
      throw new IllegalStateException("not an SQLite store: " + this);
    }
    return Path.of(jdbcUrl.substring("jdbc:sqlite:".length()));
  }

  public static StoreLocation sqlite(Path file) {
    return new StoreLocation(Kind.SQLITE, "jdbc:sqlite:" + file.toAbsolutePath(), null, null, "FULL");
  }

  /**
   * Parses a store location.
   *
   * @throws IllegalArgumentException naming the accepted forms and the (password-redacted) value
   */
  public static StoreLocation parse(String spec) {
    if (spec == null || spec.isBlank()) {
      throw new IllegalArgumentException("store location is empty; expected " + FORMS);
    }
    String s = spec.trim();
    if (s.startsWith("sqlite:")) {
      String rest = s.substring("sqlite:".length());
      String sync = "FULL";
      int q = rest.indexOf('?');
      if (q >= 0) {
        String query = rest.substring(q + 1);
        rest = rest.substring(0, q);
        for (String kv : query.split("&")) {
          String[] p = kv.split("=", 2);
          if (p.length == 2 && p[0].equals("synchronous")
              && (p[1].equalsIgnoreCase("full") || p[1].equalsIgnoreCase("normal"))) {
            sync = p[1].toUpperCase(Locale.ROOT);
          } else {
            throw new IllegalArgumentException("sqlite store option must be synchronous=full or synchronous=normal. "
                + "Provided value: " + spec);
          }
        }
      }
      if (rest.startsWith("//")) {
        rest = rest.substring(2); // sqlite:///abs/path and sqlite://rel are both taken as paths
      }
      if (rest.isBlank()) {
        throw new IllegalArgumentException("sqlite store needs a file path, e.g. sqlite:state/coordinator.db. "
            + "Provided value: " + spec);
      }
      return new StoreLocation(Kind.SQLITE, "jdbc:sqlite:" + Path.of(rest).toAbsolutePath(), null, null, sync);
    }
    if (s.startsWith("jdbc:postgresql:")) {
      return new StoreLocation(Kind.POSTGRESQL, s, null, null, null);
    }
    if (s.startsWith("postgresql://") || s.startsWith("postgres://")) {
      URI u;
      try {
        u = new URI(s);
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException("postgresql store is not a valid URI (" + e.getReason() + "). Provided value: "
            + redact(spec));
      }
      if (u.getHost() == null || u.getPath() == null || u.getPath().length() < 2) {
        throw new IllegalArgumentException("postgresql store needs a host and a database: "
            + "postgresql://user:pass@host:port/db. Provided value: " + redact(spec));
      }
      String user = null;
      String password = null;
      if (u.getRawUserInfo() != null) {
        String[] up = u.getRawUserInfo().split(":", 2);
        user = URLDecoder.decode(up[0], StandardCharsets.UTF_8);
        password = up.length == 2 ? URLDecoder.decode(up[1], StandardCharsets.UTF_8) : null;
      }
      String url = "jdbc:postgresql://" + u.getHost() + (u.getPort() > 0 ? ":" + u.getPort() : "") + u.getRawPath()
          + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
      return new StoreLocation(Kind.POSTGRESQL, url, user, password, null);
    }
    throw new IllegalArgumentException("unknown store location; expected " + FORMS + ". Provided value: " + redact(spec));
  }

  /** The location with any password replaced by {@code ***}, for logs and messages. */
  public static String redact(String spec) {
    return spec.replaceAll("(://[^:/@]*:)[^@/]*@", "$1***@").replaceAll("(?i)(password=)[^&]*", "$1***");
  }

  @Override
  public String toString() {
    return switch (kind) {
      case SQLITE -> "sqlite:" + jdbcUrl.substring("jdbc:sqlite:".length()) + " (synchronous=" + sqliteSynchronous + ")";
      case POSTGRESQL -> redact(jdbcUrl) + (user == null ? "" : " as " + user);
    };
  }
}
