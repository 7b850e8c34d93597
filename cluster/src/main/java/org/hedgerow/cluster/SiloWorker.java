package org.hedgerow.cluster;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.hedgerow.edge.model.PreferenceModel;
import org.hedgerow.edge.silo.LocalRound;
import org.hedgerow.edge.silo.PreparedSilo;
import org.hedgerow.edge.silo.Silos;
import org.hedgerow.edge.task.SiloData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A silo worker ({@code hedgerow worker}): answers roll calls, receives silos ({@link TrainingData})
 * and assembles each with the silo pipeline ({@link Silos#prepare}), trains them each round
 * ({@link LocalRound}, the same code as {@code hedgerow client}) and, when it leads a region, acts as
 * the region's sub-coordinator: it asks the region's workers (itself included) for their silos'
 * updates and sends one {@link RegionalSum} up. Training runs on its own threads, never on the event loop.
 */
public final class SiloWorker extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(SiloWorker.class);

  /** How long a sub-coordinator waits for a member's updates (training a large silo takes minutes). */
  static final long TRAIN_TIMEOUT_MILLIS = 60L * 60 * 1000;

  private final String name;
  private final int threads;
  private ExecutorService training;
  /** Silos held, per run, by name. */
  private final Map<String, Map<String, HeldSilo>> runs = new ConcurrentHashMap<>();

  /** A silo as this worker holds it: assembled once, its model reused round after round. */
  private record HeldSilo(PreparedSilo silo, PreferenceModel model) {}

  /**
   * @param name this worker's name in the cluster (its Hazelcast address)
   * @param threads silos trained at once (one DL4J thread each)
   */
  public SiloWorker(String name, int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("training threads must be >= 1. Provided value: " + threads);
    }
    this.name = name;
    this.threads = threads;
  }

  @Override
  public Future<?> start() {
    training = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "silo-training");
      t.setDaemon(true);
      return t;
    });
    var bus = vertx.eventBus();
    List<Future<Void>> registered = new ArrayList<>();
    registered.add(bus.<Buffer>consumer(Addresses.ROLL_CALL, this::rollCall).completion());
    registered.add(bus.<Buffer>consumer(Addresses.worker(name, Addresses.ASSIGN), m -> answer(m, this::assign)).completion());
    registered.add(bus.<Buffer>consumer(Addresses.worker(name, Addresses.TRAIN), m -> answer(m, this::train)).completion());
    registered.add(bus.<Buffer>consumer(Addresses.worker(name, Addresses.REGION), this::region).completion());
    registered.add(bus.<Buffer>consumer(Addresses.worker(name, Addresses.RELEASE), m -> {
      String run = Frame.decode(m.body()).header().getString("run");
      Map<String, HeldSilo> dropped = runs.remove(run);
      log.info("worker {}: run {} released ({} silos dropped)", name, run, dropped == null ? 0 : dropped.size());
      m.reply(new Frame(new JsonObject()).encode());
    }).completion());
    return Future.all(registered);
  }

  @Override
  public Future<?> stop() {
    training.shutdownNow();
    runs.clear();
    return Future.succeededFuture();
  }

  private void rollCall(Message<Buffer> m) {
    String reply = Frame.decode(m.body()).header().getString("reply");
    if (reply != null) {
      vertx.eventBus().send(reply, new Frame(new JsonObject().put("worker", name).put("threads", threads)).encode());
    }
  }

  /** Runs {@code work} on the training threads and replies with its frame, or fails the message with its error. */
  private void answer(Message<Buffer> m, java.util.function.Function<Frame, Frame> work) {
    Frame request;
    try {
      request = Frame.decode(m.body());
    } catch (RuntimeException e) {
      m.fail(400, e.getMessage());
      return;
    }
    training.submit(() -> {
      try {
        m.reply(work.apply(request).encode());
      } catch (RuntimeException e) {
        log.warn("worker {}: {}", name, e.getMessage());
        m.fail(500, "worker " + name + ": " + e.getMessage());
      }
    });
  }

  /** Receives silos: each assembled as every silo is ({@link Silos#prepare}); answers their example counts. */
  private Frame assign(Frame request) {
    SiloAssignment a = SiloAssignment.fromJson(request.header().getJsonObject("assignment"));
    JsonArray sizes = request.header().getJsonArray("sizes");
    Map<String, HeldSilo> held = runs.computeIfAbsent(a.run(), k -> new ConcurrentHashMap<>());
    JsonObject examples = new JsonObject();
    int offset = 0;
    for (int i = 0; i < sizes.size(); i++) {
      int n = sizes.getInteger(i);
      SiloData data = TrainingData.decode(request.payload().getBytes(offset, offset + n));
      offset += n;
      PreparedSilo silo = Silos.prepare(a.settings(data.name()), data, a.catalogueSize(), null, a.coPurchase());
      held.put(data.name(), new HeldSilo(silo, new PreferenceModel(a.spec(), silo.settings().seed()
          ^ silo.settings().name().hashCode())));
      examples.put(data.name(), silo.examples().size());
    }
    log.info("worker {}: run {}: holding silos {}", name, a.run(), examples.fieldNames());
    return new Frame(new JsonObject().put("examples", examples));
  }

  /** This worker's silos' updates for a round, in the order asked. */
  private Frame train(Frame request) {
    RoundTask task = RoundTask.fromJson(request.header().getJsonObject("task"));
    List<String> silos = request.header().getJsonArray("silos").stream().map(Object::toString).toList();
    Map<String, HeldSilo> held = runs.get(task.run());
    if (held == null) {
      throw new IllegalStateException("holds no silos of run " + task.run());
    }
    int dimension = request.header().getInteger("dimension");
    float[] global = Frame.floats(request.payload(), 0, dimension);
    List<java.util.concurrent.Future<SiloUpdate>> pending = new ArrayList<>();
    for (String s : silos) {
      HeldSilo h = held.get(s);
      if (h == null) {
        throw new IllegalStateException("holds no silo " + s + " in run " + task.run());
      }
      Callable<SiloUpdate> one = () -> trainOne(h, task, global);
      // This call already runs on a training thread; silos beyond the first share the rest of the pool.
      pending.add(silos.size() == 1 || threads == 1 ? completed(one) : training.submit(one));
    }
    JsonArray meta = new JsonArray();
    Buffer deltas = Buffer.buffer(silos.size() * dimension * 4);
    for (var f : pending) {
      SiloUpdate u;
      try {
        u = f.get();
      } catch (Exception e) {
        throw new IllegalStateException("training failed: " + e.getMessage(), e);
      }
      JsonObject one = new JsonObject().put("silo", u.silo()).put("examples", u.examples()).put("seconds", u.seconds());
      if (Double.isFinite(u.loss())) { // JSON has no NaN: an absent loss is "not reported"
        one.put("loss", u.loss());
      }
      meta.add(one);
      deltas.appendBuffer(Frame.floats(u.delta()));
    }
    return new Frame(new JsonObject().put("updates", meta), deltas);
  }

  private SiloUpdate trainOne(HeldSilo h, RoundTask task, float[] global) {
    synchronized (h) { // one model per silo, not thread-safe
      long t0 = System.nanoTime();
      LocalRound.Update u = LocalRound.train(h.model(), h.silo().examples(), h.silo().settings().name(), global,
          task.localEpochs(), task.batchSize(), task.seed());
      return new SiloUpdate(h.silo().settings().name(), u.examples(), u.loss(), (System.nanoTime() - t0) / 1e9,
          u.delta());
    }
  }

  private static java.util.concurrent.Future<SiloUpdate> completed(Callable<SiloUpdate> c) {
    try {
      return java.util.concurrent.CompletableFuture.completedFuture(c.call());
    } catch (Exception e) {
      return java.util.concurrent.CompletableFuture.failedFuture(e);
    }
  }

  /**
   * As the region's sub-coordinator: asks each member for its silos' updates, sums them
   * ({@link RegionalSum}) and answers the region's one update.
   */
  private void region(Message<Buffer> m) {
    Frame request;
    try {
      request = Frame.decode(m.body());
    } catch (RuntimeException e) {
      m.fail(400, e.getMessage());
      return;
    }
    JsonObject task = request.header().getJsonObject("task");
    int dimension = request.header().getInteger("dimension");
    JsonObject members = request.header().getJsonObject("members"); // worker -> [silos]
    List<Future<Frame>> asked = new ArrayList<>();
    for (String worker : members.fieldNames()) {
      Frame ask = new Frame(new JsonObject().put("task", task).put("dimension", dimension)
          .put("silos", members.getJsonArray(worker)), request.payload());
      asked.add(vertx.eventBus().<Buffer>request(Addresses.worker(worker, Addresses.TRAIN), ask.encode(),
          new DeliveryOptions().setSendTimeout(TRAIN_TIMEOUT_MILLIS)).map(r -> Frame.decode(r.body())));
    }
    Future.all(asked).onComplete(all -> {
      if (all.failed()) {
        m.fail(500, "region led by " + name + ": a member failed: " + all.cause().getMessage());
        return;
      }
      training.submit(() -> {
        try {
          List<SiloUpdate> updates = new ArrayList<>();
          for (Future<Frame> f : asked) {
            Frame r = f.result();
            JsonArray meta = r.header().getJsonArray("updates");
            for (int i = 0; i < meta.size(); i++) {
              JsonObject u = meta.getJsonObject(i);
              updates.add(new SiloUpdate(u.getString("silo"), u.getLong("examples"), u.getDouble("loss", Double.NaN),
                  u.getDouble("seconds"), Frame.floats(r.payload(), i * dimension * 4, dimension)));
            }
          }
          RegionalSum sum = RegionalSum.of(updates, dimension);
          JsonObject h = new JsonObject().put("examples", sum.examples()).put("seconds", sum.seconds())
              .put("silos", sum.silos());
          if (Double.isFinite(sum.loss())) {
            h.put("loss", sum.loss());
          }
          m.reply(new Frame(h, Frame.floats(sum.mean())).encode());
        } catch (RuntimeException e) {
          m.fail(500, "region led by " + name + ": " + e.getMessage());
        }
      });
    });
  }

  /** Silos held for {@code run} (for tests and logs). */
  int held(String run) {
    Map<String, HeldSilo> h = runs.get(run);
    return h == null ? 0 : h.size();
  }

  static Map<String, Long> examples(JsonObject answer) {
    Map<String, Long> out = new LinkedHashMap<>();
    answer.getJsonObject("examples").forEach(e -> out.put(e.getKey(), ((Number) e.getValue()).longValue()));
    return out;
  }
}
