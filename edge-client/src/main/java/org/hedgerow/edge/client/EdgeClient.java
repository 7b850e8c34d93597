package org.hedgerow.edge.client;

import java.util.concurrent.Semaphore;
import org.hedgerow.aggregation.model.ModelSpec;
import org.hedgerow.edge.features.TrainingSet;
import org.hedgerow.edge.dp.ModelGradients;
import org.hedgerow.edge.dp.SiloPrivacy;
import org.hedgerow.edge.dp.UserLevelDpTrainer;
import org.hedgerow.edge.model.PreferenceModel;
import java.util.List;
import org.hedgerow.privacy.budget.PrivacyBudget;
import org.hedgerow.privacy.budget.SignedSpend;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One silo taking part in a federation: register (open registration) or join (an enrolled silo whose
 * {@link CoordinatorClient} holds its client certificate), then for every round fetch the global model,
 * train on the silo's own examples, and upload the difference. Raw data never leaves this object;
 * only the parameter delta and the example count do.
 */
public final class EdgeClient {
  private static final Logger log = LoggerFactory.getLogger(EdgeClient.class);
  /** Ledger name of the local mechanism: user-level DP-SGD (Poisson-sampled Gaussian steps). */
  public static final String MECHANISM = SiloPrivacy.MECHANISM;

  private final String silo;
  private final CoordinatorClient coordinator;
  private final ModelSpec spec;
  private final TrainingSet examples;
  private final Semaphore trainingSlots;
  private final long seed;
  private final SiloPrivacy dp;
  private volatile int roundsDone;
  private volatile String declineReason;
  private final SecureAggregationPolicy policy;
  private volatile boolean refusedByPolicy;
  /**
   * Long-term identity for secure aggregation and for signing spends; the coordinator binds it to
   * this silo at registration. A DP silo's comes from its spend log (durable in its state directory).
   */
  private final org.hedgerow.privacy.crypto.Ed25519KeyPair identity;
  /** An enrolled silo's federation CA: every roster key must be certified by it. Null: open registration. */
  /** Peers' certificates this silo verified against the federation CA, kept across rounds (null: no CA). */
  private final org.hedgerow.aggregation.secagg.VerifiedCertificates verifiedCertificates;

  /**
   * @param trainingSlots shared by clients in one process so that at most that many train at once
   *     (DL4J runs one OpenMP thread per worker; parallelism comes from clients)
   */
  public EdgeClient(String silo, CoordinatorClient coordinator, ModelSpec spec, TrainingSet examples,
      Semaphore trainingSlots, long seed) {
    this(silo, coordinator, spec, examples, trainingSlots, seed, null);
  }

  /**
   * A client that trains with user-level DP ({@link UserLevelDpTrainer}) when {@code dp} is not
   * null: before each round it asks its {@link PrivacyBudget} whether the round fits under its cap,
   * declines the round (and leaves) if not, and otherwise charges the budget — signed, in its
   * durable log — before training, reports its unreported spends to the coordinator and only then
   * uploads the update. Its FedAvg weight is its DP customer count N̂, never an exact count (see
   * docs/privacy.md).
   */
  public EdgeClient(String silo, CoordinatorClient coordinator, ModelSpec spec, TrainingSet examples,
      Semaphore trainingSlots, long seed, SiloPrivacy dp) {
    this(silo, coordinator, spec, examples, trainingSlots, seed, dp, SecureAggregationPolicy.NONE);
  }

