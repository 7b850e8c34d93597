package org.hedgerow.cluster;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.TimeUnit;
import org.hedgerow.aggregation.model.ModelSpec;
import java.security.SecureRandom;
import org.hedgerow.edge.client.CoordinatorClient;
import org.hedgerow.edge.client.SecureAggregationParticipant;
import org.hedgerow.aggregation.wire.SpendJson;
import org.hedgerow.privacy.budget.SignedSpend;
import org.hedgerow.privacy.crypto.Ed25519;
import org.hedgerow.privacy.crypto.Ed25519KeyPair;
import org.hedgerow.edge.silo.PreparedSilo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulating process's side of a clustered federation: finds the workers ({@link #rollCall}),
 * ships each its silos' training data, and takes part in the coordinator's rounds once per region:
 * a region's client fetches the global model over HTTP like any silo, asks the region's
 * sub-coordinator (a worker) for the region's update over the event bus, and uploads it. The
 * coordinator sees R regional clients, never a silo's own update; each sub-coordinator sees the
 * updates of its region's silos (docs/cluster.md, "What each level sees").
 */
public final class ClusterFederation {
  private static final Logger log = LoggerFactory.getLogger(ClusterFederation.class);

  private final Vertx vertx;
  private final List<String> workers;
  private final int regions;
  private volatile ClusterPlan lastPlan;
  /** The last federation's DP silos' signed spends, by silo, as their workers kept them. */
  private final Map<String, List<SignedSpend>> lastSpends = new java.util.concurrent.ConcurrentSkipListMap<>();

  /**
   * @param vertx this process's clustered Vert.x ({@link ClusterNode#join})
   * @param workers the workers' names, as {@link #rollCall} found them
   * @param regions regional sub-coordinators (at most the number of workers)
   */
  public ClusterFederation(Vertx vertx, List<String> workers, int regions) {
    if (regions < 1 || regions > workers.size()) {
      throw new IllegalArgumentException("regions must be in 1.." + workers.size() + " (one worker leads each). "
          + "Provided value: " + regions);
    }
    this.vertx = vertx;
    this.workers = List.copyOf(new TreeSet<>(workers));
    this.regions = regions;
  }

  /**
   * Waits until {@code expected} workers answer a roll call (repeated every second: workers may still
   * be joining), and returns their names in order.
   *
   * @throws IllegalStateException if fewer answered within {@code timeout}
   */
  public static List<String> rollCall(Vertx vertx, int expected, Duration timeout) throws InterruptedException {
    if (expected < 1) {
      throw new IllegalArgumentException("expected workers must be >= 1. Provided value: " + expected);
    }
    String reply = "hedgerow.simulator." + UUID.randomUUID();
    Set<String> found = new ConcurrentSkipListSet<>();
    MessageConsumer<Buffer> answers = vertx.eventBus().consumer(reply,
        m -> found.add(Frame.decode(m.body()).header().getString("worker")));
    try {
      answers.completion().await(30, TimeUnit.SECONDS);
      long deadline = System.nanoTime() + timeout.toNanos();
      Buffer call = new Frame(new JsonObject().put("reply", reply)).encode();
      while (found.size() < expected && System.nanoTime() < deadline) {
        vertx.eventBus().publish(Addresses.ROLL_CALL, call);
        Thread.sleep(1000);
      }
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("could not listen for workers' answers on the event bus");
    } finally {
      answers.unregister();
    }
    if (found.size() < expected) {
      throw new IllegalStateException("expected " + expected + " workers, " + found.size() + " answered within "
          + timeout.toSeconds() + " s" + (found.isEmpty() ? "" : " (" + found + ")") + ": start them with "
          + "'hedgerow worker --cluster-host H --cluster-port P --join ...' naming a member of this cluster");
    }
    return new ArrayList<>(found); // all that answered: regions depend on the silos, not on the worker count
  }

