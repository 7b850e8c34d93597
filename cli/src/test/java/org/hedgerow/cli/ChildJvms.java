package org.hedgerow.cli;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * Child JVMs for the real-process tests (coordinator and silos each in their own process, on this test's
 * class path), each writing {@code NAME.out} and {@code NAME.err} in a directory; {@link #destroyAll} in an
 * {@code @AfterEach}.
 */
final class ChildJvms {
  private final Path dir;
  private final List<Process> children = new ArrayList<>();

  ChildJvms(Path dir) {
    this.dir = dir;
  }

  /** Starts {@code main} with {@code args} as {@code name} (one OpenMP thread, 512 MB heap). */
  Process start(String name, Class<?> main, String... args) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>(List.of(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
        main.getName()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(name + ".out").toFile()))
        .redirectError(ProcessBuilder.Redirect.appendTo(dir.resolve(name + ".err").toFile()));
    pb.environment().put("OMP_NUM_THREADS", "1");
    Process p = pb.start();
    children.add(p);
    return p;
  }

  /** What {@code file} (e.g. {@code coordinator.out}) holds so far ("" before it exists). */
  String text(String file) throws IOException {
    try {
      return Files.readString(dir.resolve(file));
    } catch (NoSuchFileException e) {
      return "";
    }
  }

  /** Polls {@code condition} every 50 ms; fails after {@code seconds} showing the coordinator's output. */
  void await(String what, long seconds, Callable<Boolean> condition) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!condition.call()) {
      if (System.nanoTime() > deadline) {
        fail("timed out after " + seconds + " s waiting for " + what + "; coordinator: " + text("coordinator.out")
            + text("coordinator.err"));
      }
      Thread.sleep(50);
    }
  }

  void destroyAll() throws InterruptedException {
    for (Process p : children) {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
