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
import java.util.concurrent.TimeUnit;
import java.security.SecureRandom;
import java.util.Base64;
import org.hedgerow.aggregation.secagg.ClientRoster;
import org.hedgerow.aggregation.wire.SpendJson;
import org.hedgerow.edge.dp.InMemorySpendLog;
import org.hedgerow.edge.dp.ModelGradients;
import org.hedgerow.edge.dp.SiloPrivacy;
import org.hedgerow.edge.dp.SiloRelease;
import org.hedgerow.edge.dp.UserLevelDpTrainer;
import org.hedgerow.edge.silo.SiloSettings;
import org.hedgerow.privacy.crypto.Ed25519;
import org.hedgerow.privacy.crypto.Ed25519KeyPair;
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

  /** Secure-aggregation rounds in progress, by run and round ({@link #maskingKey}). */
  private final Map<String, SiloMasking> masking = new ConcurrentHashMap<>();
  /** Runs a region's secure-aggregation server: blocking, and never on a training thread it waits for. */
  private ExecutorService regionCoordination;

  /**
   * A silo as this worker holds it: assembled once, its model reused round after round; its identity
   * key signs its secure-aggregation messages (generated here, for the run's lifetime).
   */
  private record HeldSilo(PreparedSilo silo, PreferenceModel model, Ed25519KeyPair identity, SiloPrivacy privacy,
      PreferenceModel dpModel) {}

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
    regionCoordination = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "region-secure-sum");
      t.setDaemon(true);
      return t;
    });
    var bus = vertx.eventBus();
    List<Future<Void>> registered = new ArrayList<>();
    registered.add(bus.<Buffer>consumer(Addresses.ROLL_CALL, this::rollCall).completion());
    registered.add(bus.<Buffer>consumer(Addresses.worker(name, Addresses.ASSIGN), m -> answer(m, this::assign)).completion());
    registered.add(bus.<Buffer>consumer(Addresses.worker(name, Addresses.TRAIN), m -> answer(m, this::train)).completion());
    registered.add(bus.<Buffer>consumer(Addresses.worker(name, Addresses.REGION), this::region).completion());
    registered.add(bus.<Buffer>consumer(Addresses.worker(name, Addresses.SECAGG), m -> answer(m, this::secAggStage))
        .completion());
    registered.add(bus.<Buffer>consumer(Addresses.worker(name, Addresses.SPENDS), m -> answer(m, this::spends))
        .completion());
    registered.add(bus.<Buffer>consumer(Addresses.worker(name, Addresses.RELEASE), m -> {
      String run = Frame.decode(m.body()).header().getString("run");
      Map<String, HeldSilo> dropped = runs.remove(run);
      masking.keySet().removeIf(k -> k.startsWith(run + "/"));
      log.info("worker {}: run {} released ({} silos dropped)", name, run, dropped == null ? 0 : dropped.size());
      m.reply(new Frame(new JsonObject()).encode());
    }).completion());
    return Future.all(registered);
  }

  @Override
  public Future<?> stop() {
    training.shutdownNow();
    regionCoordination.shutdownNow();
    runs.clear();
    masking.clear();
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
    Integer releasesAt = request.header().getInteger("releases_at");
    if ((a.dp() != null) != (releasesAt != null)) {
      throw new IllegalArgumentException("DP silos come with their releases, and only DP silos do");
    }
    List<byte[]> releases = releasesAt == null ? List.of()
        : Frame.blobs(request.payload().getBuffer(releasesAt, request.payload().length()));
    if (releasesAt != null && releases.size() != sizes.size()) {
      throw new IllegalArgumentException(releases.size() + " releases for " + sizes.size() + " DP silos");
    }
    Map<String, HeldSilo> held = runs.computeIfAbsent(a.run(), k -> new ConcurrentHashMap<>());
    JsonObject examples = new JsonObject();
    int offset = 0;
    for (int i = 0; i < sizes.size(); i++) {
      int n = sizes.getInteger(i);
      SiloData data = TrainingData.decode(request.payload().getBytes(offset, offset + n));
      offset += n;
      SiloSettings settings = a.settings(data.name());
      SiloRelease release = releasesAt == null ? null : SiloRelease.fromBytes(releases.get(i));
      PreparedSilo silo = Silos.prepare(settings, data, a.catalogueSize(), release, a.coPurchase());
      // A DP silo's budget lives here, with its training: charged with its release now, before any round.
      SiloPrivacy privacy = release == null ? null : Silos.privacy(settings, new InMemorySpendLog(), release);
      long seed = silo.settings().seed() ^ silo.settings().name().hashCode();
      held.put(data.name(), new HeldSilo(silo, new PreferenceModel(a.spec(), seed),
          Ed25519.generateKeyPair(new SecureRandom()), privacy,
          privacy == null ? null : new PreferenceModel(a.spec().withoutDropout(), seed)));
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
    JsonObject secure = request.header().getJsonObject("secure");
    if (secure != null) {
      return encodeForSecureSum(task, SessionTerms.fromJson(secure), held, pending);
    }
    JsonArray meta = new JsonArray();
    Buffer deltas = Buffer.buffer(silos.size() * dimension * 4);
    for (var f : pending) {
      SiloUpdate u = trained(f);
      if (u.declined() != null) {
        meta.add(new JsonObject().put("silo", u.silo()).put("declined", u.declined()));
        continue;
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

  /**
   * Under secure aggregation a member keeps its silos' updates: each is encoded for the region's
   * session and held until masked; the answer names only each silo's identity key and the members'
   * summed training time, not an update, an example count or a loss.
   */
  private Frame encodeForSecureSum(RoundTask task, SessionTerms terms, Map<String, HeldSilo> held,
      List<java.util.concurrent.Future<SiloUpdate>> pending) {
    SiloMasking round = new SiloMasking();
    JsonObject keys = new JsonObject();
    JsonObject declined = new JsonObject();
    double seconds = 0;
    for (var f : pending) {
      SiloUpdate u = trained(f);
      if (u.declined() != null) {
        declined.put(u.silo(), u.declined());
        continue;
      }
      HeldSilo h = held.get(u.silo());
      round.hold(u.silo(), h.identity(), terms.encoding().encode(u.delta(), u.examples()));
      keys.put(u.silo(), Base64.getEncoder().encodeToString(h.identity().publicKey()));
      seconds += u.seconds();
    }
    masking.put(maskingKey(task.run(), task.round()), round);
    return new Frame(new JsonObject().put("keys", keys).put("seconds", seconds).put("declined", declined));
  }

  private static String maskingKey(String run, int round) {
    return run + "/" + round;
  }

  /** One secure-aggregation stage for this worker's silos ({@link SiloMasking}), relayed by the region's leader. */
  private Frame secAggStage(Frame request) {
    JsonObject h = request.header();
    String key = maskingKey(h.getString("run"), h.getInteger("round"));
    SiloMasking round = masking.get(key);
    if (round == null) {
      throw new IllegalStateException("holds no encoded updates for run " + h.getString("run") + " round "
          + h.getInteger("round"));
    }
    List<String> silos = h.getJsonArray("silos").stream().map(Object::toString).toList();
    List<byte[]> relayed = Frame.blobs(request.payload());
    List<byte[]> answers = switch (h.getString("stage")) {
      case "advertise" -> {
        List<byte[]> roster = new ArrayList<>();
        h.getJsonArray("roster").forEach(k -> roster.add(Base64.getDecoder().decode((String) k)));
        Map<String, Integer> ids = new LinkedHashMap<>();
        for (String s : silos) {
          ids.put(s, h.getJsonObject("ids").getInteger(s));
        }
        yield round.advertise(SessionTerms.fromJson(h.getJsonObject("terms")), new ClientRoster(roster), ids);
      }
      case "share-keys" -> round.shareKeys(silos, relayed);
      case "masked-input" -> round.maskInput(silos, relayed);
      case "consistency" -> round.confirmSurvivors(silos, single(relayed));
      case "unmask" -> {
        List<byte[]> out = round.unmask(silos, single(relayed));
        masking.remove(key); // nothing of the round is needed after the last stage
        yield out;
      }
      default -> throw new IllegalArgumentException("unknown secure-aggregation stage '" + h.getString("stage") + "'");
    };
    return new Frame(new JsonObject(), Frame.blobs(answers));
  }

  /** The one message a stage relays to all silos alike (the survivor list, the signatures). */
  private static byte[] single(List<byte[]> relayed) {
    if (relayed.isEmpty()) {
      throw new IllegalArgumentException("the stage relayed no message");
    }
    return relayed.get(0);
  }

  private SiloUpdate trainOne(HeldSilo h, RoundTask task, float[] global) {
    synchronized (h) { // one model per silo, not thread-safe
      if (h.privacy() != null) {
        return trainPrivately(h, task, global);
      }
      long t0 = System.nanoTime();
      LocalRound.Update u = LocalRound.train(h.model(), h.silo().examples(), h.silo().settings().name(), global,
          task.localEpochs(), task.batchSize(), task.seed());
      return new SiloUpdate(h.silo().settings().name(), u.examples(), u.loss(), (System.nanoTime() - t0) / 1e9,
          u.delta());
    }
  }

  /**
   * A DP silo's round, as {@code hedgerow client} runs it ({@code EdgeClient}): the round is charged to
   * the silo's budget before the update exists (or declined when the budget would not cover it), then
   * user-level DP-SGD from the global model. The FedAvg weight is the DP customer count; the loss and
   * the training time are functions of the raw data and are not released.
   */
  private SiloUpdate trainPrivately(HeldSilo h, RoundTask task, float[] global) {
    String silo = h.silo().settings().name();
    SiloPrivacy dp = h.privacy();
    java.util.Optional<String> refusal = dp.refusal(task.round());
    if (refusal.isPresent()) {
      log.warn("worker {}: {}", name, refusal.get());
      return SiloUpdate.declined(silo, refusal.get());
    }
    dp.chargeRound(task.round());
    // The DP customer count (post-processing of the release): the trainer's denominator and the FedAvg weight.
    double customers = dp.customerCount(h.silo().examples().customers());
    UserLevelDpTrainer.Result r = new UserLevelDpTrainer(dp.config(), new ModelGradients(h.dpModel(),
        h.silo().examples()), customers).train(global);
    float[] local = r.parameters();
    float[] delta = new float[local.length];
    for (int i = 0; i < local.length; i++) {
      delta[i] = local[i] - global[i];
    }
    long weight = Math.max(1, Math.round(customers));
    return new SiloUpdate(silo, weight, Double.NaN, 0, delta);
  }

  /** The signed spends of each DP silo this worker holds for a run (its budget's whole log). */
  private Frame spends(Frame request) {
    String run = request.header().getString("run");
    Map<String, HeldSilo> held = runs.get(run);
    if (held == null) {
      throw new IllegalStateException("holds no silos of run " + run);
    }
    JsonObject out = new JsonObject();
    held.forEach((silo, h) -> {
      if (h.privacy() != null) {
        out.put(silo, SpendJson.batch(h.privacy().log().entries()));
      }
    });
    return new Frame(new JsonObject().put("spends", out));
  }

  private static SiloUpdate trained(java.util.concurrent.Future<SiloUpdate> f) {
    try {
      return f.get();
    } catch (Exception e) {
      throw new IllegalStateException("training failed: " + e.getMessage(), e);
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
    JsonObject secure = request.header().getJsonObject("secure");
    if (secure != null) {
      regionSecurely(m, RoundTask.fromJson(task), dimension, members, request.payload(), secure);
      return;
    }
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
            int at = 0;
            for (int i = 0; i < meta.size(); i++) {
              JsonObject u = meta.getJsonObject(i);
              if (u.containsKey("declined")) {
                continue; // a DP silo whose budget would not cover the round: not in the region's sum
              }
              updates.add(new SiloUpdate(u.getString("silo"), u.getLong("examples"), u.getDouble("loss", Double.NaN),
                  u.getDouble("seconds"), Frame.floats(r.payload(), at++ * dimension * 4, dimension)));
            }
          }
          if (updates.isEmpty()) {
            throw new IllegalStateException("no silo updates in round " + RoundTask.fromJson(task).round()
                + ": every DP silo of the region declined it (its budget would not cover the round)");
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

  /**
   * As the region's sub-coordinator under secure aggregation ({@link RegionalSecureSum}): the answer is
   * the region's decoded sum — mean and weight — with no silo's own update ever seen here.
   */
  private void regionSecurely(Message<Buffer> m, RoundTask task, int dimension, JsonObject members, Buffer global,
      JsonObject secure) {
    Map<String, List<String>> assignment = new LinkedHashMap<>();
    members.forEach(e -> assignment.put(e.getKey(), ((JsonArray) e.getValue()).stream().map(Object::toString).toList()));
    regionCoordination.submit(() -> {
      try {
        RegionalSecureSum.Result r = new RegionalSecureSum(this::askAll).run(assignment, task, dimension, global,
            secure.getString("session"), secure.getDouble("clip"));
        log.info("worker {}: region round {} summed securely ({} silos)", name, task.round(), r.silos());
        m.reply(new Frame(new JsonObject().put("examples", r.weight()).put("seconds", r.seconds())
            .put("silos", r.silos()).put("secure", true), Frame.floats(r.mean())).encode());
      } catch (RuntimeException e) {
        log.warn("worker {}: secure region round {} failed: {}", name, task.round(), e.getMessage());
        m.fail(500, "region led by " + name + " (secure aggregation): " + e.getMessage());
      }
    });
  }

  /** Sends each member its request and waits for all answers (from the region-coordination thread). */
  private Map<String, Frame> askAll(String verb, Map<String, Frame> requests) {
    Map<String, Future<Frame>> pending = new LinkedHashMap<>();
    requests.forEach((worker, f) -> pending.put(worker, vertx.eventBus().<Buffer>request(Addresses.worker(worker, verb),
        f.encode(), new DeliveryOptions().setSendTimeout(TRAIN_TIMEOUT_MILLIS)).map(r -> Frame.decode(r.body()))));
    Map<String, Frame> out = new LinkedHashMap<>();
    for (Map.Entry<String, Future<Frame>> e : pending.entrySet()) {
      try {
        out.put(e.getKey(), e.getValue().await(TRAIN_TIMEOUT_MILLIS + 60_000, TimeUnit.MILLISECONDS));
      } catch (java.util.concurrent.TimeoutException ex) {
        throw new IllegalStateException("member " + e.getKey() + " did not answer '" + verb + "' in time");
      } catch (RuntimeException ex) {
        throw new IllegalStateException("member " + e.getKey() + " failed '" + verb + "': " + ex.getMessage(), ex);
      }
    }
    return out;
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