  public List<String> workers() {
    return workers;
  }

  public int regions() {
    return regions;
  }

  /** The plan of the last federation started ({@link #participants}), or null before any. */
  public ClusterPlan lastPlan() {
    return lastPlan;
  }

  /**
   * The signed spends of the last federation's DP silos (empty without DP), fetched from their workers
   * when the federation finished: each silo's whole log, its release first. The caller checks the
   * signatures and recomputes every ε.
   */
  public Map<String, List<SignedSpend>> lastSpends() {
    return Map.copyOf(lastSpends);
  }

  /** The last plan as JSON (regions, their leaders, each member's silos), for reports. */
  public JsonObject describe() {
    JsonObject o = new JsonObject().put("workers", new JsonArray(workers)).put("regions", regions);
    ClusterPlan p = lastPlan;
    if (p != null) {
      JsonArray rs = new JsonArray();
      for (ClusterPlan.Region r : p.regions()) {
        JsonObject members = new JsonObject();
        r.members().forEach((w, s) -> members.put(w, new JsonArray(s)));
        rs.add(new JsonObject().put("id", r.id()).put("leader", r.leader()).put("members", members));
      }
      o.put("plan", rs);
    }
    return o;
  }

  /**
   * Ships {@code training} to the workers (each silo's training baskets to the one worker that trains
   * it), checks that every worker assembled the same examples as this process did, and returns one
   * task per region that takes part in the coordinator's federation at {@code coordinator} until it
   * finishes.
   *
   * @param catalogueSize the federation's catalogue size (the silos' baskets are indexed against it)
   * @param coPurchase whether the silos' features include their co-purchase counts
   * @param secureClip with secure aggregation, the clip of a silo's delta: every region then holds at
   *     least {@link SessionTerms#MIN_CLIENTS} silos, and when the coordinator runs secure aggregation each
   *     region sums its silos securely ({@link RegionalSecureSum}) and takes part in the coordinator's secure
   *     sum with the result; null: regions sum in the clear
   */
  public List<Callable<Void>> participants(URI coordinator, ModelSpec spec, List<PreparedSilo> training,
      int catalogueSize, boolean coPurchase, Double secureClip) throws Exception {
    Map<String, PreparedSilo> byName = new LinkedHashMap<>();
    for (PreparedSilo s : training) {
      byName.put(s.settings().name(), s);
    }
    List<ClusterPlan.Silo> sizes = training.stream()
        .map(s -> new ClusterPlan.Silo(s.settings().name(), s.examples().size())).toList();
    ClusterPlan plan = ClusterPlan.of(sizes, workers, regions, secureClip == null ? 1 : SessionTerms.MIN_CLIENTS);
    PreparedSilo first = training.get(0);
    SiloAssignment assignment = new SiloAssignment(UUID.randomUUID().toString(), spec,
        first.settings().targetsPerCustomer(), first.settings().examplesPerKind(), first.settings().seed(), coPurchase,
        catalogueSize, first.settings().dp(), first.settings().trainingEnd());
    for (PreparedSilo s : training) {
      if (!assignment.settings(s.settings().name()).equals(s.settings())) {
        throw new IllegalArgumentException("silo " + s.settings().name() + " has settings " + s.settings()
            + " unlike the others': a clustered run ships one set of silo settings");
      }
    }
    List<Future<Void>> shipped = new ArrayList<>();
    for (ClusterPlan.Region r : plan.regions()) {
      r.members().forEach((worker, silos) -> shipped.add(ship(worker, silos, byName, assignment)));
    }
    Future.all(shipped).await(10, TimeUnit.MINUTES);
    lastPlan = plan;
    lastSpends.clear();
    List<Callable<Void>> tasks = new ArrayList<>();
    for (ClusterPlan.Region r : plan.regions()) {
      tasks.add(() -> {
        new RegionClient(vertx, r, assignment.run(), coordinator, spec, secureClip,
            assignment.dp() == null ? null : lastSpends).run();
        return null;
      });
    }
    return tasks;
  }

