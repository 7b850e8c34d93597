package org.hedgerow.simulations;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;

/**
 * Peak memory of this JVM. {@link #peakHeapMb} is an upper bound: the sum of each heap pool's own
 * peak, and the pools (eden, survivor, old) need not peak at the same moment. DL4J's native buffers
 * are off heap and not included; the process's peak RSS ({@link #peakRssMb}, VmHWM in
 * {@code /proc/self/status}) covers both and is the figure to quote.
 */
public final class PeakMemory {
  private PeakMemory() {}

  public static long peakHeapMb() {
    long peak = 0;
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP && p.getPeakUsage() != null) {
        peak += p.getPeakUsage().getUsed();
      }
    }
    return peak >> 20;
  }

  /** Peak resident set size of the process in MB, or -1 where /proc is unavailable. */
  public static long peakRssMb() {
    try {
      for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) >> 10;
        }
      }
    } catch (java.io.IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }
}
