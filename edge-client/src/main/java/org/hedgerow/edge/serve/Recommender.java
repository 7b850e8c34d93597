package org.hedgerow.edge.serve;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.hedgerow.edge.data.PurchaseLine;
import org.hedgerow.edge.task.Catalogue;
import org.hedgerow.edge.task.CustomerLog;
import org.hedgerow.edge.task.Holdout;
import org.hedgerow.edge.task.SiloData;

/**
 * A silo's live recommender: its log (the {@code --data} file), its store (events, consent,
 * erasures), the global model, and what serving derives from them.
 *
 * <p>Reads never lock: a request takes the current {@link ServingSnapshot} and the customer's current
 * {@link CustomerProfile}, both immutable. Writes are serialised: each is made durable in the store
 * first, then applied — a new profile for a customer with new events; for a training opt-out or an
 * erasure, the customer's own effect at once (an erased customer's profile is dropped) and a rebuild
 * of the snapshot without them in the background (seconds on the bundled data), which other writes
 * wait for.
 */
public final class Recommender {
  /** Every basket counts as history when serving: there is nothing to hold out. */
  private static final Holdout ALL_HISTORY = new Holdout.After(LocalDate.MAX);

  private final ServeStore store;
  private final ServingModel model;
  private final Catalogue declared;
  private final SlatePolicy policy;
  private final Object writes = new Object();
  private final Map<Integer, List<PurchaseLine>> logLines;
  private final Map<Integer, Consent> consent = new ConcurrentHashMap<>();
  private final Set<Integer> erased = ConcurrentHashMap.newKeySet();
  private volatile ServingSnapshot snapshot;
  private volatile Map<Integer, CustomerProfile> profiles;
  private final java.util.concurrent.ExecutorService rebuilds = java.util.concurrent.Executors.newSingleThreadExecutor(
      r -> {
        Thread t = new Thread(r, "serve-rebuild");
        t.setDaemon(true);
        return t;
      });
  private final java.util.concurrent.atomic.AtomicBoolean rebuildWanted = new java.util.concurrent.atomic.AtomicBoolean();

  /**
   * @param log the silo's cleaned log
   * @param model the global model, or null for the {@code repeat} baseline
   * @param declared the shop's product list, or null for every product in the log and the store
   */
  public Recommender(List<PurchaseLine> log, ServeStore store, ServingModel model, Catalogue declared,
      SlatePolicy policy) {
    this.store = store;
    this.model = model;
    this.declared = declared;
    this.policy = policy;
    this.erased.addAll(store.erased());
    this.consent.putAll(store.consents());
    Map<Integer, List<PurchaseLine>> byCustomer = new HashMap<>();
    for (PurchaseLine l : log) {
      if (!erased.contains(l.customerId())) {
        byCustomer.computeIfAbsent(l.customerId(), c -> new ArrayList<>()).add(l);
      }
    }
    this.logLines = new ConcurrentHashMap<>(byCustomer);
    rebuild();
  }

  public SlatePolicy policy() {
    return policy;
  }

  public ServingSnapshot snapshot() {
    return snapshot;
  }

  public ServeStore store() {
    return store;
  }

  /** Known customers: those with history in the log or the store (erased ones excluded). */
  public int customers() {
    return profiles.size();
  }

  /**
   * The top {@code k} for {@code customer}: personal (with exploration) for a known customer who allows
   * personalisation, the popular list otherwise.
   */
  public Recommendation recommend(int customer, int k, SplittableRandom rnd) {
    ServingSnapshot s = snapshot;
    CustomerProfile p = profiles.get(customer);
    boolean personal = p != null && !p.isEmpty() && consentOf(customer).personalisation();
    List<SlatePolicy.Pick> picks = personal ? policy.personal(s, p, k, rnd) : SlatePolicy.popular(s, k);
    List<Recommendation.Item> items = new ArrayList<>(picks.size());
    StringBuilder json = new StringBuilder(96 + 72 * picks.size()).append("{\"customer\":\"").append(customer)
        .append("\",\"model_version\":").append(s.modelVersionJson()).append(",\"personal\":").append(personal)
        .append(",\"items\":[");
    for (int n = 0; n < picks.size(); n++) {
      SlatePolicy.Pick x = picks.get(n);
      items.add(new Recommendation.Item(s.catalogue().code(x.item()), x.score(), x.reason()));
      json.append(n == 0 ? "" : ",").append(x.json());
    }
    return new Recommendation(customer, s.modelVersion(), personal, items, json.append("]}").toString());
  }

  public Consent consentOf(int customer) {
    return consent.getOrDefault(customer, Consent.DEFAULT);
  }

  public boolean isErased(int customer) {
    return erased.contains(customer);
  }

