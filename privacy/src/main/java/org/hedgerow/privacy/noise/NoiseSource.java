package org.hedgerow.privacy.noise;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where every DP mechanism, sampler and stochastic rounder gets its randomness: a fresh
 * {@link SecureRandom} (always, in production), or — for research runs that must be replayed bit
 * for bit — a deterministic stream derived from one seed ({@code simulate --deterministic-noise SEED}).
 *
 * <p>A deterministic run is <b>not a privacy guarantee</b>: anyone who knows the seed can subtract
 * the noise. That is why it is a scope opened by the simulator only; {@code hedgerow client} and
 * {@code coordinator start} refuse it, and every output of such a run carries {@link #WARNING}.
 *
 * <p>Reproducibility with threads: a stream is named by the calling thread's context (e.g. the silo
 * or device it works for, set with {@link #context}) and a purpose, plus a counter of how many
 * streams of that name were handed out before. Work for one silo runs on one thread at a time, so
 * every name's sequence of requests — and hence every stream — is the same in every run,
 * whatever the interleaving of silos.
 */
public final class NoiseSource {
  /** The mark on every output of a run that used deterministic noise. */
  public static final String WARNING = "deterministic noise — research only, not a privacy guarantee";

  private static volatile Deterministic installed;
  private static final ThreadLocal<String> CONTEXT = ThreadLocal.withInitial(() -> "");

  private NoiseSource() {}

  /**
   * A randomness source for {@code purpose}: a new {@link SecureRandom}, or under a deterministic
   * scope the next stream of that name.
   */
  public static SecureRandom random(String purpose) {
    Deterministic d = installed;
    return d == null ? new SecureRandom() : d.next(CONTEXT.get() + "|" + purpose);
  }

  /** The seed of the deterministic scope in force, if any. */
  public static Optional<Long> deterministicSeed() {
    Deterministic d = installed;
    return d == null ? Optional.empty() : Optional.of(d.seed);
  }

  /** Whether noise is deterministic right now (then nothing released is private). */
  public static boolean isDeterministic() {
    return installed != null;
  }

  /**
   * Makes every noise source in this JVM deterministic under {@code seed} until the scope is closed.
   * Research only: never call it in a process that serves a real federation.
   *
   * @throws IllegalStateException if a deterministic scope is already open
   */
  public static Scope deterministic(long seed) {
    synchronized (NoiseSource.class) {
      if (installed != null) {
        throw new IllegalStateException("a deterministic-noise scope (seed " + installed.seed + ") is already open");
      }
      installed = new Deterministic(seed);
    }
    return () -> {
      synchronized (NoiseSource.class) {
        installed = null;
      }
    };
  }

  /**
   * Names the work done on this thread until the scope is closed (a silo, a device and round), so
   * that deterministic streams do not depend on which thread asked first. Scopes nest.
   */
  public static Scope context(String name) {
    String previous = CONTEXT.get();
    CONTEXT.set(previous.isEmpty() ? name : previous + "/" + name);
    return () -> CONTEXT.set(previous);
  }

  /** A scope that closes without checked exceptions. */
  public interface Scope extends AutoCloseable {
    @Override
    void close();
  }

  /** The seed and how many streams of each name it has handed out. */
  private static final class Deterministic {
    final long seed;
    final ConcurrentHashMap<String, AtomicLong> issued = new ConcurrentHashMap<>();

    Deterministic(long seed) {
      this.seed = seed;
    }

    SecureRandom next(String name) {
      long n = issued.computeIfAbsent(name, k -> new AtomicLong()).getAndIncrement();
      try {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update("hedgerow deterministic noise v1".getBytes(StandardCharsets.UTF_8));
        sha.update(java.nio.ByteBuffer.allocate(16).putLong(seed).putLong(n).array());
        sha.update(name.getBytes(StandardCharsets.UTF_8));
        return new DeterministicSecureRandom(sha.digest());
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("SHA-256 is not available", e);
      }
    }
  }
}
