package org.hedgerow.edge.state;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import org.hedgerow.edge.dp.DpConfig;
import org.hedgerow.edge.dp.SiloPrivacy;
import org.hedgerow.edge.dp.SiloRelease;
import org.hedgerow.privacy.budget.PrivacyBudget;
import org.hedgerow.privacy.budget.SignedSpend;
import org.hedgerow.privacy.budget.Spend;
import org.hedgerow.privacy.crypto.Ed25519;
import org.hedgerow.privacy.crypto.Ed25519KeyPair;
import org.hedgerow.privacy.crypto.Hex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A DP silo's state directory: what must survive a crash for its privacy budget to mean anything.
 *
 * <pre>
 * DIR/                 0700, owner-only (refused otherwise)
 *   identity.key       the silo's long-term Ed25519 private key: 32-byte seed in hex, 0600, made once
 *   spends.jsonl       its signed spend log ({@link FileSpendLog}), fsynced on every append
 *   release.bin        its DP release ({@link SiloRelease#toBytes}), replaced atomically
 *   state.lock         held (FileChannel.tryLock) by the one process using the directory
 * </pre>
 *
 * It may be the credentials directory of {@code hedgerow enrol}: the identity key then sits beside
 * the TLS key.
 *
 * <p>{@link #resume} turns it into the silo's {@link SiloPrivacy}: the budget restored from the log
 * (every ε recomputed bit for bit), the saved release reused rather than released and paid for again.
 */
public final class SiloState implements AutoCloseable {
  public static final String IDENTITY_FILE = "identity.key";
  public static final String SPENDS_FILE = "spends.jsonl";
  public static final String RELEASE_FILE = "release.bin";
  public static final String LOCK_FILE = "state.lock";
  private static final Logger log = LoggerFactory.getLogger(SiloState.class);

  private final Path dir;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final Ed25519KeyPair identity;
  private final FileSpendLog spends;

  /** A read-only look at a state directory: its public key and its verified log. */
  public record View(Path dir, byte[] publicKey, List<SignedSpend> entries, int tornBytes) {
    public View {
      publicKey = publicKey.clone();
      entries = List.copyOf(entries);
    }

    @Override
    public byte[] publicKey() {
      return publicKey.clone();
    }
  }

  private SiloState(Path dir, FileChannel lockChannel, FileLock lock, Ed25519KeyPair identity, FileSpendLog spends) {
    this.dir = dir;
    this.lockChannel = lockChannel;
    this.lock = lock;
    this.identity = identity;
    this.spends = spends;
  }

  /**
   * Opens (creating if absent, 0700) the state directory {@code dir} for this process: takes its
   * lock, loads or creates the identity key, and loads the spend log (dropping a torn final line).
   *
   * @throws IllegalStateException if the directory or the key is accessible to group or others, the
   *     directory is in use by another process, or the identity key is missing beside a non-empty log
   * @throws CorruptStateException if the log or the key is damaged
   */
  public static SiloState open(Path dir) {
    StateFiles.ensurePrivateDirectory(dir);
    FileChannel lockChannel = null;
    FileLock lock = null;
    try {
      Path lockFile = dir.resolve(LOCK_FILE);
      lockChannel = FileChannel.open(lockFile, EnumSet.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
          StateFiles.ownerOnly(lockFile, StateFiles.FILE_PERMISSIONS));
      try {
        lock = lockChannel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null; // held by this very JVM
      }
      if (lock == null) {
        throw new IllegalStateException("state directory " + dir + " is in use by another hedgerow process (it holds "
            + lockFile + "); two processes must never share one silo's budget. Stop the other one, or give this one "
            + "its own --state");
      }
      Ed25519KeyPair id = loadOrCreateIdentity(dir);
      FileSpendLog log = FileSpendLog.open(dir.resolve(SPENDS_FILE), id);
      return new SiloState(dir, lockChannel, lock, id, log);
    } catch (IOException e) {
      closeQuietly(lockChannel);
      throw new UncheckedIOException("cannot open the state directory " + dir + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      closeQuietly(lockChannel);
      throw e;
    }
  }

  /**
   * Reads the state directory without changing it or taking its lock (a running silo may hold it):
   * the identity's public key and the log, every line verified. A torn final line is reported, not removed.
   *
   * @throws IllegalStateException if the directory or its key is missing or accessible to group or others
   * @throws CorruptStateException if the log or the key is damaged
   */
  public static View read(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new IllegalStateException("no state directory at " + dir);
    }
    StateFiles.checkOwnerOnly(dir, true);
    Path keyFile = dir.resolve(IDENTITY_FILE);
    if (!Files.exists(keyFile)) {
      throw new IllegalStateException("no " + IDENTITY_FILE + " in " + dir + ": not a silo state directory");
    }
    byte[] pub = readIdentity(keyFile).publicKey();
    FileSpendLog.Loaded l = FileSpendLog.read(dir.resolve(SPENDS_FILE), pub);
    return new View(dir, pub, l.entries(), l.tornBytes());
  }

  /**
   * The silo's identity key in {@code dir} ({@value #IDENTITY_FILE}), created (0600, in a 0700
   * directory) if there is none yet. {@code hedgerow enrol} calls it so the federation CA certifies
   * the same key the silo's state then signs its spends and secure-aggregation messages with.
   */
  public static Ed25519KeyPair loadOrCreateIdentityKey(Path dir) {
    StateFiles.ensurePrivateDirectory(dir);
    try {
      return loadOrCreateIdentity(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the identity key in " + dir + ": " + e.getMessage(), e);
    }
  }

  /** The identity key in {@code dir}, or null if it holds none. */
  public static Ed25519KeyPair identityKeyIn(Path dir) {
    Path keyFile = dir.resolve(IDENTITY_FILE);
    return Files.exists(keyFile) ? readIdentity(keyFile) : null;
  }

  private static Ed25519KeyPair loadOrCreateIdentity(Path dir) throws IOException {
    Path keyFile = dir.resolve(IDENTITY_FILE);
    if (Files.exists(keyFile)) {
      return readIdentity(keyFile);
    }
    Path spendsFile = dir.resolve(SPENDS_FILE);
    if (Files.exists(spendsFile) && Files.size(spendsFile) > 0) {
      throw new IllegalStateException(keyFile + " is missing but " + spendsFile + " holds signed spends: a new key "
          + "could not continue this budget. Restore " + IDENTITY_FILE + " from a backup (or start a new budget "
          + "in a new state directory)");
    }
    Ed25519KeyPair id = Ed25519.generateKeyPair(new SecureRandom());
    // Created owner-only, written, fsynced, renamed into place: never a readable or half-written key.
    StateFiles.writeAtomically(keyFile, (Hex.encode(id.privateKey()) + "\n").getBytes(StandardCharsets.US_ASCII));
    log.info("{}: created the silo's identity key (public {})", keyFile, Hex.encode(id.publicKey()));
    return id;
  }

  /** The key file: 64 hex digits (optionally followed by a newline), or the 32 raw bytes. */
  static Ed25519KeyPair readIdentity(Path keyFile) {
    StateFiles.checkOwnerOnly(keyFile, false);
    byte[] raw;
    try {
      raw = Files.readAllBytes(keyFile);
    } catch (NoSuchFileException e) {
      throw new IllegalStateException("missing " + keyFile, e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + keyFile + ": " + e.getMessage(), e);
    }
    byte[] seed;
    if (raw.length == Ed25519.KEY_BYTES) {
      seed = raw;
    } else {
      String text = new String(raw, StandardCharsets.US_ASCII).strip();
      if (text.length() != 2 * Ed25519.KEY_BYTES) {
        throw new CorruptStateException(keyFile, 0, "not an Ed25519 private key (expected " + 2 * Ed25519.KEY_BYTES
            + " hex digits or " + Ed25519.KEY_BYTES + " raw bytes, found " + raw.length + " bytes)");
      }
      try {
        seed = Hex.decode(text);
      } catch (IllegalArgumentException e) {
        throw new CorruptStateException(keyFile, 0, "not an Ed25519 private key (" + e.getMessage() + ")", e);
      }
    }
    return new Ed25519KeyPair(seed, Ed25519.publicKeyOf(seed));
  }

  public Path dir() {
    return dir;
  }

  public Ed25519KeyPair identity() {
    return identity;
  }

  public FileSpendLog log() {
    return spends;
  }

  /**
   * The release saved by {@link #saveRelease}, or empty if there is none.
   *
   * @throws CorruptStateException if the file is damaged
   */
  public Optional<SiloRelease> savedRelease() {
    Path f = dir.resolve(RELEASE_FILE);
    byte[] b;
    try {
      b = Files.readAllBytes(f);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + f + ": " + e.getMessage(), e);
    }
    try {
      return Optional.of(SiloRelease.fromBytes(b));
    } catch (IllegalArgumentException e) {
      throw new CorruptStateException(f, 0, e.getMessage(), e);
    }
  }

  /** Saves {@code release} durably: temporary file, fsync, atomic rename, fsync of the directory. */
  public void saveRelease(SiloRelease release) {
    StateFiles.writeAtomically(dir.resolve(RELEASE_FILE), release.toBytes());
  }

  /**
   * The silo's privacy state for this run, continuing whatever the directory holds.
   *
   * <ol>
   *   <li>The budget is {@link PrivacyBudget#restore}d from the log: same silo, same cap, same δ
   *       (a cap cannot be raised, nor δ changed, by restarting), every ε recomputed bit for bit.</li>
   *   <li>The release: if the log holds its charges and {@code release.bin} exists, the saved release is
   *       reused (nothing released or charged again). If the file exists but its charges are not in the
   *       log (a crash between the two writes), it is charged now. If neither exists (a fresh silo), a new
   *       one is computed, saved, and only then charged. If the log holds release charges but the file is
   *       gone, a new release is made and charged again while no round was trained (conservative: both are
   *       paid for); after training rounds that is refused, because the model was trained on the lost one.</li>
   *   <li>σ: with {@code calibrate}, recalibrated so that what the budget already holds plus
   *       {@code remainingRounds} rounds fit the cap ({@link DpConfig#calibratedAfter}); otherwise the
   *       configured σ. A round that would still pass the cap is declined by {@link SiloPrivacy#refusal}.</li>
   * </ol>
   * Charges are appended (signed, fsynced) before the release is returned for use.
   *
   * @param config the silo's settings; its σ is used as is unless {@code calibrate}
   * @param remainingRounds rounds still to come (coordinator's target − current round + 1), at least 1
   * @param catalogueSize the catalogue this run uses: a saved release for another catalogue is refused
   * @param newRelease computes a fresh release from the silo's data (called only when one is needed)
   * @throws IllegalStateException if the log belongs to another silo, cap or δ, or the release cannot be
   *     recovered without training on a release other than the one paid for
   */
  public SiloPrivacy resume(String silo, DpConfig config, boolean calibrate, int remainingRounds, int catalogueSize,
      Supplier<SiloRelease> newRelease) {
    Path logFile = spends.file();
    List<Spend> saved = spends.entries().stream().map(SignedSpend::spend).toList();
    checkBudget(silo, config.epsilonCap(), config.delta());
    PrivacyBudget budget;
    try {
      budget = PrivacyBudget.restore(silo, config.epsilonCap(), config.delta(), saved);
    } catch (IllegalArgumentException e) {
      throw new CorruptStateException(logFile, 0, e.getMessage(), e);
    }
    SiloRelease release = null;
    if (config.releases()) {
      release = resumeRelease(budget, catalogueSize, newRelease);
    }
    DpConfig run = config;
    if (calibrate) {
      try {
        run = config.calibratedAfter(budget.events(), Math.max(1, remainingRounds));
      } catch (IllegalArgumentException e) {
        // What is spent already leaves no room for a round: keep the last σ; the refusal path declines.
        double last = budget.spends().isEmpty() ? config.noiseMultiplier()
            : budget.spends().get(budget.spends().size() - 1).noiseMultiplier();
        log.warn("{}: no noise multiplier fits another round under the cap ({}); the next round will be declined",
            silo, e.getMessage());
        run = new DpConfig(last, config.clipNorm(), config.sampleRate(), config.stepsPerRound(),
            config.learningRate(), config.epsilonCap(), config.delta(), config.statsNoiseMultiplier(),
            config.countNoiseMultiplier());
      }
    }
    if (!saved.isEmpty()) {
      log.info("{}: resumed from {}: epsilon {} spent in {} rounds ({} log entries)", silo, dir, budget.epsilon(),
          budget.rounds(), saved.size());
    }
    return new SiloPrivacy(run, budget, spends, release);
  }

  /**
   * Refuses, before anything else happens, a run whose silo name, cap or δ differ from those the
   * log was started with (an empty log accepts any): a budget's cap cannot be raised by restarting.
   *
   * @throws IllegalStateException naming the log's values and how to proceed
   */
  public void checkBudget(String silo, double epsilonCap, double delta) {
    List<SignedSpend> all = spends.entries();
    if (all.isEmpty()) {
      return;
    }
    Spend first = all.get(0).spend();
    if (!first.holder().equals(silo)) {
      throw new IllegalStateException("state directory " + dir + " holds the budget of silo '" + first.holder()
          + "', not '" + silo + "'. Use that silo's name, or another --state for this one");
    }
    if (first.cap() != epsilonCap || first.delta() != delta) {
      throw new IllegalStateException(String.format(Locale.ROOT,
          "%s was started with epsilon cap %s and delta %s; this run asks for cap %s and delta %s. A silo's cap and "
              + "delta cannot change by restarting (a higher cap would spend more than was promised to its "
              + "customers). Restart with --epsilon-cap %s --delta %s, or use a new --state for a new budget",
          spends.file(), first.cap(), first.delta(), epsilonCap, delta, first.cap(), first.delta()));
    }
  }

  private SiloRelease resumeRelease(PrivacyBudget budget, int catalogueSize, Supplier<SiloRelease> newRelease) {
    Path file = dir.resolve(RELEASE_FILE);
    Optional<SiloRelease> onDisk = savedRelease();
    if (onDisk.isPresent() && onDisk.get().catalogueSize() != catalogueSize) {
      throw new IllegalStateException(file + " was made for a catalogue of " + onDisk.get().catalogueSize()
          + " products, this run's has " + catalogueSize + ": the silo must train on the release it paid for. "
          + "Use the catalogue of the first run, or a new --state for a new budget");
    }
    if (onDisk.isPresent()) {
      if (paidFor(budget, onDisk.get())) {
        log.info("{}: reusing the saved release (charged before; nothing released or charged again)", file);
        return onDisk.get();
      }
      if (budget.rounds() > 0) {
        throw new IllegalStateException(file + " is not the release charged in " + spends.file() + ", and rounds "
            + "were trained since: the state directory is inconsistent; restore it from a backup or start a new budget");
      }
      // Saved but not (fully) charged: a crash between the two writes. Pay for it before it is used.
      log.warn("{}: saved release has no charge in the log (a crash between saving and charging); charging it now",
          file);
      charge(budget, onDisk.get());
      return onDisk.get();
    }
    if (!budget.releases().isEmpty() && budget.rounds() > 0) {
      throw new IllegalStateException(file + " is missing, but " + spends.file() + " records " + budget.rounds()
          + " rounds trained on the release it held: a new release would change the silo's features mid-run. "
          + "Restore " + RELEASE_FILE + " from a backup, or start a new budget in a new --state");
    }
    if (!budget.releases().isEmpty()) {
      log.warn("{} is missing though its release was charged; no round was trained, so a new release is made and "
          + "charged too (both count against the cap)", file);
    }
    SiloRelease fresh = newRelease.get();
    if (fresh.catalogueSize() != catalogueSize) {
      throw new IllegalArgumentException("the new release is for " + fresh.catalogueSize() + " products, not "
          + catalogueSize);
    }
    saveRelease(fresh); // saved first: a crash now leaves a release to charge, never a charge-less one in use
    charge(budget, fresh);
    return fresh;
  }

  /** Whether the log's last two releases are this release's charges (statistics, then count, same σs). */
  private static boolean paidFor(PrivacyBudget budget, SiloRelease r) {
    List<Spend> rel = budget.releases();
    if (rel.size() < 2) {
      return false;
    }
    Spend stats = rel.get(rel.size() - 2);
    Spend count = rel.get(rel.size() - 1);
    return stats.mechanism().equals(SiloRelease.STATS_MECHANISM)
        && stats.noiseMultiplier() == r.statsNoiseMultiplier()
        && count.mechanism().equals(SiloRelease.COUNT_MECHANISM)
        && count.noiseMultiplier() == r.countNoiseMultiplier();
  }

  private void charge(PrivacyBudget budget, SiloRelease r) {
    for (Spend s : r.charge(budget)) {
      spends.append(s);
    }
  }

  /** Releases the lock and closes the log. */
  @Override
  public void close() {
    try {
      spends.close();
    } catch (IOException e) {
      log.warn("{}: closing the spend log: {}", dir, e.toString());
    }
    try {
      if (lock.isValid()) {
        lock.release();
      }
    } catch (IOException e) {
      log.warn("{}: releasing the lock: {}", dir, e.toString());
    }
    closeQuietly(lockChannel);
  }

  private static void closeQuietly(FileChannel ch) {
    if (ch != null) {
      try {
        ch.close();
      } catch (IOException ignored) {
        // nothing else to do; the OS releases the lock when the process exits
      }
    }
  }
}
