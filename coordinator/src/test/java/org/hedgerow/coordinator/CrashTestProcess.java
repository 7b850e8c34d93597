package org.hedgerow.coordinator;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link CrashTestCoordinatorMain} child process as a service (TLS off) on one store and one fixed
 * port, so that clients find it again after a restart. Reads the child's event lines ({@code PORT},
 * {@code CLOSED r}, {@code FINISHED}) on a daemon thread.
 */
final class CrashTestProcess implements AutoCloseable {
  /**
   * JIT and GC settings for a quick start: the child's start is most of these tests' run time, and
   * C1 alone starts this server about twice as fast on a loaded machine as the default tiered JIT.
   */
  static final List<String> FAST_START = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto");

  private final Path db;
  private final Path stateDir;
  private final Path log;
  private final int rounds;
  private final int clients;
  private final long seed;
  private final int port;
  private final AtomicInteger closedRounds = new AtomicInteger();
  private volatile boolean finished;
  private Process process;
  private int starts;

  CrashTestProcess(Path db, Path stateDir, Path log, int rounds, int clients, long seed) throws IOException {
    this.db = db;
    this.stateDir = stateDir;
    this.log = log;
    this.rounds = rounds;
    this.clients = clients;
    this.seed = seed;
    this.port = freePort();
  }

  /** A port free now on loopback; the child binds it with SO_REUSEADDR (Vert.x's default) on every start. */
  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  URI base() {
    return URI.create("http://127.0.0.1:" + port);
  }

  /** Starts the child and waits until it listens. */
  void start() throws IOException, InterruptedException {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException("the coordinator child is still running (pid " + process.pid() + ")");
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>(List.of(java));
    cmd.addAll(FAST_START);
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), CrashTestCoordinatorMain.class.getName(),
        db.toString(), Integer.toString(rounds), Integer.toString(clients), Long.toString(seed),
        Integer.toString(port), stateDir.toString()));
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    process = p;
    starts++;
    CompletableFuture<Void> ready = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = out.readLine()) != null) {
          if (line.startsWith("PORT ")) {
            ready.complete(null);
          } else if (line.startsWith("CLOSED ")) {
            int r = Integer.parseInt(line.substring(7).trim());
            closedRounds.accumulateAndGet(r, Math::max);
          } else if (line.equals("FINISHED")) {
            finished = true;
          }
        }
      } catch (IOException | RuntimeException e) {
        // the child died: the pipe closes
      }
      ready.completeExceptionally(new IllegalStateException("coordinator child exited before listening; see " + log));
    }, "crash-test-child-reader");
    reader.setDaemon(true);
    reader.start();
    try {
      ready.get(60, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("coordinator child did not listen within 60 s; see " + log, e);
    }
  }

  /** {@code kill -9}: no shutdown hook, no flush. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      throw new IllegalStateException("coordinator child survived SIGKILL for 10 s");
    }
  }

  /**
   * SIGTERM: the child's graceful shutdown drains requests in flight and closes the store.
   *
   * @return the child's exit status
   */
  int terminate(long timeoutSeconds) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      throw new IllegalStateException("coordinator child did not stop within " + timeoutSeconds + " s of SIGTERM");
    }
    return process.exitValue();
  }

  /** Highest round the child reported closed, over all its starts. */
  int closedRounds() {
    return closedRounds.get();
  }

  /** True once a child reported the federation finished. */
  boolean finished() {
    return finished;
  }

  /** How many times the child was started. */
  int starts() {
    return starts;
  }

  @Override
  public void close() throws InterruptedException {
    if (process != null) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