  /** Sends one worker its silos and checks the example counts it built against this process's. */
  private Future<Void> ship(String worker, List<String> silos, Map<String, PreparedSilo> byName,
      SiloAssignment assignment) {
    JsonArray lengths = new JsonArray();
    Buffer payload = Buffer.buffer();
    for (String s : silos) {
      byte[] encoded = TrainingData.encode(byName.get(s).data());
      lengths.add(encoded.length);
      payload.appendBytes(encoded);
    }
    JsonObject header = new JsonObject().put("assignment", assignment.toJson()).put("sizes", lengths);
    if (assignment.dp() != null) {
      // A DP silo's features come from its release only; the worker trains with the very release this
      // process evaluates with (and charges it to the silo's budget there, before any round).
      List<byte[]> releases = new ArrayList<>();
      for (String s : silos) {
        releases.add(byName.get(s).release().toBytes());
      }
      header.put("releases_at", payload.length());
      payload.appendBuffer(Frame.blobs(releases));
    }
    Frame f = new Frame(header, payload);
    log.info("shipping {} silos ({} bytes) to worker {}", silos.size(), payload.length(), worker);
    return vertx.eventBus().<Buffer>request(Addresses.worker(worker, Addresses.ASSIGN), f.encode(),
        new DeliveryOptions().setSendTimeout(TimeUnit.MINUTES.toMillis(10))).map(reply -> {
          Map<String, Long> built = SiloWorker.examples(Frame.decode(reply.body()).header());
          for (String s : silos) {
            long here = byName.get(s).examples().size();
            Long there = built.get(s);
            if (there == null || there != here) {
              throw new IllegalStateException("worker " + worker + " built " + there + " examples for silo " + s
                  + ", this process " + here + ": are all members running the same Hedgerow build?");
            }
          }
          return null;
        });
  }

  /**
   * One region as a client of the coordinator (open registration): its update in the clear, or —
   * when the coordinator runs secure aggregation — the region's securely summed update, masked again
   * for the coordinator's secure sum over the regions.
   */
  private static final class RegionClient {
    private final Vertx vertx;
    private final ClusterPlan.Region region;
    private final String run;
    private final URI coordinator;
    private final ModelSpec spec;
    private final Double secureClip;
    /** Where the region's DP silos' spends go when the federation ends (null: no DP). */
    private final Map<String, List<SignedSpend>> spends;

    RegionClient(Vertx vertx, ClusterPlan.Region region, String run, URI coordinator, ModelSpec spec,
        Double secureClip, Map<String, List<SignedSpend>> spends) {
      this.vertx = vertx;
      this.region = region;
      this.run = run;
      this.coordinator = coordinator;
      this.spec = spec;
      this.secureClip = secureClip;
      this.spends = spends;
    }

