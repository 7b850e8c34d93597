package org.hedgerow.edge.serve;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The serving silo's own store (one SQLite file): events posted to it, customers' consent, and the
 * ids of erased customers. Every write is one transaction committed with {@code synchronous=FULL}
 * before the caller answers, so an acknowledged write survives {@code kill -9}.
 *
 * <p>An erased customer keeps only a tombstone (their id and the time): the source log given with
 * {@code --data} is the shop's file, which serving cannot rewrite, so the tombstone is what keeps
 * their rows out of serving and of the next training round ({@code client --serve-store}).
 *
 * <p>One connection, every method synchronized: SQLite has one writer anyway, and a second process
 * (a {@code client} reading exclusions) reads through WAL without blocking it.
 */
public final class ServeStore implements AutoCloseable {
  private final Path file;
  private final Connection db;

  private ServeStore(Path file, Connection db) {
    this.file = file;
    this.db = db;
  }

  /** Opens (creating if needed) the store at {@code file}. */
  public static ServeStore open(Path file) {
    try {
      Path dir = file.toAbsolutePath().getParent();
      if (dir != null) {
        Files.createDirectories(dir);
      }
      Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
      try (Statement s = c.createStatement()) {
        s.execute("PRAGMA journal_mode=WAL");
        s.execute("PRAGMA synchronous=FULL");
        s.execute("PRAGMA busy_timeout=10000");
        s.execute("CREATE TABLE IF NOT EXISTS events (seq INTEGER PRIMARY KEY AUTOINCREMENT, customer INTEGER NOT NULL, "
            + "item TEXT NOT NULL, type TEXT NOT NULL, weight REAL NOT NULL, time TEXT NOT NULL)");
        s.execute("CREATE INDEX IF NOT EXISTS events_by_customer ON events(customer)");
        s.execute("CREATE TABLE IF NOT EXISTS consent (customer INTEGER PRIMARY KEY, training INTEGER NOT NULL, "
            + "personalisation INTEGER NOT NULL, updated TEXT NOT NULL)");
        s.execute("CREATE TABLE IF NOT EXISTS erased (customer INTEGER PRIMARY KEY, erased_at TEXT NOT NULL)");
      }
      c.setAutoCommit(false);
      return new ServeStore(file, c);
    } catch (SQLException | java.io.IOException e) {
      throw new IllegalStateException("cannot open the serving store " + file + ": " + e.getMessage(), e);
    }
  }

  public Path file() {
    return file;
  }

  /** Appends {@code events} in one transaction (all or none). */
  public synchronized void append(List<ServeEvent> events) {
    try (PreparedStatement p = db.prepareStatement(
        "INSERT INTO events (customer, item, type, weight, time) VALUES (?, ?, ?, ?, ?)")) {
      for (ServeEvent e : events) {
        p.setInt(1, e.customer());
        p.setString(2, e.item());
        p.setString(3, e.type());
        p.setDouble(4, e.weight());
        p.setString(5, e.time().toString());
        p.addBatch();
      }
      p.executeBatch();
      db.commit();
    } catch (SQLException e) {
      throw rollback("appending events", e);
    }
  }

  /** The stored events of one customer, in arrival order. */
  public synchronized List<ServeEvent> events(int customer) {
    return query("SELECT customer, item, type, weight, time FROM events WHERE customer = " + customer + " ORDER BY seq");
  }

  /** Every stored event, in arrival order. */
  public synchronized List<ServeEvent> events() {
    return query("SELECT customer, item, type, weight, time FROM events ORDER BY seq");
  }

  public synchronized long eventCount() {
    return count("SELECT COUNT(*) FROM events");
  }

