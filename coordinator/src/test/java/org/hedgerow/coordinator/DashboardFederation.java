package org.hedgerow.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import org.hedgerow.aggregation.wire.ParameterCodec;
import org.hedgerow.coordinator.ServiceFixture.Silo;

/**
 * A running coordinator (service mode, mutual TLS, local DP declared, 2 rounds) with three enrolled
 * silos for the dashboard tests: each joins with its identity key, posts its signed statistics
 * release and round-1 spend, and uploads its round-1 update, so round 1 closes with a new model and
 * the ledger holds 6 links. {@link #tamperAndRestart} edits one recorded spend in the database behind
 * the coordinator's back and starts it again on the same store.
 */
final class DashboardFederation implements AutoCloseable {
  static final List<String> SILOS = List.of("germany", "france", "iberia");

  private final Path dir;
  ServiceFixture f;
  final List<SiloSpends> budgets = new ArrayList<>();

  DashboardFederation(Path dir) throws Exception {
    this.dir = dir;
    f = new ServiceFixture(dir, 2, SILOS.size(), true, CoordinatorOptions.PRIVACY_LOCAL, true);
    warmUp(f);
    List<Silo> silos = new ArrayList<>();
    for (String id : SILOS) {
      Silo s = f.enrol(id);
      SiloSpends b = new SiloSpends(id);
      assertEquals(201, f.join(s, b).statusCode());
      silos.add(s);
      budgets.add(b);
    }
    for (int i = 0; i < silos.size(); i++) {
      SiloSpends b = budgets.get(i);
      assertEquals(200, f.postSpends(silos.get(i), SiloSpends.batch(b.release(), b.round(1))).statusCode());
      assertEquals(202, f.upload(silos.get(i), 1, ServiceFixture.updateHeaders(0, 1),
          ParameterCodec.encode(ServiceFixture.filled(0.1f * (i + 1)))).statusCode());
    }
  }

  /**
   * The first TLS handshake of a fresh JVM (provider set-up, cold code) can take longer than the
   * fixture's 5 s connect timeout on a loaded 2-core machine; a few health checks let it finish.
   */
  static void warmUp(ServiceFixture f) throws Exception {
    for (int attempt = 1; ; attempt++) {
      try {
        assertEquals(200, f.get(f.anonymous, "/health", null).statusCode());
        return;
      } catch (java.net.http.HttpConnectTimeoutException e) {
        if (attempt == 5) {
          throw e;
        }
      }
    }
  }

  /** Halves the ε recorded for {@code holder}'s spend {@code counter} in the store, then restarts the coordinator. */
  void tamperAndRestart(String holder, long counter) throws Exception {
    f.close();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("coordinator.db"));
        PreparedStatement p = c.prepareStatement("UPDATE silo_spends SET epsilon = epsilon / 2 WHERE holder = ? AND "
            + "counter = ?")) {
      p.setString(1, holder);
      p.setLong(2, counter);
      assertEquals(1, p.executeUpdate());
    }
    f = new ServiceFixture(dir, 2, SILOS.size(), true, CoordinatorOptions.PRIVACY_LOCAL, false);
    warmUp(f);
  }

  @Override
  public void close() throws Exception {
    f.close();
  }
}
