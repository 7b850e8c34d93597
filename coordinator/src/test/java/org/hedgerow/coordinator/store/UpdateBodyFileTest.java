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
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Properties;
import org.hedgerow.aggregation.model.ModelSpec;
import org.hedgerow.aggregation.strategy.CoordinateMedian;
import org.hedgerow.aggregation.strategy.FedAvg;
import org.hedgerow.aggregation.strategy.FitConfig;
import org.hedgerow.aggregation.strategy.Strategy;
import org.hedgerow.aggregation.wire.ParameterCodec;
import org.hedgerow.coordinator.CoordinatorOptions;
import org.hedgerow.coordinator.Federation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Update bodies in their round's append-only file (schema version 4): what a crash can leave behind
 * is cut off on open, a damaged acknowledged body is refused, bodies that schema version 3 kept in
 * the database move into the file, and a closed round's file goes. SQLite, and PostgreSQL when
 * configured (see {@link TestStores}).
 */
class UpdateBodyFileTest {
  private static final ModelSpec SPEC = new ModelSpec("test", List.of(3, 4, 1), "relu", "sigmoid", 0,
      "binary-cross-entropy", 1e-3);
  private static final String[] SILOS = {"a", "b", "c"};

  @TempDir
  Path dir;

  private static CoordinatorOptions options() {
    return CoordinatorOptions.of(SPEC, 2, SILOS.length, 5);
  }

  private static byte[] delta(int k) {
    float[] d = new float[SPEC.parameterCount()];
    for (int i = 0; i < d.length; i++) {
      d[i] = (float) Math.sin(k * 31 + i) * (k + 1);
    }
    return ParameterCodec.encode(d);
  }

  /** Round 1 open, every silo joined; the federation reads bodies from the store. */
  private static Federation start(JdbcCoordinatorStore store, Strategy strategy) {
    Federation f = new Federation(options(), strategy);
    f.readBodiesWith(store.updateBodies());
    store.open(f.identity(), f.model(), strategy.state());
    for (String s : SILOS) {
      Federation.PendingJoin j = f.prepareRegister(s, null, 1);
      store.join(j.participant(), j.credential()).join();
      f.joined(j);
    }
    Transition t = f.dueTransition(2).orElseThrow();
    store.transition(t).join();
    f.apply(t);
    return f;
  }

  private static void upload(Federation f, JdbcCoordinatorStore store, String silo, int k) {
    Federation.Admission a = f.admit(f.participant(silo).orElseThrow(), 1, 0, SPEC.hash(), 3 + k, delta(k), 0,
        Double.NaN, "up-" + silo, 10);
    assertTrue(store.saveUpdate(a.pending().stored()).join());
    f.accepted(a.pending());
  }

  private static Federation resume(JdbcCoordinatorStore store, Strategy strategy) {
    Federation f = new Federation(options(), strategy);
    return Federation.resume(options(), strategy, store.open(f.identity(), null, null));
  }

  private static Path bodyFile(StoreLocation at) {
    return at.updateBodyDirectory().resolve("round-00000001.bodies");
  }

  /** The model round 1 closes to after a and c uploaded, with nothing interrupted. */
  private float[] uninterrupted(Strategy strategy) throws Exception {
    StoreLocation at = StoreLocation.sqlite(Files.createTempDirectory(dir, "reference").resolve("s.db"));
    try (JdbcCoordinatorStore s = JdbcCoordinatorStore.open(at)) {
      Federation f = start(s, strategy);
      upload(f, s, "c", 2);
      upload(f, s, "a", 0);
      upload(f, s, "b", 1);
      return f.prepareClose(30).parameters();
    }
  }

