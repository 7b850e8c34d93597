package org.hedgerow.cli;

import io.vertx.core.Vertx;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.hedgerow.cluster.ClusterAddress;
import org.hedgerow.cluster.ClusterNode;
import org.hedgerow.cluster.ClusterOptions;
import org.hedgerow.cluster.SiloWorker;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code hedgerow worker}: joins a cluster over Vert.x's clustered event bus (Hazelcast, TCP-IP join)
 * and trains the silos a clustered simulation ({@code simulate --cluster}) sends it, until SIGTERM.
 */
@Command(name = "worker", mixinStandardHelpOptions = true,
    description = {"Join a cluster of silo workers and train the silos 'simulate --cluster' sends (docs/cluster.md).",
        "Runs until SIGTERM (or Ctrl-C), then leaves the cluster cleanly."})
public class WorkerCommand implements Callable<Integer> {
  @Option(names = "--cluster-host", required = true, description = "Address to bind and advertise (an address the "
      + "other members can reach; 127.0.0.1 for a single machine).")
  String host;

  @Option(names = "--cluster-port", required = true, description = "Hazelcast port of this member (TCP).")
  int port;

  @Option(names = "--join", description = "Members to join, HOST:PORT[,HOST:PORT...] (TCP-IP join; no multicast). "
      + "Omit on the first member.")
  String join;

  @Option(names = "--bus-port", defaultValue = "0", description = "Event-bus port (TCP; default 0: any free port; "
      + "fix it to open it in a firewall).")
  int busPort;

  @Option(names = "--training-threads", defaultValue = "1", description = "Silos trained at once (one DL4J thread "
      + "each; default ${DEFAULT-VALUE}).")
  int threads;

  /**
   * Silences Hazelcast's start-up warning that its CP subsystem is off (Vert.x uses no CP structures),
   * unless the user set that logger's level; its other warnings (members lost, connections refused) stay.
   */
  static void quietCpSubsystemWarning() {
    String key = "org.slf4j.simpleLogger.log.com.hazelcast.cp.CPSubsystem";
    if (System.getProperty(key) == null) {
      System.setProperty(key, "error");
    }
  }

  @Override
  public Integer call() throws Exception {
    quietCpSubsystemWarning();
    ClusterOptions options = new ClusterOptions(new ClusterAddress(host, port), busPort, ClusterAddress.parseList(join));
    Vertx vertx = ClusterNode.join(options);
    String name = options.self().toString();
    vertx.deployVerticle(new SiloWorker(name, threads)).await(60, TimeUnit.SECONDS);
    CountDownLatch left = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      // SIGTERM: leave the cluster before the JVM ends, so the others drop this member at once.
      System.out.println("worker " + name + ": leaving the cluster");
      try {
        vertx.close().await(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        System.err.println("worker " + name + ": " + e.getMessage());
      }
      System.out.println("worker " + name + ": left");
      System.out.flush();
      left.countDown();
    }, "worker-shutdown"));
    System.out.println("worker " + name + " joined cluster '" + options.name() + "' (event bus on "
        + host + (busPort == 0 ? ", any port" : ":" + busPort) + "); waiting for silos");
    System.out.flush();
    left.await();
    return 0;
  }
}