  /**
   * As above, declining (and leaving the federation) when a round would send its update in the
   * clear or below {@code policy}'s secure-aggregation minimums.
   */
  public EdgeClient(String silo, CoordinatorClient coordinator, ModelSpec spec, TrainingSet examples,
      Semaphore trainingSlots, long seed, SiloPrivacy dp, SecureAggregationPolicy policy) {
    this.policy = policy == null ? SecureAggregationPolicy.NONE : policy;
    this.dp = dp;
    ClientCredentials credentials = coordinator.credentials();
    this.verifiedCertificates = credentials == null ? null
        : new org.hedgerow.aggregation.secagg.VerifiedCertificates(credentials.ca());
    org.hedgerow.privacy.crypto.Ed25519KeyPair certified = credentials == null ? null : credentials.certifiedIdentity();
    if (dp != null && certified != null
        && !java.util.Arrays.equals(dp.log().identity().publicKey(), certified.publicKey())) {
      throw new IllegalStateException("silo " + silo + ": the identity key of its state directory differs from the one "
          + "the federation CA certified at enrolment (identity.key in the credentials directory): use the "
          + "credentials directory as the state (the default), or copy that identity.key into the state first");
    }
    // An enrolled silo signs with the key the CA certified; otherwise a DP silo's durable key, else a fresh one.
    this.identity = dp != null ? dp.log().identity() : certified != null ? certified
        : org.hedgerow.privacy.crypto.Ed25519.generateKeyPair(new java.security.SecureRandom());
    this.silo = silo;
    this.coordinator = coordinator;
    this.spec = spec;
    this.examples = examples;
    this.trainingSlots = trainingSlots;
    this.seed = seed;
  }

  public String silo() {
    return silo;
  }

  public int roundsDone() {
    return roundsDone;
  }

  /** The silo's privacy budget and ledger (null without DP). Read after {@link #run} returned. */
  public PrivacyBudget budget() {
    return dp == null ? null : dp.budget();
  }

  /** The silo's privacy state (null without DP). */
  public SiloPrivacy privacy() {
    return dp;
  }

  /** True if this client declined a round under its secure-aggregation policy (see {@link #declineReason}). */
  public boolean refusedByPolicy() {
    return refusedByPolicy;
  }

  /** Why this client declined a round and left, or null if it did not. */
  public String declineReason() {
    return declineReason;
  }

  /**
   * Posts every signed entry of the silo's log the coordinator has not acknowledged yet (the
   * releases with the first round; after a restart, the whole log once). Idempotent at the
   * coordinator, so a retry or a repeat after a restart is safe.
   */
  private void postSpends() {
    List<SignedSpend> fresh = dp.unreported();
    if (!fresh.isEmpty()) {
      dp.reported(coordinator.postSpends(fresh));
    }
  }

  /** Contributes through secure aggregation; false if the session broke this silo's policy (it then declined). */
  private boolean contributeSecurely(SecureAggregationParticipant p, int round, SecureAggregationParticipant.Input input) {
    try {
      p.contribute(round, spec.parameterCount(), input);
      return true;
    } catch (SecureAggregationPolicy.RefusedException e) {
      declineForPolicy(round, e.getMessage());
      return false;
    }
  }

  private void declineForPolicy(int round, String reason) {
    declineReason = silo + ": " + reason;
    refusedByPolicy = true;
    log.warn("{}", declineReason);
    coordinator.decline(round, declineReason, Double.NaN, Double.NaN);
  }

  /** The encoded delta; refused in a session that runs distributed DP, which this round was not prepared for. */
  private static SecureAggregationParticipant.Input plainInput(float[] delta, long weight) {
    return session -> {
      if (session.terms().distributedDp() != null) {
        throw new SecureAggregationPolicy.RefusedException("the session runs distributed DP, but the round state this "
            + "silo trained for did not announce it");
      }
      return session.encoding().encode(delta, weight);
    };
  }

  /**
   * The distributed-DP input, the same noisy vector in every session of the round (no second release),
   * refused in a session whose parameters differ from those charged for.
   */
  private static SecureAggregationParticipant.Input distributedInput(org.hedgerow.edge.dp.DistributedDpRound ddp,
      int[] input) {
    return session -> {
      java.util.Optional<String> refusal = ddp.refusalFor(session.clients(), session.threshold(), session.encoding(),
          session.terms().distributedDp());
      if (refusal.isPresent()) {
        throw new SecureAggregationPolicy.RefusedException(refusal.get());
      }
      return input.clone(); // the participant wipes what it masked
    };
  }

  /** Takes part in every round until the coordinator reports the federation finished. */
  public void run() throws InterruptedException {
    // Names this silo's noise streams, so a deterministic (research) run does not depend on thread order.
    try (var noise = org.hedgerow.privacy.noise.NoiseSource.context(silo)) {
      runAsSilo();
    }
  }