  /**
   * Stores {@code events} (one transaction), then gives each of their customers a new profile.
   *
   * @throws IllegalArgumentException if one of them is an erased customer (nothing is stored)
   */
  public void record(List<ServeEvent> events) {
    synchronized (writes) {
      for (ServeEvent e : events) {
        if (erased.contains(e.customer())) {
          throw new IllegalArgumentException("customer " + e.customer() + " was erased: their id is not reused "
              + "(give the returning customer a new id)");
        }
      }
      store.append(events);
      Set<Integer> touched = new TreeSet<>();
      events.forEach(e -> touched.add(e.customer()));
      for (int c : touched) {
        profiles.put(c, profileOf(snapshot, c, store.events(c)));
      }
    }
  }

  /** Records a customer's consent; a change of {@code training} rebuilds the statistics without (or with) them. */
  public Consent consent(int customer, Boolean training, Boolean personalisation) {
    synchronized (writes) {
      if (erased.contains(customer)) {
        throw new IllegalArgumentException("customer " + customer + " was erased");
      }
      Consent before = consentOf(customer);
      Consent after = new Consent(training != null ? training : before.training(),
          personalisation != null ? personalisation : before.personalisation());
      store.consent(customer, after);
      consent.put(customer, after);
      if (after.training() != before.training()) {
        rebuildLater();
      }
      return after;
    }
  }

  /** What an erasure removed. */
  public record Erasure(int customer, int storedEventsDeleted, int logLinesDropped, boolean known) {}

  /**
   * Erases a customer: their stored events and consent are deleted and a tombstone written (one
   * transaction), their log lines are dropped from memory, and the snapshot is rebuilt without them.
   */
  public Erasure erase(int customer) {
    synchronized (writes) {
      boolean known = profiles.containsKey(customer) || consent.containsKey(customer);
      int deleted = store.erase(customer);
      erased.add(customer);
      consent.remove(customer);
      List<PurchaseLine> dropped = logLines.remove(customer);
      profiles.remove(customer);
      rebuildLater();
      return new Erasure(customer, deleted, dropped == null ? 0 : dropped.size(), known || deleted > 0);
    }
  }

  /** Recomputes the snapshot and every profile from the log, the store and consent (under {@link #writes}). */
  private void rebuild() {
    synchronized (writes) {
      Map<Integer, List<PurchaseLine>> lines = new HashMap<>();
      logLines.forEach((c, l) -> lines.put(c, new ArrayList<>(l)));
      for (ServeEvent e : store.events()) {
        if (!erased.contains(e.customer())) {
          lines.computeIfAbsent(e.customer(), c -> new ArrayList<>()).add(e.asLine());
        }
      }
      List<PurchaseLine> all = new ArrayList<>();
      lines.values().forEach(all::addAll);
      Map<Integer, List<SiloData.BasketLines>> baskets = SiloData.basketsByCustomer(all);
      Catalogue catalogue = declared != null ? declared : new Catalogue(SiloData.trainingCodes(baskets, ALL_HISTORY));
      SiloData data = SiloData.build("serving", baskets, ALL_HISTORY, catalogue);
      List<CustomerLog> statistics = new ArrayList<>();
      for (CustomerLog c : data.customers()) {
        if (consentOf(c.customerId()).training()) {
          statistics.add(c);
        }
      }
      ServingSnapshot s = ServingSnapshot.build(catalogue, statistics, model, policy.neighbourWeight());
      Map<Integer, CustomerProfile> next = new ConcurrentHashMap<>();
      for (CustomerLog c : data.customers()) {
        next.put(c.customerId(), s.profile(c.train()));
      }
      snapshot = s;
      profiles = next;
    }
  }

  /** Rebuilds the snapshot on the rebuild thread; requests that pile up meanwhile share one rebuild. */
  private void rebuildLater() {
    rebuildWanted.set(true);
    // The flag is cleared before the rebuild reads anything, so a request after that gets a rebuild of its own.
    rebuilds.execute(() -> {
      if (rebuildWanted.getAndSet(false)) {
        rebuild();
      }
    });
  }

  /** Waits until every rebuild asked for so far is done (tests; a clean shutdown). */
  public void awaitRebuilds() throws InterruptedException {
    try {
      rebuilds.submit(() -> { }).get();
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }

  private CustomerProfile profileOf(ServingSnapshot s, int customer, List<ServeEvent> stored) {
    List<PurchaseLine> lines = new ArrayList<>(logLines.getOrDefault(customer, List.of()));
    stored.forEach(e -> lines.add(e.asLine()));
    Map<Integer, List<SiloData.BasketLines>> b = SiloData.basketsByCustomer(lines);
    SiloData one = SiloData.build("serving", b, ALL_HISTORY, s.catalogue());
    return one.customers().isEmpty() ? s.profile(List.of()) : s.profile(one.customers().get(0).train());
  }
}
