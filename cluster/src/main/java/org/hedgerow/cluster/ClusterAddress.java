package org.hedgerow.cluster;

import java.util.ArrayList;
import java.util.List;

/**
 * A cluster member's Hazelcast address, {@code host:port}. The host must be one this machine (or the
 * member named) can be reached at: Hazelcast binds to it and advertises it to the others.
 */
public record ClusterAddress(String host, int port) {
  public ClusterAddress {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("a cluster address needs a host");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("cluster port must be in 1..65535. Provided value: " + port);
    }
  }

  /** Parses {@code host:port}. */
  public static ClusterAddress parse(String s) {
    String t = s == null ? "" : s.strip();
    int colon = t.lastIndexOf(':');
    if (colon <= 0 || colon == t.length() - 1) {
      throw new IllegalArgumentException("a cluster address is HOST:PORT. Provided value: " + s);
    }
    try {
      return new ClusterAddress(t.substring(0, colon), Integer.parseInt(t.substring(colon + 1)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("a cluster address is HOST:PORT with a numeric port. Provided value: " + s);
    }
  }

  /** Parses a comma-separated list of {@code host:port} (empty or null: none). */
  public static List<ClusterAddress> parseList(String s) {
    List<ClusterAddress> out = new ArrayList<>();
    if (s == null || s.isBlank()) {
      return out;
    }
    for (String part : s.split(",")) {
      if (!part.isBlank()) {
        out.add(parse(part));
      }
    }
    return out;
  }

  @Override
  public String toString() {
    return host + ":" + port;
  }
}
