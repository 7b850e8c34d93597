package org.hedgerow.coordinator.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hedgerow.aggregation.wire.ParameterCodec;
import org.hedgerow.coordinator.auth.EnrolledClient;
import org.hedgerow.coordinator.auth.EnrolmentToken;
import org.hedgerow.aggregation.wire.SpendJson;
import org.hedgerow.privacy.budget.SignedSpend;
import org.hedgerow.privacy.budget.Spend;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link CoordinatorStore} on SQLite or PostgreSQL through JDBC: one connection owned by a
 * {@link GroupCommitWriter}, one portable schema migrated on open (see docs/operations.md).
 *
 * <p>SQLite runs with a rollback journal ({@code journal_mode=TRUNCATE}) and {@code synchronous=FULL}
 * unless the location asks for {@code NORMAL} (survives a killed process, not every power loss;
 * "acknowledged means durable" must hold for both). Not WAL: an update's 1 MiB body lands in new
 * pages, which a rollback journal writes once, where WAL writes them twice (log, then checkpoint) —
 * measured 0.37 → 0.64 of the bare endpoint's upload throughput (docs/benchmarks.md), when bodies were
 * BLOBs. The store has one connection, so WAL's concurrent readers bring nothing.
 *
 * <p>Since schema version 4 an update's body is not in the database: {@link UpdateBodyLog} appends it to
 * its round's body file, forced to disk before the commit of the row that names its offset, length
 * and checksum (the writer's {@code beforeCommit}).
 */
public final class JdbcCoordinatorStore implements CoordinatorStore {
  private static final Logger log = LoggerFactory.getLogger(JdbcCoordinatorStore.class);
  private static final String MIGRATIONS = "/org/hedgerow/coordinator/store/migrations/";
  private static final Pattern MIGRATION_NAME = Pattern.compile("V(\\d+)__[A-Za-z0-9_]+\\.sql");
  /** Rows of schema version 1 only: clients' spends reported in upload headers. */
  static final String SOURCE_CLIENT = "client";
  static final String SOURCE_COORDINATOR = "coordinator";

  private final StoreLocation location;
  private final Connection connection;
  private final UpdateBodyLog bodies;
  /** Where each committed body of an open round lies, by round then client id (read from any thread). */
  private final Map<Integer, Map<String, BodyLocation>> bodyIndex = new ConcurrentHashMap<>();
  private final GroupCommitWriter writer;
  /**
   * Appends update bodies (and deletes closed rounds' files), one at a time, beside the writer: the
   * next uploads' bodies go to disk while the writer syncs and commits the rows of the previous ones.
   */
  private final ExecutorService bodyAppender;

  private JdbcCoordinatorStore(StoreLocation location, Connection connection, UpdateBodyLog bodies) {
    this.location = location;
    this.connection = connection;
    this.bodies = bodies;
    this.writer = new GroupCommitWriter(connection, "hedgerow-store-writer", bodies::sync);
    this.bodyAppender = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "hedgerow-store-bodies");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Connects, applies the schema migrations not yet applied and returns the store.
   *
   * @throws StoreException if the database cannot be reached or a migration fails
   */
  public static JdbcCoordinatorStore open(StoreLocation location) {
    Path bodyDirectory = location.updateBodyDirectory(); // a PostgreSQL store without one fails before connecting
    Connection c;
    try {
      c = connect(location);
    } catch (SQLException | IOException e) {
      throw new StoreException("cannot open the store " + location + ": " + e.getMessage(), e);
    }
    try {
      migrate(c, location.kind());
    } catch (SQLException | RuntimeException e) {
      closeQuietly(c);
      throw e instanceof StoreException s ? s
          : new StoreException("cannot migrate the store " + location + ": " + e.getMessage(), e);
    }
    UpdateBodyLog bodies;
    try {
      bodies = new UpdateBodyLog(bodyDirectory);
    } catch (StoreException e) {
      closeQuietly(c);
      throw e;
    }
    log.info("store {} open (schema version {}, update bodies in {})", location, schemaVersion(c), bodyDirectory);
    return new JdbcCoordinatorStore(location, c, bodies);
  }

  private static Connection connect(StoreLocation location) throws SQLException, IOException {
    Connection c;
    if (location.kind() == StoreLocation.Kind.SQLITE) {
      Path file = Path.of(location.jdbcUrl().substring("jdbc:sqlite:".length()));
      if (file.getParent() != null) {
        Files.createDirectories(file.getParent());
      }
      if (!Files.exists(file) && file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
        // Owner-only from the start (SQLite gives its journal the database's permissions): it holds token
        // hashes, the ledger and the silos' updates.
        try {
          Files.createFile(file, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
              java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        } catch (java.nio.file.FileAlreadyExistsException raced) {
          // created meanwhile: opened as it is
        }
      }
      c = DriverManager.getConnection(location.jdbcUrl());
      try (Statement s = c.createStatement()) {
        // Before the first write creates the file (a no-op on an existing one): a 1 MiB update then spans 32
        // pages instead of 256, which halves the writer's CPU per update (fewer pages, checksums and writes).
        s.execute("PRAGMA page_size=32768");
        s.execute("PRAGMA journal_mode=TRUNCATE");
        s.execute("PRAGMA synchronous=" + location.sqliteSynchronous());
        s.execute("PRAGMA busy_timeout=10000");
      }
    } else {
      Properties p = new Properties();
      if (location.user() != null) {
        p.setProperty("user", location.user());
      }
      if (location.password() != null) {
        p.setProperty("password", location.password());
      }
      c = DriverManager.getConnection(location.jdbcUrl(), p);
    }
    c.setAutoCommit(false);
    return c;
  }

  // ---- migrations ------------------------------------------------------------------------------

  /** The migrations this build knows, in order: name by version. */
  static Map<Integer, String> knownMigrations() {
    Map<Integer, String> m = new TreeMap<>();
    for (String line : resource("index.txt").split("\n")) {
      String name = line.strip();
      if (name.isEmpty() || name.startsWith("#")) {
        continue;
      }
      Matcher x = MIGRATION_NAME.matcher(name);
      if (!x.matches()) {
        throw new IllegalStateException("bad migration name in index.txt: " + name);
      }
      m.put(Integer.parseInt(x.group(1)), name);
    }
    return m;
  }

  private static void migrate(Connection c, StoreLocation.Kind kind) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
          + "applied_at BIGINT NOT NULL)");
    }
    c.commit();
    Set<Integer> applied = new HashSet<>();
    try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT version FROM schema_migrations")) {
      while (r.next()) {
        applied.add(r.getInt(1));
      }
    }
    Map<Integer, String> known = knownMigrations();
    for (int v : applied) {
      if (!known.containsKey(v)) {
        throw new StoreException("the store has schema migration " + v + ", which this build does not know "
            + "(it was written by a newer Hedgerow); use that version or a new store");
      }
    }
    for (Map.Entry<Integer, String> m : known.entrySet()) {
      if (applied.contains(m.getKey())) {
        continue;
      }
      String sql = resource(m.getValue()).replace("${BLOB}", kind == StoreLocation.Kind.SQLITE ? "BLOB" : "BYTEA");
      try (Statement s = c.createStatement()) {
        for (String statement : statements(sql)) {
          s.execute(statement);
        }
        try (PreparedStatement p = c.prepareStatement(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)")) {
          p.setInt(1, m.getKey());
          p.setString(2, m.getValue());
          p.setLong(3, System.currentTimeMillis());
          p.executeUpdate();
        }
        c.commit();
        log.info("applied store migration {}", m.getValue());
      } catch (SQLException e) {
        c.rollback();
        throw new StoreException("store migration " + m.getValue() + " failed: " + e.getMessage(), e);
      }
    }
  }

  /** The SQL statements of a migration: comment lines dropped, split at semicolons ending a line. */
  static List<String> statements(String sql) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    for (String line : sql.split("\n")) {
      String t = line.strip();
      if (t.isEmpty() || t.startsWith("--")) {
        continue;
      }
      cur.append(line).append('\n');
      if (t.endsWith(";")) {
        String st = cur.toString().strip();
        out.add(st.substring(0, st.length() - 1));
        cur.setLength(0);
      }
    }
    if (!cur.toString().isBlank()) {
      out.add(cur.toString().strip());
    }
    return out;
  }

  private static String resource(String name) {
    try (InputStream in = JdbcCoordinatorStore.class.getResourceAsStream(MIGRATIONS + name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + MIGRATIONS + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + MIGRATIONS + name, e);
    }
  }

  private static int schemaVersion(Connection c) {
    try (Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT MAX(version) FROM schema_migrations")) {
      return r.next() ? r.getInt(1) : 0;
    } catch (SQLException e) {
      return -1;
    } finally {
      try {
        c.commit();
      } catch (SQLException ignored) {
        // reading only
      }
    }
  }

  /** The migrations recorded as applied, by version (for tests and operators). */
  public Map<Integer, String> appliedMigrations() {
    return writer.call(c -> {
      Map<Integer, String> m = new TreeMap<>();
      try (Statement s = c.createStatement();
          ResultSet r = s.executeQuery("SELECT version, name FROM schema_migrations ORDER BY version")) {
        while (r.next()) {
          m.put(r.getInt(1), r.getString(2));
        }
      }
      return m;
    });
  }

  /**
   * Every recorded spend in ledger order: rows of version 1 (no ledger sequence) first, by round and
   * position, then silos' signed spends and the coordinator's own by ledger sequence. The
   * coordinator's own also go to {@code coordinatorOut}, in order.
   */
  private static List<StoredSpend> readLedger(Connection c, List<Spend> coordinatorOut) throws SQLException {
    List<StoredSpend> legacy = new ArrayList<>();
    List<StoredSpend> sequenced = new ArrayList<>();
    Map<String, Long> legacyCounters = new java.util.HashMap<>();
    try (PreparedStatement p = c.prepareStatement("SELECT round, holder, mechanism, noise_multiplier, sample_rate, "
        + "steps, epsilon, delta, cap, source, clip_norm, counter, ledger_sequence FROM spends ORDER BY round, position");
        ResultSet r = p.executeQuery()) {
      while (r.next()) {
        double clip = nullableDouble(r, 11);
        long counter = r.getLong(12);
        boolean noCounter = r.wasNull();
        long sequence = r.getLong(13);
        boolean noSequence = r.wasNull();
        String holder = r.getString(2);
        long legacyCounter = legacyCounters.merge(holder, 1L, Long::sum) - 1;
        Spend s = new Spend(r.getInt(1), holder, r.getString(3), r.getDouble(4), r.getDouble(5), r.getLong(6),
            r.getDouble(7), r.getDouble(8), r.getDouble(9), Double.isNaN(clip) ? 1.0 : clip,
            noCounter ? legacyCounter : counter);
        (noSequence ? legacy : sequenced).add(StoredSpend.coordinator(noSequence ? -1 : sequence, s));
        if (r.getString(10).equals(SOURCE_COORDINATOR)) {
          coordinatorOut.add(s);
        }
      }
    }
    try (PreparedStatement p = c.prepareStatement("SELECT holder, counter, round, mechanism, noise_multiplier, "
        + "clip_norm, sample_rate, steps, epsilon, delta, cap, public_key, signature, ledger_sequence, distributed "
        + "FROM silo_spends ORDER BY ledger_sequence");
        ResultSet r = p.executeQuery()) {
      while (r.next()) {
        Spend s = new Spend(r.getInt(3), r.getString(1), r.getString(4), r.getDouble(5), r.getDouble(7), r.getLong(8),
            r.getDouble(9), r.getDouble(10), r.getDouble(11), r.getDouble(6), r.getLong(2),
            SpendJson.distributedFromJson(r.getString(15)));
        sequenced.add(StoredSpend.silo(r.getLong(14), new SignedSpend(s, r.getBytes(12), r.getBytes(13))));
      }
    }
    sequenced.sort(java.util.Comparator.comparingLong(StoredSpend::sequence));
    List<StoredSpend> all = new ArrayList<>(legacy);
    all.addAll(sequenced);
    return all;
  }

  @Override
  public List<StoredSpend> ledger() {
    return writer.call(c -> readLedger(c, new ArrayList<>()));
  }

  @Override
  public CompletableFuture<Void> recordSpends(List<StoredSpend> spends) {
    List<StoredSpend> copy = List.copyOf(spends);
    return writer.submit(c -> {
      long now = System.currentTimeMillis();
      for (StoredSpend st : copy) {
        if (!st.fromSilo()) {
          throw new IllegalArgumentException("only silos' signed spends are recorded this way");
        }
        Spend s = st.spend();
        try (PreparedStatement p = c.prepareStatement("INSERT INTO silo_spends (holder, counter, round, mechanism, "
            + "noise_multiplier, clip_norm, sample_rate, steps, epsilon, delta, cap, public_key, signature, "
            + "ledger_sequence, recorded_at, distributed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
          p.setString(1, s.holder());
          p.setLong(2, s.counter());
          p.setInt(3, s.round());
          p.setString(4, s.mechanism());
          p.setDouble(5, s.noiseMultiplier());
          p.setDouble(6, s.clipNorm());
          p.setDouble(7, s.sampleRate());
          p.setLong(8, s.steps());
          p.setDouble(9, s.epsilon());
          p.setDouble(10, s.delta());
          p.setDouble(11, s.cap());
          p.setBytes(12, st.signed().publicKey());
          p.setBytes(13, st.signed().signature());
          p.setLong(14, st.sequence());
          p.setLong(15, now);
          p.setString(16, s.distributed() == null ? null : SpendJson.toJson(s.distributed()).toString());
          p.executeUpdate();
        }
      }
      return null;
    });
  }

  @Override
  public StoreLocation location() {
    return location;
  }

  // ---- federation ------------------------------------------------------------------------------

  @Override
  public StoredState open(FederationIdentity identity, float[] initialModel, byte[] initialStrategyState) {
    return writer.call(c -> {
      FederationIdentity stored = null;
      try (PreparedStatement p = c.prepareStatement(
          "SELECT spec_hash, parameter_count, target_rounds, seed, strategy FROM federation WHERE id = 1");
          ResultSet r = p.executeQuery()) {
        if (r.next()) {
          stored = new FederationIdentity(r.getString(1), r.getInt(2), r.getInt(3), r.getLong(4), r.getString(5));
        }
      }
      if (stored == null) {
        long now = System.currentTimeMillis();
        try (PreparedStatement p = c.prepareStatement("INSERT INTO federation (id, spec_hash, parameter_count, "
            + "target_rounds, seed, strategy, created_at, phase, round, model_version) "
            + "VALUES (1, ?, ?, ?, ?, ?, ?, 'WAITING_FOR_CLIENTS', 0, 0)")) {
          p.setString(1, identity.specHash());
          p.setInt(2, identity.parameterCount());
          p.setInt(3, identity.targetRounds());
          p.setLong(4, identity.seed());
          p.setString(5, identity.strategy());
          p.setLong(6, now);
          p.executeUpdate();
        }
        insertModel(c, 0, 0, initialModel, initialStrategyState, now);
        return null;
      }
      String diff = stored.differencesFrom(identity);
      if (!diff.isEmpty()) {
        throw new StoreException("the store " + location + " belongs to a different federation (" + diff
            + "); resume it with its original settings or start this one on a new store");
      }
      return load(c);
    });
  }

  private StoredState load(Connection c) throws SQLException {
    String phase;
    int round;
    int version;
    String finishReason;
    try (PreparedStatement p = c.prepareStatement(
        "SELECT phase, round, model_version, finish_reason FROM federation WHERE id = 1");
        ResultSet r = p.executeQuery()) {
      r.next();
      phase = r.getString(1);
      round = r.getInt(2);
      version = r.getInt(3);
      finishReason = r.getString(4);
    }
    float[] model;
    byte[] state;
    try (PreparedStatement p = c.prepareStatement(
        "SELECT parameters, strategy_state FROM model_versions WHERE version = ?")) {
      p.setInt(1, version);
      try (ResultSet r = p.executeQuery()) {
        if (!r.next()) {
          throw new StoreException("the store names model version " + version + " as current but does not hold it");
        }
        byte[] params = r.getBytes(1);
        model = ParameterCodec.decode(params, params.length / Float.BYTES);
        state = r.getBytes(2);
        state = state == null ? new byte[0] : state; // SQLite reads an empty BLOB back as NULL
      }
    }
    List<StoredParticipant> participants = new ArrayList<>();
    try (PreparedStatement p = c.prepareStatement(
        "SELECT client_id, silo, joined_at, identity_key FROM participants ORDER BY joined_at, client_id");
        ResultSet r = p.executeQuery()) {
      while (r.next()) {
        participants.add(new StoredParticipant(r.getString(1), r.getString(2), r.getLong(3), r.getBytes(4)));
      }
    }
    Map<String, String> bearer = new TreeMap<>();
    try (PreparedStatement p = c.prepareStatement(
        "SELECT client_id, bearer_token_hash FROM enrolled_clients WHERE bearer_token_hash IS NOT NULL "
            + "AND revoked_at IS NULL");
        ResultSet r = p.executeQuery()) {
      while (r.next()) {
        bearer.put(r.getString(1), r.getString(2));
      }
    }
    long openedAt = 0;
    try (PreparedStatement p = c.prepareStatement("SELECT opened_at FROM rounds WHERE round = ? AND state = 'open'")) {
      p.setInt(1, round);
      try (ResultSet r = p.executeQuery()) {
        if (r.next()) {
          openedAt = r.getLong(1);
        }
      }
    }
    List<StoredUpdate> open = new ArrayList<>();
    Map<String, BodyLocation> located = new TreeMap<>();
    Map<String, byte[]> legacyBodies = new TreeMap<>();
    Map<Integer, Map<String, UploadKey>> uploadIds = new TreeMap<>();
    try (PreparedStatement p = c.prepareStatement("SELECT round, client_id, upload_id, position, trained_on_version, "
        + "examples, body, train_seconds, train_loss, accepted_at, upload_hash, body_offset, body_length, body_checksum "
        + "FROM updates ORDER BY round, position");
        ResultSet r = p.executeQuery()) {
      while (r.next()) {
        int ur = r.getInt(1);
        String client = r.getString(2);
        uploadIds.computeIfAbsent(ur, k -> new TreeMap<>()).put(client, new UploadKey(r.getString(3), r.getString(11)));
        byte[] body = r.getBytes(7);
        long offset = r.getLong(12);
        boolean inFile = !r.wasNull();
        if (ur == round && (body != null || inFile) && openedAt != 0) {
          open.add(new StoredUpdate(ur, client, r.getString(3), r.getInt(4), r.getInt(5), r.getLong(6), null,
              nullableDouble(r, 8), nullableDouble(r, 9), r.getLong(10), r.getString(11)));
          if (inFile) {
            located.put(client, new BodyLocation(offset, r.getInt(13), r.getString(14)));
          } else {
            legacyBodies.put(client, body);
          }
        }
      }
    }
    openBodies(c, openedAt != 0 ? round : 0, located, legacyBodies);
    List<StoredDecline> declines = new ArrayList<>();
    try (PreparedStatement p = c.prepareStatement(
        "SELECT client_id, round, reason, epsilon, cap, declined_at FROM declines ORDER BY declined_at, client_id");
        ResultSet r = p.executeQuery()) {
      while (r.next()) {
        declines.add(new StoredDecline(r.getString(1), r.getInt(2), r.getString(3), nullableDouble(r, 4),
            nullableDouble(r, 5), r.getLong(6)));
      }
    }
    List<Spend> coordinatorSpends = new ArrayList<>();
    List<StoredSpend> ledger = readLedger(c, coordinatorSpends);
    List<RoundRecord> history = new ArrayList<>();
    int aborted = 0;
    try (PreparedStatement p = c.prepareStatement("SELECT round, state, clients, examples, bytes_up, bytes_down, "
        + "seconds, aggregation_seconds, client_train_seconds, train_loss FROM rounds "
        + "WHERE state <> 'open' ORDER BY round");
        ResultSet r = p.executeQuery()) {
      while (r.next()) {
        if (r.getString(2).equals("aborted")) {
          aborted++;
        } else {
          history.add(new RoundRecord(r.getInt(1), r.getInt(3), r.getLong(4), r.getLong(5), r.getLong(6),
              r.getDouble(7), r.getDouble(8), r.getDouble(9), nullableDouble(r, 10)));
        }
      }
    }
    return new StoredState(phase, round, openedAt, version, model, state, finishReason, participants, bearer, open,
        uploadIds, declines, ledger, coordinatorSpends,
        history, aborted, updateBodies());
  }

  /**
   * Brings the body files in line with the committed rows: checks every open-round body against its
   * length and checksum (an acknowledged update must be intact), cuts off bytes past the last one (an
   * append whose row never committed: nothing was acknowledged for it), moves bodies still in the
   * database (rows of schema version 3) into the file, and deletes the files of closed rounds.
   */
  private void openBodies(Connection c, int openRound, Map<String, BodyLocation> located,
      Map<String, byte[]> legacyBodies) throws SQLException {
    bodies.deleteAllBut(openRound);
    bodyIndex.clear();
    if (openRound == 0) {
      return;
    }
    long end = 0;
    for (Map.Entry<String, BodyLocation> e : located.entrySet()) {
      bodies.read(openRound, e.getValue(), true);
      end = Math.max(end, e.getValue().end());
    }
    long cut = bodies.truncate(openRound, end);
    if (cut > 0) {
      log.warn("round {}: cut {} bytes off {} (bodies appended for uploads whose commit never happened; none of them "
          + "was acknowledged)", openRound, cut, bodies.file(openRound));
    }
    Map<String, BodyLocation> index = new ConcurrentHashMap<>(located);
    for (Map.Entry<String, byte[]> e : legacyBodies.entrySet()) {
      BodyLocation at = bodies.append(openRound, e.getValue());
      try (PreparedStatement p = c.prepareStatement("UPDATE updates SET body = NULL, body_offset = ?, body_length = ?, "
          + "body_checksum = ? WHERE round = ? AND client_id = ?")) {
        setLocation(p, 1, at);
        p.setInt(4, openRound);
        p.setString(5, e.getKey());
        p.executeUpdate();
      }
      index.put(e.getKey(), at);
    }
    bodyIndex.put(openRound, index);
  }

  private static void setLocation(PreparedStatement p, int first, BodyLocation at) throws SQLException {
    p.setLong(first, at.offset());
    p.setInt(first + 1, at.length());
    p.setString(first + 2, at.checksum());
  }

  @Override
  public UpdateBodies updateBodies() {
    return (round, clientId) -> {
      BodyLocation at = bodyIndex.getOrDefault(round, Map.of()).get(clientId);
      if (at == null) {
        throw new StoreException("the store holds no body of an update of '" + clientId + "' in round " + round);
      }
      return bodies.read(round, at, false);
    };
  }

  @Override
  public CompletableFuture<Void> join(StoredParticipant participant, EnrolledClient credential) {
    return writer.submit(c -> {
      if (credential != null) {
        upsertClient(c, credential);
      }
      try (PreparedStatement p = c.prepareStatement("INSERT INTO participants (client_id, silo, joined_at, "
          + "identity_key) VALUES (?, ?, ?, ?) ON CONFLICT (client_id) DO UPDATE SET "
          + "identity_key = COALESCE(excluded.identity_key, participants.identity_key)")) {
        p.setString(1, participant.clientId());
        p.setString(2, participant.silo());
        p.setLong(3, participant.joinedAtMillis());
        setBytes(p, 4, participant.identityKey());
        p.executeUpdate();
      }
      return null;
    });
  }

  @Override
  public CompletableFuture<Void> transition(Transition t) {
    return writer.submit(c -> {
      applyTransition(c, t);
      return null;
    });
  }

  private static void applyTransition(Connection c, Transition t) throws SQLException {
    try (PreparedStatement p = c.prepareStatement(
        "UPDATE federation SET phase = ?, round = ?, finish_reason = ? WHERE id = 1")) {
      p.setString(1, t.phase());
      p.setInt(2, t.round());
      p.setString(3, t.finishReason());
      p.executeUpdate();
    }
    if (t.opensRound()) {
      try (PreparedStatement p = c.prepareStatement(
          "INSERT INTO rounds (round, state, opened_at) VALUES (?, 'open', ?) ON CONFLICT (round) DO NOTHING")) {
        p.setInt(1, t.round());
        p.setLong(2, t.atMillis());
        p.executeUpdate();
      }
    }
  }

  @Override
  public CompletableFuture<Boolean> saveUpdate(StoredUpdate u) {
    // The body goes to the round's file once, on the body appender; its row is queued for the writer only
    // then, and the writer forces the file to disk before that row commits.
    CompletableFuture<BodyLocation> appended = new CompletableFuture<>();
    try {
      bodyAppender.execute(() -> {
        try {
          appended.complete(bodies.roundRetired(u.round()) ? null : bodies.append(u.round(), u.body()));
        } catch (RuntimeException e) {
          appended.completeExceptionally(e);
        }
      });
    } catch (RejectedExecutionException e) {
      appended.completeExceptionally(new StoreException("the store is closed"));
    }
    return appended.thenCompose(at -> at == null ? CompletableFuture.completedFuture(false) : writer.submit(c -> {
      // Never into a round that is no longer open: the close and the update race on the event loop
      // only in theory, but the store is where the guarantee must hold.
      try (PreparedStatement p = c.prepareStatement("SELECT state FROM rounds WHERE round = ?")) {
        p.setInt(1, u.round());
        try (ResultSet r = p.executeQuery()) {
          if (!r.next() || !r.getString(1).equals("open")) {
            return false; // its body stays in the file, unreferenced, until the round's file is deleted
          }
        }
      }
      try (PreparedStatement p = c.prepareStatement("SELECT 1 FROM updates WHERE round = ? AND client_id = ?")) {
        p.setInt(1, u.round());
        p.setString(2, u.clientId());
        try (ResultSet r = p.executeQuery()) {
          if (r.next()) {
            return false;
          }
        }
      }
      try (PreparedStatement p = c.prepareStatement("INSERT INTO updates (round, client_id, upload_id, position, "
          + "trained_on_version, examples, train_seconds, train_loss, accepted_at, upload_hash, body_offset, "
          + "body_length, body_checksum) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        p.setInt(1, u.round());
        p.setString(2, u.clientId());
        p.setString(3, u.uploadId());
        p.setInt(4, u.position());
        p.setInt(5, u.trainedOnVersion());
        p.setLong(6, u.examples());
        setDouble(p, 7, u.trainSeconds());
        setDouble(p, 8, u.trainLoss());
        p.setLong(9, u.acceptedAtMillis());
        p.setString(10, u.uploadHash());
        setLocation(p, 11, at);
        p.executeUpdate();
      }
      return true;
    }).thenApply(saved -> {
      if (saved) { // committed: readable from now on
        bodyIndex.computeIfAbsent(u.round(), r -> new ConcurrentHashMap<>()).put(u.clientId(), at);
      }
      return saved;
    }));
  }

  @Override
  public CompletableFuture<Void> decline(StoredDecline d) {
    return writer.submit(c -> {
      try (PreparedStatement p = c.prepareStatement("INSERT INTO declines (client_id, round, reason, epsilon, cap, "
          + "declined_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (client_id) DO NOTHING")) {
        p.setString(1, d.clientId());
        p.setInt(2, d.round());
        p.setString(3, d.reason());
        setDouble(p, 4, d.epsilon());
        setDouble(p, 5, d.cap());
        p.setLong(6, d.atMillis());
        p.executeUpdate();
      }
      return null;
    });
  }

  @Override
  public CompletableFuture<Void> closeRound(RoundClose close) {
    return writer.<Void>submit(c -> {
      long now = close.next().atMillis();
      if (close.producedModel()) {
        RoundRecord rec = close.record();
        insertModel(c, close.modelVersion(), close.round(), close.parameters(), close.strategyState(), now);
        try (PreparedStatement p = c.prepareStatement("UPDATE rounds SET state = 'closed', closed_at = ?, clients = ?, "
            + "examples = ?, bytes_up = ?, bytes_down = ?, seconds = ?, aggregation_seconds = ?, "
            + "client_train_seconds = ?, train_loss = ?, note = ? WHERE round = ?")) {
          p.setLong(1, now);
          p.setInt(2, rec.clients());
          p.setLong(3, rec.examples());
          p.setLong(4, rec.bytesUp());
          p.setLong(5, rec.bytesDown());
          setDouble(p, 6, rec.seconds());
          setDouble(p, 7, rec.aggregationSeconds());
          setDouble(p, 8, rec.clientTrainSeconds());
          setDouble(p, 9, rec.trainLoss());
          p.setString(10, close.note());
          p.setInt(11, close.round());
          requireOneRow(p.executeUpdate(), close.round());
        }
        try (PreparedStatement p = c.prepareStatement("UPDATE federation SET model_version = ? WHERE id = 1")) {
          p.setInt(1, close.modelVersion());
          p.executeUpdate();
        }
      } else {
        try (PreparedStatement p = c.prepareStatement(
            "UPDATE rounds SET state = 'aborted', closed_at = ?, note = ? WHERE round = ?")) {
          p.setLong(1, now);
          p.setString(2, close.note());
          p.setInt(3, close.round());
          requireOneRow(p.executeUpdate(), close.round());
        }
      }
      int position = 0;
      for (StoredSpend s : close.coordinatorSpends()) {
        insertSpend(c, s, SOURCE_COORDINATOR, position++);
      }
      try (PreparedStatement p = c.prepareStatement("UPDATE updates SET body = NULL, body_offset = NULL, "
          + "body_length = NULL, body_checksum = NULL WHERE round = ?")) {
        p.setInt(1, close.round());
        p.executeUpdate();
      }
      applyTransition(c, close.next());
      return null;
    }).thenApply(v -> {
      // Committed: the round's bodies are no longer needed. Deleted on the body appender, off the path of the
      // answer that waits for this close (unlinking a 1 GiB file takes a while) and after any append still
      // queued for the round (refused from then on); a file left by a crash before that is deleted on the
      // next open.
      bodyIndex.remove(close.round());
      try {
        bodyAppender.execute(() -> {
          try {
            bodies.delete(close.round());
          } catch (StoreException e) {
            log.warn("round {} closed, but its body file stays: {}", close.round(), e.getMessage());
          }
        });
      } catch (RejectedExecutionException e) {
        log.warn("round {} closed as the store closed; its body file is deleted on the next open", close.round());
      }
      return v;
    });
  }

  private static void requireOneRow(int n, int round) {
    if (n != 1) {
      throw new StoreException("round " + round + " is not open in the store; refusing to close it");
    }
  }

  private static void insertSpend(Connection c, StoredSpend st, String source, int position) throws SQLException {
    Spend s = st.spend();
    try (PreparedStatement p = c.prepareStatement("INSERT INTO spends (round, source, holder, position, mechanism, "
        + "noise_multiplier, sample_rate, steps, epsilon, delta, cap, clip_norm, counter, ledger_sequence) "
        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      p.setInt(1, s.round());
      p.setString(2, source);
      p.setString(3, s.holder());
      p.setInt(4, position);
      p.setString(5, s.mechanism());
      p.setDouble(6, s.noiseMultiplier());
      p.setDouble(7, s.sampleRate());
      p.setLong(8, s.steps());
      p.setDouble(9, s.epsilon());
      p.setDouble(10, s.delta());
      p.setDouble(11, s.cap());
      p.setDouble(12, s.clipNorm());
      p.setLong(13, s.counter());
      p.setLong(14, st.sequence());
      p.executeUpdate();
    }
  }

  private static void insertModel(Connection c, int version, int round, float[] params, byte[] state, long at)
      throws SQLException {
    try (PreparedStatement p = c.prepareStatement("INSERT INTO model_versions (version, round, parameters, "
        + "strategy_state, created_at) VALUES (?, ?, ?, ?, ?)")) {
      p.setInt(1, version);
      p.setInt(2, round);
      p.setBytes(3, ParameterCodec.encode(params));
      p.setBytes(4, state == null ? new byte[0] : state);
      p.setLong(5, at);
      p.executeUpdate();
    }
  }

  /** The parameters of model {@code version}, if the store holds it (for audits and tests). */
  public Optional<float[]> model(int version) {
    return writer.call(c -> {
      try (PreparedStatement p = c.prepareStatement("SELECT parameters FROM model_versions WHERE version = ?")) {
        p.setInt(1, version);
        try (ResultSet r = p.executeQuery()) {
          if (!r.next()) {
            return Optional.empty();
          }
          byte[] b = r.getBytes(1);
          return Optional.of(ParameterCodec.decode(b, b.length / Float.BYTES));
        }
      }
    });
  }

  /** Rows in {@code table} (for tests and operators); the name must be one of the schema's tables. */
  public long count(String table) {
    if (!table.matches("[a-z_]+")) {
      throw new IllegalArgumentException("not a table name: " + table);
    }
    return writer.call(c -> {
      try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
        r.next();
        return r.getLong(1);
      }
    });
  }

  /** Update bodies still held (for tests: closing a round must drop its bodies). */
  public long storedUpdateBodies() {
    return writer.call(c -> {
      try (Statement s = c.createStatement();
          ResultSet r = s.executeQuery("SELECT COUNT(*) FROM updates WHERE body IS NOT NULL OR body_length IS NOT NULL")) {
        r.next();
        return r.getLong(1);
      }
    });
  }

  // ---- credentials -----------------------------------------------------------------------------

  @Override
  public void saveEnrolmentToken(EnrolmentToken token) {
    writer.call(c -> {
      try (PreparedStatement p = c.prepareStatement(
          "INSERT INTO enrolment_tokens (token_hash, client_id, issued_at, expires_at) VALUES (?, ?, ?, ?)")) {
        p.setString(1, token.tokenHash());
        p.setString(2, token.clientId());
        p.setLong(3, token.issuedAt().toEpochMilli());
        p.setLong(4, token.expiresAt().toEpochMilli());
        p.executeUpdate();
      }
      return null;
    });
  }

  @Override
  public boolean enrolmentTokenUsable(String tokenHash, Instant now) {
    return writer.call(c -> {
      try (PreparedStatement p = c.prepareStatement("SELECT 1 FROM enrolment_tokens WHERE token_hash = ? "
          + "AND used_at IS NULL AND expires_at > ?")) {
        p.setString(1, tokenHash);
        p.setLong(2, now.toEpochMilli());
        try (ResultSet r = p.executeQuery()) {
          return r.next();
        }
      }
    });
  }

  @Override
  public Optional<EnrolledClient> redeemEnrolmentToken(String tokenHash, Instant now,
      Function<String, EnrolledClient> enrol) {
    return writer.call(c -> {
      String clientId;
      try (PreparedStatement p = c.prepareStatement("SELECT client_id FROM enrolment_tokens WHERE token_hash = ? "
          + "AND used_at IS NULL AND expires_at > ?")) {
        p.setString(1, tokenHash);
        p.setLong(2, now.toEpochMilli());
        try (ResultSet r = p.executeQuery()) {
          if (!r.next()) {
            return Optional.empty();
          }
          clientId = r.getString(1);
        }
      }
      EnrolledClient client = enrol.apply(clientId); // throws: the writer rolls back, nothing changes
      try (PreparedStatement p = c.prepareStatement(
          "UPDATE enrolment_tokens SET used_at = ? WHERE token_hash = ? AND used_at IS NULL")) {
        p.setLong(1, now.toEpochMilli());
        p.setString(2, tokenHash);
        if (p.executeUpdate() != 1) {
          c.rollback();
          return Optional.empty();
        }
      }
      upsertClient(c, client);
      return Optional.of(client);
    });
  }

  private static void upsertClient(Connection c, EnrolledClient e) throws SQLException {
    try (PreparedStatement p = c.prepareStatement("INSERT INTO enrolled_clients (client_id, certificate_fingerprint, "
        + "bearer_token_hash, enrolled_at, revoked_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (client_id) DO UPDATE SET "
        + "certificate_fingerprint = excluded.certificate_fingerprint, bearer_token_hash = excluded.bearer_token_hash, "
        + "enrolled_at = excluded.enrolled_at, revoked_at = excluded.revoked_at")) {
      p.setString(1, e.clientId());
      p.setString(2, e.certificateFingerprint());
      p.setString(3, e.bearerTokenHash());
      p.setLong(4, e.enrolledAt().toEpochMilli());
      if (e.revokedAt() == null) {
        p.setNull(5, Types.BIGINT);
      } else {
        p.setLong(5, e.revokedAt().toEpochMilli());
      }
      p.executeUpdate();
    }
  }

  @Override
  public Optional<EnrolledClient> clientByCertificateFingerprint(String fingerprint) {
    return clientWhere("certificate_fingerprint = ?", fingerprint);
  }

  @Override
  public Optional<EnrolledClient> clientByBearerTokenHash(String tokenHash) {
    return clientWhere("bearer_token_hash = ?", tokenHash);
  }

  @Override
  public Optional<EnrolledClient> client(String clientId) {
    return clientWhere("client_id = ?", clientId);
  }

  private Optional<EnrolledClient> clientWhere(String condition, String value) {
    return writer.call(c -> {
      try (PreparedStatement p = c.prepareStatement("SELECT client_id, certificate_fingerprint, bearer_token_hash, "
          + "enrolled_at, revoked_at FROM enrolled_clients WHERE " + condition)) {
        p.setString(1, value);
        try (ResultSet r = p.executeQuery()) {
          return r.next() ? Optional.of(client(r)) : Optional.<EnrolledClient>empty();
        }
      }
    });
  }

  @Override
  public List<EnrolledClient> clients() {
    return writer.call(c -> {
      List<EnrolledClient> out = new ArrayList<>();
      try (PreparedStatement p = c.prepareStatement("SELECT client_id, certificate_fingerprint, bearer_token_hash, "
          + "enrolled_at, revoked_at FROM enrolled_clients ORDER BY client_id");
          ResultSet r = p.executeQuery()) {
        while (r.next()) {
          out.add(client(r));
        }
      }
      return out;
    });
  }

  private static EnrolledClient client(ResultSet r) throws SQLException {
    long revoked = r.getLong(5);
    Instant revokedAt = r.wasNull() ? null : Instant.ofEpochMilli(revoked);
    return new EnrolledClient(r.getString(1), r.getString(2), r.getString(3), Instant.ofEpochMilli(r.getLong(4)),
        revokedAt);
  }

  @Override
  public boolean revoke(String clientId, Instant at) {
    return writer.call(c -> {
      try (PreparedStatement p = c.prepareStatement(
          "UPDATE enrolled_clients SET revoked_at = ? WHERE client_id = ? AND revoked_at IS NULL")) {
        p.setLong(1, at.toEpochMilli());
        p.setString(2, clientId);
        return p.executeUpdate() == 1;
      }
    });
  }

  // ---- helpers ---------------------------------------------------------------------------------

  /** NaN is stored as NULL: SQLite turns NaN into NULL anyway, so both databases read back the same. */
  private static void setDouble(PreparedStatement p, int i, double v) throws SQLException {
    if (Double.isNaN(v)) {
      p.setNull(i, Types.DOUBLE);
    } else {
      p.setDouble(i, v);
    }
  }

  private static double nullableDouble(ResultSet r, int i) throws SQLException {
    double v = r.getDouble(i);
    return r.wasNull() ? Double.NaN : v;
  }

  private static void setBytes(PreparedStatement p, int i, byte[] b) throws SQLException {
    if (b == null) {
      p.setNull(i, Types.BINARY);
    } else {
      p.setBytes(i, b);
    }
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException ignored) {
      // already failing
    }
  }

  @Override
  public void close() {
    bodyAppender.shutdown();
    try {
      if (!bodyAppender.awaitTermination(30, TimeUnit.SECONDS)) {
        log.warn("store {}: body appends still running after 30 s; closing anyway", location);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    writer.close();
    bodies.close();
    try {
      connection.close();
    } catch (SQLException e) {
      log.warn("closing the store {}: {}", location, e.toString());
    }
  }

  @Override
  public String toString() {
    return "store " + location;
  }
}
