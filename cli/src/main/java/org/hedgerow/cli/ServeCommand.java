package org.hedgerow.cli;

import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.hedgerow.aggregation.model.ModelSpec;
import org.hedgerow.edge.client.ClientCredentials;
import org.hedgerow.edge.client.CoordinatorClient;
import org.hedgerow.edge.data.EventWeights;
import org.hedgerow.edge.data.EventLogLoader;
import org.hedgerow.edge.data.LogFormat;
import org.hedgerow.edge.data.RetailLogLoader;
import org.hedgerow.edge.serve.Recommender;
import org.hedgerow.edge.serve.ServeOptions;
import org.hedgerow.edge.serve.ServeStore;
import org.hedgerow.edge.serve.ServeVerticle;
import org.hedgerow.edge.serve.ServingModel;
import org.hedgerow.edge.serve.SlatePolicy;
import org.hedgerow.edge.task.Catalogue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code hedgerow serve}: a silo's recommendation service over its own data and the global model. */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = "Serve recommendations from this silo's log and the global model; take events, consent and "
        + "erasure requests (docs/serving.md). Runs until SIGTERM.")
public class ServeCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec commandSpec;

  @Option(names = "--data", required = true, description = "This silo's behaviour log (see --format; may be .gz).")
  Path data;

  @Mixin LogFormatOptions format;

  @Option(names = "--port", required = true, description = "Port to listen on (0: any free port, printed).")
  int port;

  @Option(names = "--host", defaultValue = ServeOptions.DEFAULT_HOST, description = "Interface (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--store", defaultValue = "serve.db", description = "The service's SQLite store: events, consent, "
      + "erasures (default: ${DEFAULT-VALUE}). Give the same file to 'client --serve-store'.")
  Path store;

  @Option(names = "--model", description = "A global model file ('client --save-model').")
  Path model;

  @Option(names = "--coordinator", description = "Fetch the latest global model from this coordinator instead.")
  URI coordinator;

  @Option(names = "--credentials", description = "With --coordinator https://…: the silo's credentials from 'hedgerow enrol'.")
  Path credentials;

  @Option(names = "--catalogue", description = "The shop's product list (CSV, 'stock_code' first); default: every "
      + "product in the log and the store.")
  Path catalogue;

  @Option(names = "--token-file", description = "File holding the bearer token the shop's apps send (>= 16 characters); "
      + "required unless --host is a loopback address.")
  Path tokenFile;

  @Option(names = "--tls-cert", description = "PEM certificate (chain) to serve HTTPS.") Path tlsCert;
  @Option(names = "--tls-key", description = "PEM private key of --tls-cert.") Path tlsKey;
  @Option(names = "--client-ca", description = "PEM CA: require client certificates it issued (mutual TLS).") Path clientCa;

  @Option(names = "--epsilon", defaultValue = "" + SlatePolicy.DEFAULT_EPSILON,
      description = "Exploration: probability that each slot shows a random product (default: ${DEFAULT-VALUE}).")
  double epsilon;

  @Option(names = "--neighbour-weight", defaultValue = "" + SlatePolicy.DEFAULT_NEIGHBOUR_WEIGHT,
      description = "Boost of products bought by similar customers (default: ${DEFAULT-VALUE}).")
  double neighbourWeight;

  @Override
  public Integer call() throws Exception {
    LogFormat logFormat = format.logFormat();
    ServeOptions options;
    SlatePolicy policy;
    try {
      String token = tokenFile == null ? null : Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
      if (token == null && !InetAddress.getByName(host).isLoopbackAddress()) {
        throw new IllegalArgumentException("serving on " + host + " needs --token-file: the API holds customers' "
            + "data and takes erasure requests");
      }
      options = new ServeOptions(host, port, token, tlsCert, tlsKey, clientCa, ServeOptions.DEFAULT_MAX_K,
          ServeOptions.DEFAULT_MAX_BATCH);
      policy = new SlatePolicy(epsilon, neighbourWeight);
      if (model != null && coordinator != null) {
        throw new IllegalArgumentException("give either --model FILE or --coordinator URL, not both");
      }
    } catch (IllegalArgumentException | java.io.IOException e) {
      throw new picocli.CommandLine.ParameterException(commandSpec.commandLine(), e.getMessage());
    }
    ServingModel global = model != null ? ServingModel.read(model) : coordinator != null ? fetch() : null;
    if (global == null) {
      System.out.println("note: no --model or --coordinator: ranking with the repeat baseline (no global model)");
    }
    Catalogue declared = catalogue == null ? null : Catalogue.load(catalogue);
    RetailLogLoader.Result log = logFormat.load(data);
    System.out.println("log " + data + ": " + log.report());
    ServeStore st = ServeStore.open(store);
    Recommender recommender = new Recommender(log.lines(), st, global, declared, policy);
    EventWeights weights = logFormat instanceof EventLogLoader e ? e.weights() : EventWeights.DEFAULT;
    Vertx vertx = Vertx.vertx();
    ServeVerticle verticle = new ServeVerticle(recommender, weights, options);
    vertx.deployVerticle(verticle).await(60, TimeUnit.SECONDS);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        vertx.close().await(10, TimeUnit.SECONDS);
      } catch (Exception ignored) {
        // exiting anyway; every acknowledged write is already committed
      }
      st.close();
      stopped.countDown();
    }, "serve-shutdown"));
    System.out.printf("serving on %s://%s:%d (model %s, %d customers, %d products, store %s, epsilon %s)%n",
        options.tls() ? "https" : "http", host, verticle.port(), recommender.snapshot().modelVersion(),
        recommender.customers(), recommender.snapshot().catalogue().size(), store, policy.epsilon());
    stopped.await();
    return 0;
  }

  private ServingModel fetch() throws Exception {
    CoordinatorClient cc = credentials == null ? new CoordinatorClient(coordinator)
        : new CoordinatorClient(coordinator, 8, ClientCredentials.load(credentials).sslContext());
    if (coordinator.getScheme().equals("https") && credentials == null) {
      throw new picocli.CommandLine.ParameterException(commandSpec.commandLine(),
          "an https coordinator needs --credentials DIR (from 'hedgerow enrol')");
    }
    ModelSpec spec = ClientCommand.specFrom(cc.modelInfo());
    CoordinatorClient.GlobalModel g = cc.model(spec.parameterCount());
    System.out.printf("global model version %d fetched from %s%n", g.version(), coordinator);
    return new ServingModel(Integer.toString(g.version()), spec, g.parameters());
  }
}
