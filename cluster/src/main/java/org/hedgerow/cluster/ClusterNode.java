package org.hedgerow.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Starts a clustered Vert.x on Hazelcast configured for explicit networks: TCP-IP join to the given
 * members only (multicast and cloud auto-detection off), bound to the given interface and port (no
 * auto-increment, no wildcard bind), no phone-home, and no Hazelcast shutdown hook (the caller closes
 * Vert.x, which leaves the cluster cleanly). The event bus listens on the same host.
 */
public final class ClusterNode {
  private ClusterNode() {}

  /** How long joining may take before it is given up. */
  public static final long JOIN_TIMEOUT_SECONDS = 120;

  /** The Hazelcast configuration for {@code options}: Vert.x's defaults (its subscription maps) plus the network. */
  static Config hazelcastConfig(ClusterOptions options) {
    Config config = ConfigUtil.loadConfig();
    config.setClusterName(options.name());
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.shutdownhook.enabled", "false");
    config.setProperty("hazelcast.socket.bind.any", "false");
    config.setProperty("hazelcast.logging.type", "slf4j");
    NetworkConfig net = config.getNetworkConfig();
    net.setPort(options.self().port()).setPortAutoIncrement(false);
    net.getInterfaces().setEnabled(true).setInterfaces(List.of(ip(options.self().host())));
    JoinConfig join = net.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(options.join().stream().map(ClusterAddress::toString).toList());
    return config;
  }

  /** Joins (or founds) the cluster; blocks until this member is in it. */
  public static Vertx join(ClusterOptions options) {
    // Hazelcast reads its logger before any configuration: one logging system (slf4j) for every line.
    if (System.getProperty("hazelcast.logging.type") == null) {
      System.setProperty("hazelcast.logging.type", "slf4j");
    }
    Config config = hazelcastConfig(options);
    EventBusOptions bus = new EventBusOptions().setHost(options.self().host()).setPort(options.busPort())
        .setClusterPublicHost(options.self().host());
    try {
      return Vertx.builder().with(new VertxOptions().setEventBusOptions(bus))
          .withClusterManager(new HazelcastClusterManager(config)).buildClustered()
          .await(JOIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("could not join the cluster as " + options.self() + " within "
          + JOIN_TIMEOUT_SECONDS + " s (members tried: " + options.join() + ")");
    } catch (Exception e) {
      throw new IllegalStateException("could not join the cluster as " + options.self() + ": " + e.getMessage(), e);
    }
  }

  /** Hazelcast binds to interfaces by IP address. */
  private static String ip(String host) {
    try {
      return InetAddress.getByName(host).getHostAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("unknown cluster host: " + host);
    }
  }
}