  public synchronized void consent(int customer, Consent c) {
    try (PreparedStatement p = db.prepareStatement("INSERT INTO consent (customer, training, personalisation, updated) "
        + "VALUES (?, ?, ?, ?) ON CONFLICT(customer) DO UPDATE SET training = excluded.training, "
        + "personalisation = excluded.personalisation, updated = excluded.updated")) {
      p.setInt(1, customer);
      p.setInt(2, c.training() ? 1 : 0);
      p.setInt(3, c.personalisation() ? 1 : 0);
      p.setString(4, now());
      p.executeUpdate();
      db.commit();
    } catch (SQLException e) {
      throw rollback("recording consent", e);
    }
  }

  /** Customers who stated their consent (everyone else has {@link Consent#DEFAULT}). */
  public synchronized Map<Integer, Consent> consents() {
    Map<Integer, Consent> out = new HashMap<>();
    try (Statement s = db.createStatement();
        ResultSet r = s.executeQuery("SELECT customer, training, personalisation FROM consent")) {
      while (r.next()) {
        out.put(r.getInt(1), new Consent(r.getInt(2) != 0, r.getInt(3) != 0));
      }
      db.commit();
      return out;
    } catch (SQLException e) {
      throw rollback("reading consent", e);
    }
  }

  /**
   * Erases a customer: their events and consent row are deleted and a tombstone is written, in one
   * transaction.
   *
   * @return how many stored events were deleted
   */
  public synchronized int erase(int customer) {
    try (Statement s = db.createStatement()) {
      int deleted = s.executeUpdate("DELETE FROM events WHERE customer = " + customer);
      s.executeUpdate("DELETE FROM consent WHERE customer = " + customer);
      try (PreparedStatement p = db.prepareStatement(
          "INSERT INTO erased (customer, erased_at) VALUES (?, ?) ON CONFLICT(customer) DO NOTHING")) {
        p.setInt(1, customer);
        p.setString(2, now());
        p.executeUpdate();
      }
      db.commit();
      return deleted;
    } catch (SQLException e) {
      throw rollback("erasing customer " + customer, e);
    }
  }

  /** The tombstones: every customer erased through this store. */
  public synchronized Set<Integer> erased() {
    Set<Integer> out = new HashSet<>();
    try (Statement s = db.createStatement(); ResultSet r = s.executeQuery("SELECT customer FROM erased")) {
      while (r.next()) {
        out.add(r.getInt(1));
      }
      db.commit();
      return out;
    } catch (SQLException e) {
      throw rollback("reading erasures", e);
    }
  }

  /** Customers whose data must stay out of training, statistics and DP releases: opted out or erased. */
  public synchronized Set<Integer> excludedFromTraining() {
    Set<Integer> out = erased();
    consents().forEach((c, k) -> {
      if (!k.training()) {
        out.add(c);
      }
    });
    return out;
  }

  @Override
  public synchronized void close() {
    try {
      db.close();
    } catch (SQLException e) {
      throw new IllegalStateException("closing the serving store " + file + ": " + e.getMessage(), e);
    }
  }

  private List<ServeEvent> query(String sql) {
    List<ServeEvent> out = new ArrayList<>();
    try (Statement s = db.createStatement(); ResultSet r = s.executeQuery(sql)) {
      while (r.next()) {
        out.add(new ServeEvent(r.getInt(1), r.getString(2), r.getString(3), r.getDouble(4),
            LocalDateTime.parse(r.getString(5))));
      }
      db.commit();
      return out;
    } catch (SQLException e) {
      throw rollback("reading events", e);
    }
  }

  private long count(String sql) {
    try (Statement s = db.createStatement(); ResultSet r = s.executeQuery(sql)) {
      long n = r.next() ? r.getLong(1) : 0;
      db.commit();
      return n;
    } catch (SQLException e) {
      throw rollback("counting", e);
    }
  }

  private IllegalStateException rollback(String what, SQLException e) {
    try {
      db.rollback();
    } catch (SQLException ignored) {
      // the original failure is what matters
    }
    return new IllegalStateException("serving store " + file + ": " + what + " failed: " + e.getMessage(), e);
  }

  private static String now() {
    return LocalDateTime.now(ZoneOffset.UTC).toString();
  }
}
