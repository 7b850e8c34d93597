package org.hedgerow.cluster;

import java.util.List;

/**
 * How one JVM joins the Hazelcast cluster that carries Vert.x's clustered event bus.
 *
 * @param self this member's Hazelcast address (bound, advertised, no auto-increment)
 * @param busPort the clustered event bus's TCP port on {@code self.host()} (0: a free port the OS
 *     picks; give a fixed one to open it in a firewall)
 * @param join members to contact when joining (TCP-IP join; multicast is off)
 * @param name the cluster name: members of other clusters on the same hosts are refused
 */
public record ClusterOptions(ClusterAddress self, int busPort, List<ClusterAddress> join, String name) {
  /** Default cluster name. */
  public static final String DEFAULT_NAME = "hedgerow";

  public ClusterOptions {
    join = List.copyOf(join);
    if (busPort < 0 || busPort > 65535) {
      throw new IllegalArgumentException("event bus port must be in 0..65535. Provided value: " + busPort);
    }
    if (busPort != 0 && busPort == self.port()) {
      throw new IllegalArgumentException("the event bus port must differ from the cluster (Hazelcast) port "
          + self.port());
    }
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("a cluster needs a name");
    }
  }

  public ClusterOptions(ClusterAddress self, int busPort, List<ClusterAddress> join) {
    this(self, busPort, join, DEFAULT_NAME);
  }
}