  private void runAsSilo() throws InterruptedException {
    if (examples.size() == 0) {
      throw new IllegalStateException("silo " + silo + " has no training examples (needs customers with >= 2 training invoices)");
    }
    if (coordinator.authenticatesByCertificate()) {
      // An enrolled silo: its client certificate names it; the coordinator knows it by that id.
      String id = coordinator.join(identity.publicKey());
      log.info("{}: joined as enrolled client '{}'", silo, id);
      if (dp != null && !id.equals(dp.budget().holder())) {
        throw new IllegalStateException("silo " + silo + " joined as client '" + id + "', but its privacy budget is "
            + "held as '" + dp.budget().holder() + "': the coordinator records spends only under the caller's client id");
      }
    } else {
      coordinator.register(silo, identity.publicKey());
    }
    PreferenceModel model = new PreferenceModel(spec, seed);
    // Under DP the per-customer gradients come from the same network without dropout: dropout masks
    // are randomness shared across customers (docs/privacy.md), and the DP noise regularises anyway.
    PreferenceModel dpModel = dp == null ? null : new PreferenceModel(spec.withoutDropout(), seed);
    int lastRound = 0;
    // The last secure contribution, kept until the next round opens: if the coordinator restarts that
    // round's session (a crash after this silo finished its stages), the same update is sent again.
    SecureAggregationParticipant.Input secureInput = null;
    String secureSession = null;
    while (true) {
      CoordinatorClient.RoundState state = coordinator.round(lastRound);
      if (state.finished()) {
        log.info("{}: federation finished after {} rounds", silo, state.round());
        return;
      }
      if (state.training() && state.round() == lastRound && secureInput != null && state.secureAggregationTerms() != null
          && state.secureAggregationTerms().session() != null
          && !state.secureAggregationTerms().session().equals(secureSession)) {
        log.warn("{}: the coordinator restarted round {}'s secure aggregation (session {}); contributing again",
            silo, state.round(), state.secureAggregationTerms().session());
        SecureAggregationParticipant again = new SecureAggregationParticipant(silo, coordinator, identity, policy, verifiedCertificates);
        if (!contributeSecurely(again, state.round(), secureInput)) {
          return;
        }
        secureSession = again.lastSession() != null ? again.lastSession() : state.secureAggregationTerms().session();
        continue;
      }
      if (!state.training() || state.round() <= lastRound) {
        continue;
      }
      secureInput = null;
      java.util.Optional<String> policyRefusal = state.selected()
          ? policy.refusal(state.round(), state.secureAggregationTerms()) : java.util.Optional.empty();
      if (policyRefusal.isPresent()) {
        declineForPolicy(state.round(), policyRefusal.get());
        return;
      }
      org.hedgerow.aggregation.secagg.DistributedDpTerms ddpTerms = state.secureAggregation()
          && state.secureAggregationTerms() != null ? state.secureAggregationTerms().distributedDp() : null;
      if (dp == null && ddpTerms != null) {
        throw new IllegalStateException("the federation runs distributed DP: silo " + silo + " must keep a privacy "
            + "budget (hedgerow client --epsilon-cap E --catalogue FILE --training-end DATE)");
      }
      if (dp == null && state.declaresLocalDp()) {
        throw new IllegalStateException("the federation declares local DP: silo " + silo + " must train with "
            + "user-level DP (hedgerow client --epsilon-cap E --catalogue FILE --training-end DATE)");
      }
      if (!state.selected()) {
        log.info("{}: not selected for round {}; sitting it out", silo, state.round());
        lastRound = state.round();
        continue;
      }
      org.hedgerow.edge.dp.DistributedDpRound ddp = ddpTerms == null ? null
          : new org.hedgerow.edge.dp.DistributedDpRound(new org.hedgerow.aggregation.secagg.SecureSumEncoding(
              state.secureAggregationTerms().clip(), state.secureAggregationTerms().bits(),
              state.secureAggregationTerms().weightCap()), ddpTerms, spec.parameterCount());
      if (dp != null) {
        java.util.Optional<String> refusal = ddp != null ? ddp.refusal(dp, state.round()) : dp.refusal(state.round());
        if (refusal.isPresent()) {
          declineReason = refusal.get();
          log.warn("{}", declineReason);
          coordinator.decline(state.round(), declineReason, dp.budget().epsilon(), dp.budget().epsilonCap());
          return;
        }
      }
      CoordinatorClient.GlobalModel global = coordinator.model(spec.parameterCount());
      if (!global.specHash().equals(spec.hash())) {
        throw new IllegalStateException("coordinator serves model spec " + global.specHash() + ", this client has " + spec.hash());
      }
      float[] delta = null;
      int[] ddpInput = null;
      double seconds;
      double loss;
      SignedSpend spend = null;
      trainingSlots.acquire();
      try {
        long t0 = System.nanoTime();
        model.setParameters(global.parameters());
        model.resetOptimizer();
        float[] local = null;
        if (ddp != null) {
          // Distributed DP: charged first, then every customer's clipped gradient at the global model,
          // rounded, summed, with this silo's noise share; only the secure sum is ever released.
          spend = ddp.charge(dp, state.round());
          ModelGradients g = new ModelGradients(dpModel, examples);
          g.setParameters(global.parameters());
          long w = Math.max(1, Math.round(dp.customerCount(examples.customers())));
          org.hedgerow.aggregation.secagg.DistributedDpEncoding.Encoded e = ddp.contribution(g, w);
          ddpInput = e.input();
          loss = Double.NaN;
          log.info("{}: round {} distributed DP: {} customers ({} clipped), share variance {}, effective noise "
              + "multiplier {} at t = {}, epsilon {}", silo, state.round(), e.customers(), e.clipped(),
              String.format("%.6g", ddpTerms.shareVariance()), String.format("%.6f", ddp.effectiveNoiseMultiplier()),
              ddpTerms.minSurvivors(), String.format("%.4f", spend.spend().epsilon()));
        } else if (dp != null) {
          // Charged and logged before the update exists: a failure after this point can only over-count.
          spend = dp.chargeRound(state.round());
          UserLevelDpTrainer.Result r = new UserLevelDpTrainer(dp.config(), new ModelGradients(dpModel, examples),
              dp.customerCount(examples.customers())).train(global.parameters());
          local = r.parameters();
          loss = Double.NaN; // the training loss is a function of the raw data: not released under DP
          log.info("{}: round {} DP training {} customers sampled ({} clipped), {} customers/s, epsilon {}", silo,
              state.round(), r.sampled(), r.clipped(), String.format("%.0f", r.customersPerSecond()),
              String.format("%.4f", spend.spend().epsilon()));
        } else {
          org.hedgerow.edge.silo.LocalRound.Update u = org.hedgerow.edge.silo.LocalRound.train(model, examples, silo,
              global.parameters(), state.localEpochs(), state.batchSize(), state.seed());
          loss = u.loss();
          delta = u.delta();
        }
        if (local != null) {
          delta = new float[local.length];
          for (int i = 0; i < local.length; i++) {
            delta[i] = local[i] - global.parameters()[i];
          }
        }
        seconds = (System.nanoTime() - t0) / 1e9;
      } finally {
        trainingSlots.release();
      }
      // Under DP no exact count leaves: the weight is the DP customer count N̂ (the trainer's
      // denominator), post-processing of the silo's release.
      long weight = dp != null ? Math.max(1, Math.round(dp.customerCount(examples.customers()))) : examples.size();
      // Training time grows with the realised sample size, so under DP it is not reported either.
      if (spend != null) {
        postSpends(); // signed, before the update it pays for leaves
      }
      if (state.secureAggregation()) {
        // Only the masked, quantised delta and weight leave; loss, time and spend are not reported per silo.
        SecureAggregationParticipant p = new SecureAggregationParticipant(silo, coordinator, identity, policy, verifiedCertificates);
        SecureAggregationParticipant.Input input = ddp != null ? distributedInput(ddp, ddpInput) : plainInput(delta, weight);
        if (!contributeSecurely(p, state.round(), input)) {
          return;
        }
        secureInput = input;
        secureSession = p.lastSession() != null ? p.lastSession()
            : state.secureAggregationTerms() == null ? null : state.secureAggregationTerms().session();
      } else {
        coordinator.upload(state.round(), global.version(), spec.hash(), weight, delta,
            dp != null ? Double.NaN : seconds, loss, spend == null ? null : spend.spend().counter());
      }
      lastRound = state.round();
      roundsDone++;
    }
  }
}