    void run() throws Exception {
      CoordinatorClient client = new CoordinatorClient(coordinator);
      Ed25519KeyPair identity = Ed25519.generateKeyPair(new SecureRandom());
      client.register(region.id(), identity.publicKey());
      SecureAggregationParticipant participant = new SecureAggregationParticipant(region.id(), client, identity);
      JsonObject members = new JsonObject();
      region.members().forEach((w, s) -> members.put(w, new JsonArray(s)));
      int last = 0;
      try {
        while (true) {
          CoordinatorClient.RoundState state = client.round(last);
          if (state.finished()) {
            log.info("{}: federation finished after {} rounds", region.id(), state.round());
            return;
          }
          if (!state.training() || state.round() <= last) {
            continue;
          }
          if (state.declaresLocalDp()) {
            throw new IllegalStateException("the coordinator runs local DP: regional sub-aggregation does not take it "
                + "(docs/cluster.md)");
          }
          if (state.secureAggregation() && secureClip == null) {
            throw new IllegalStateException("the coordinator runs secure aggregation but the regions were planned without "
                + "it: run the scenario with secure_aggregation set (docs/cluster.md)");
          }
          if (!state.selected()) {
            last = state.round();
            continue;
          }
          CoordinatorClient.GlobalModel global = client.model(spec.parameterCount());
          if (!global.specHash().equals(spec.hash())) {
            throw new IllegalStateException("coordinator serves model spec " + global.specHash() + ", the run has "
                + spec.hash());
          }
          RoundTask task = new RoundTask(run, state.round(), state.localEpochs(), state.batchSize(), state.seed());
          JsonObject header = new JsonObject().put("task", task.toJson()).put("dimension", spec.parameterCount())
              .put("members", members);
          if (state.secureAggregation()) {
            // The session name binds the region's signed messages to this run and region.
            header.put("secure", new JsonObject().put("session", "cluster/" + run + "/" + region.id())
                .put("clip", secureClip));
          }
          Frame ask = new Frame(header, Frame.floats(global.parameters()));
          Frame answer = Frame.decode(vertx.eventBus().<Buffer>request(Addresses.worker(region.leader(),
              Addresses.REGION), ask.encode(), new DeliveryOptions().setSendTimeout(SiloWorker.TRAIN_TIMEOUT_MILLIS))
              .await(SiloWorker.TRAIN_TIMEOUT_MILLIS + 60_000, TimeUnit.MILLISECONDS).body());
          JsonObject h = answer.header();
          if (state.secureAggregation()) {
            float[] mean = Frame.floats(answer.payload(), 0, spec.parameterCount());
            SecureAggregationParticipant.Result result = participant.contribute(state.round(), mean, h.getLong("examples"));
            java.util.Arrays.fill(mean, 0f);
            if (result == SecureAggregationParticipant.Result.REFUSED) {
              throw new IllegalStateException(region.id() + ": refused the coordinator's secure aggregation in round "
                  + state.round() + ": " + participant.refusal());
            }
            log.info("{}: round {}: regional secure sum of {} silos {} the coordinator's secure sum", region.id(),
                state.round(), h.getInteger("silos"), result == SecureAggregationParticipant.Result.CONTRIBUTED
                    ? "entered" : "did not enter (aborted)");
            last = state.round();
            continue;
          }
          client.upload(state.round(), global.version(), spec.hash(), h.getLong("examples"),
              Frame.floats(answer.payload(), 0, spec.parameterCount()), h.getDouble("seconds"),
              h.getDouble("loss", Double.NaN));
          log.info("{}: round {} uploaded ({} silos, {} examples)", region.id(), state.round(), h.getInteger("silos"),
              h.getLong("examples"));
          last = state.round();
        }
      } finally {
        Set<String> all = new TreeSet<>(region.members().keySet());
        all.add(region.leader());
        if (spends != null) {
          collectSpends();
        }
        for (String w : all) {
          vertx.eventBus().request(Addresses.worker(w, Addresses.RELEASE),
              new Frame(new JsonObject().put("run", run)).encode());
        }
      }
    }
  
    /** Fetches each member's DP silos' signed spends before the run's silos are released. */
    private void collectSpends() {
      for (String w : region.members().keySet()) {
        try {
          Frame answer = Frame.decode(vertx.eventBus().<Buffer>request(Addresses.worker(w, Addresses.SPENDS),
              new Frame(new JsonObject().put("run", run)).encode()).await(60, TimeUnit.SECONDS).body());
          JsonObject bySilo = answer.header().getJsonObject("spends");
          for (String silo : bySilo.fieldNames()) {
            spends.put(silo, SpendJson.parseBatch(bySilo.getString(silo)));
          }
        } catch (Exception e) {
          log.error("{}: could not fetch the spends of worker {}'s DP silos: {}", region.id(), w, e.getMessage());
        }
      }
    }
  }
}