  @Test
  void open_bytesPastLastCommittedBody_cutOffAndRoundClosesAsUninterrupted() throws Exception {
    float[] expected = uninterrupted(new FedAvg(new FitConfig(1, 8, 1)));
    for (StoreLocation at : TestStores.fresh(dir)) {
      try (JdbcCoordinatorStore s = JdbcCoordinatorStore.open(at)) {
        Federation f = start(s, new FedAvg(new FitConfig(1, 8, 1)));
        upload(f, s, "c", 2);
        upload(f, s, "a", 0);
      }
      long committed = Files.size(bodyFile(at));
      // Both bodies, each padded to a whole block where the file system takes direct I/O.
      assertTrue(committed >= 2L * SPEC.parameterCount() * Float.BYTES, at + ": " + committed);
      // A crash mid-append: half a body that never got its row (so never a 202).
      try (FileChannel c = FileChannel.open(bodyFile(at), StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
        c.write(ByteBuffer.wrap(java.util.Arrays.copyOf(delta(7), 100)));
      }
      try (JdbcCoordinatorStore s = JdbcCoordinatorStore.open(at)) {
        Federation g = resume(s, new FedAvg(new FitConfig(1, 8, 1)));
        assertEquals(committed, Files.size(bodyFile(at)), "the unacknowledged tail is cut off: " + at);
        assertEquals(2, g.updatesThisRound());
        upload(g, s, "b", 1);
        assertArrayEquals(expected, g.prepareClose(30).parameters(), at.toString());
      }
    }
  }

  @Test
  void open_acknowledgedBodyDamaged_refusedNamingTheFile() throws Exception {
    for (StoreLocation at : TestStores.fresh(dir)) {
      try (JdbcCoordinatorStore s = JdbcCoordinatorStore.open(at)) {
        Federation f = start(s, new FedAvg(new FitConfig(1, 8, 1)));
        upload(f, s, "a", 0);
      }
      try (FileChannel c = FileChannel.open(bodyFile(at), StandardOpenOption.WRITE)) {
        c.write(ByteBuffer.wrap(new byte[] {42}), 5);
      }
      try (JdbcCoordinatorStore s = JdbcCoordinatorStore.open(at)) {
        StoreException e = assertThrows(StoreException.class, () -> resume(s, new FedAvg(new FitConfig(1, 8, 1))));
        assertTrue(e.getMessage().contains("checksum") && e.getMessage().contains("round-00000001.bodies"),
            e.getMessage());
      }
    }
  }

  @Test
  void open_bodiesKeptInDatabaseBySchema3_movedIntoFileAndSummedAlike() throws Exception {
    float[] expected = uninterrupted(new CoordinateMedian(new FitConfig(1, 8, 1)));
    for (StoreLocation at : TestStores.fresh(dir)) {
      try (JdbcCoordinatorStore s = JdbcCoordinatorStore.open(at)) {
        Federation f = start(s, new CoordinateMedian(new FitConfig(1, 8, 1)));
        upload(f, s, "c", 2);
        upload(f, s, "a", 0);
      }
      // As a version 3 store left them: bodies in the rows, no file.
      try (Connection c = connect(at);
          PreparedStatement p = c.prepareStatement("UPDATE updates SET body = ?, body_offset = NULL, "
              + "body_length = NULL, body_checksum = NULL WHERE client_id = ?")) {
        for (String[] x : new String[][] {{"c", "2"}, {"a", "0"}}) {
          p.setBytes(1, delta(Integer.parseInt(x[1])));
          p.setString(2, x[0]);
          assertEquals(1, p.executeUpdate());
        }
      }
      Files.delete(bodyFile(at));
      try (JdbcCoordinatorStore s = JdbcCoordinatorStore.open(at)) {
        Federation g = resume(s, new CoordinateMedian(new FitConfig(1, 8, 1)));
        assertTrue(Files.size(bodyFile(at)) >= 2L * SPEC.parameterCount() * Float.BYTES, at.toString());
        assertEquals(2, s.storedUpdateBodies());
        upload(g, s, "b", 1);
        RoundClose close = g.prepareClose(30);
        assertArrayEquals(expected, close.parameters(), "the median reads every body back: " + at);
        s.closeRound(close).join();
        assertEquals(0, s.storedUpdateBodies());
        // Deleted by the body appender after the close committed, off the close's own path.
        for (long until = System.nanoTime() + 10_000_000_000L; Files.exists(bodyFile(at)) && System.nanoTime() < until; ) {
          Thread.sleep(10);
        }
        assertFalse(Files.exists(bodyFile(at)), "a closed round's body file is deleted: " + at);
      }
    }
  }

  @Test
  void open_postgresWithoutBodyDirectory_refusedSayingWhereBodiesGo() {
    StoreException e = assertThrows(StoreException.class,
        () -> JdbcCoordinatorStore.open(StoreLocation.parse("postgresql://u:p@127.0.0.1:1/db")));
    assertTrue(e.getMessage().contains("needs a directory") && !e.getMessage().contains("u:p"), e.getMessage());
  }

  private static Connection connect(StoreLocation at) throws Exception {
    Properties p = new Properties();
    if (at.user() != null) {
      p.setProperty("user", at.user());
    }
    if (at.password() != null) {
      p.setProperty("password", at.password());
    }
    return DriverManager.getConnection(at.jdbcUrl(), p);
  }
}
