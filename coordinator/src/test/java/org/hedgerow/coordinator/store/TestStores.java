package org.hedgerow.coordinator.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The databases the store tests run against: SQLite always, PostgreSQL when
 * {@code HEDGEROW_TEST_POSTGRES_URL} is set (e.g. {@code postgresql://hedgerow:hedgerow@127.0.0.1:54329/hedgerow},
 * as .ci/run sets it). Under {@code CI=true} a missing variable is an error, not a skip.
 */
public final class TestStores {
  public static final String POSTGRES_ENV = "HEDGEROW_TEST_POSTGRES_URL";

  private TestStores() {}

  /** The PostgreSQL location, or null when not configured (outside CI). */
  public static StoreLocation postgres() {
    String url = System.getenv(POSTGRES_ENV);
    if (url == null || url.isBlank()) {
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        throw new IllegalStateException(POSTGRES_ENV + " is not set but CI=true: the PostgreSQL store tests must run "
            + "in CI (.ci/run starts a cluster and sets it)");
      }
      return null;
    }
    return StoreLocation.parse(url);
  }

  /** Fresh, empty locations: a new SQLite file under {@code dir}, and PostgreSQL emptied, if configured. */
  public static List<StoreLocation> fresh(Path dir) throws Exception {
    List<StoreLocation> out = new ArrayList<>();
    Path d = Files.createTempDirectory(dir, "sqlite");
    out.add(StoreLocation.parse("sqlite:" + d.resolve("store.db")));
    StoreLocation pg = postgres();
    if (pg != null) {
      wipe(pg);
      out.add(pg.withBodyDirectory(Files.createTempDirectory(dir, "pg-bodies")));
    }
    return out;
  }

  /** Drops every table of the PostgreSQL database (each test starts from an empty schema). */
  public static void wipe(StoreLocation pg) throws Exception {
    Properties p = new Properties();
    if (pg.user() != null) {
      p.setProperty("user", pg.user());
    }
    if (pg.password() != null) {
      p.setProperty("password", pg.password());
    }
    try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), p); Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS public CASCADE");
      s.execute("CREATE SCHEMA public");
    }
  }
}
