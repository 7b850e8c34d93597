package org.hedgerow.cli.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.IntFunction;
import org.hedgerow.aggregation.quantization.QuantizationParams;
import org.hedgerow.aggregation.quantization.StochasticQuantizer;
import org.hedgerow.aggregation.secagg.CertifiedIdentityKeys;
import org.hedgerow.aggregation.secagg.ClientRoster;
import org.hedgerow.aggregation.secagg.IdentityCertification;
import org.hedgerow.aggregation.secagg.KeyAdvertisement;
import org.hedgerow.aggregation.secagg.KeyDirectory;
import org.hedgerow.aggregation.secagg.SecAggAbortedException;
import org.hedgerow.aggregation.secagg.SecAggClient;
import org.hedgerow.aggregation.secagg.SecAggConfig;
import org.hedgerow.aggregation.secagg.SecAggResult;
import org.hedgerow.aggregation.secagg.SecAggServer;
import org.hedgerow.aggregation.secagg.ShareBundle;
import org.hedgerow.aggregation.secagg.Stage;
import org.hedgerow.aggregation.secagg.SurvivorSignatures;
import org.hedgerow.aggregation.secagg.UnmaskRequest;
import org.hedgerow.aggregation.secagg.VerifiedCertificates;
import org.hedgerow.privacy.crypto.ChaChaRandom;
import org.hedgerow.privacy.crypto.Ed25519;
import org.hedgerow.privacy.crypto.Ed25519KeyPair;
import org.hedgerow.privacy.crypto.Hkdf;

/**
 * Runs one whole secure-aggregation round in this process — N clients on a small thread pool,
 * the server on the calling thread, every message through its byte encoding — and measures it.
 *
 * <p>Inputs are random vectors in [−1, 1]^D, stochastically quantised into Z_{2^b} with
 * {@code bits − ⌈log2 N⌉} bits so that the sum cannot wrap; generating them is not counted as
 * client compute. The server folds each masked input into its running sum as it arrives, so
 * memory stays at a few vectors whatever N is. The plaintext baseline sums the same survivors'
 * quantised vectors on the same thread.
 */
public final class SecAggBench {
  private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

  private final SecAggBenchParams p;
  private final SecAggConfig config;
  private final QuantizationParams quantization;
  private final byte[] masterSeed;
  private final SecAggClient[] clients;
  /** Per client, the certificate relayed with its advertisement (null: open registration). */
  private final byte[][] credentials;
  private final SecAggServer server;
  private final Stage[] dropAt;
  private final long[] clientCpu;
  /** Per client and stage (Stage ordinal), thread CPU ns: where a client's compute goes. */
  private final long[][] clientStageCpu;
  private final long[] bytesSent;
  private final boolean[] finished;
  private final boolean[] inPlainSum;
  private final int[] plainSum;
  private long serverCpu;
  private long plainCpu;

  private SecAggBench(SecAggBenchParams p) {
    this.p = p;
    this.masterSeed = Hkdf.sha256(ByteBuffer.allocate(8).putLong(p.seed()).array(), null,
        "hedgerow/bench/secagg".getBytes(StandardCharsets.UTF_8), 32);
    SecAggConfig.Builder b = SecAggConfig.builder(p.clients(), p.dimension()).modulusBits(p.bits()).roundId(1)
        .graphSeed(derive("graph", 0));
    if (p.neighbours() != null) {
      b.neighbours(p.neighbours());
    }
    if (p.threshold() != null) {
      b.threshold(p.threshold());
    }
    this.config = b.build();
    int qbits = QuantizationParams.maxBitsFor(p.clients(), p.bits());
    if (qbits < 2) {
      throw new IllegalArgumentException(String.format(
          "--bits %d leaves %d quantisation bits for %d clients; need at least 2", p.bits(), qbits, p.clients()));
    }
    this.quantization = new QuantizationParams(1.0, Math.min(qbits, 24), p.bits());
    int n = p.clients();
    SecureRandom random = new SecureRandom();
    List<Ed25519KeyPair> identities = new ArrayList<>(n);
    List<byte[]> publicKeys = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      Ed25519KeyPair kp = Ed25519.generateKeyPair(random);
      identities.add(kp);
      publicKeys.add(kp.publicKey());
    }
    ClientRoster roster = new ClientRoster(publicKeys);
    this.clients = new SecAggClient[n];
    this.credentials = new byte[n][];
    VerifiedCertificates earlierRounds = null;
    BenchFederationCa ca = p.federationCa() == FederationCaMode.NONE ? null : new BenchFederationCa();
    if (ca != null) {
      for (int i = 0; i < n; i++) {
        credentials[i] = ca.issue("silo-" + i, publicKeys.get(i));
      }
      if (p.federationCa() == FederationCaMode.STEADY_STATE) {
        // What earlier rounds left behind: every peer certificate's signature already verified (untimed).
        earlierRounds = new VerifiedCertificates(ca.certificate());
        for (int i = 0; i < n; i++) {
          CertifiedIdentityKeys.federationCa(earlierRounds).check(i, publicKeys.get(i), credentials[i]);
        }
      }
    }
    for (int i = 0; i < n; i++) {
      IdentityCertification check = ca == null ? IdentityCertification.TRUST_ROSTER
          : CertifiedIdentityKeys.federationCa(earlierRounds != null ? earlierRounds
              : new VerifiedCertificates(ca.certificate())); // first round: each silo starts with nothing verified
      clients[i] = new SecAggClient(config, i, identities.get(i), roster, check);
    }
    this.server = new SecAggServer(config, roster);
    this.dropAt = chooseDropouts();
    this.clientCpu = new long[n];
    this.clientStageCpu = new long[n][Stage.UNMASK.ordinal() + 1];
    this.bytesSent = new long[n];
    this.finished = new boolean[n];
    this.inPlainSum = new boolean[n];
    this.plainSum = new int[p.dimension()];
  }

  /**
   * Runs the round.
   *
   * @throws IllegalArgumentException if the parameters are invalid (message names the option)
   */
  public static SecAggBenchResult run(SecAggBenchParams p) {
    if (p.dropout() < 0 || p.dropout() >= 1 || Double.isNaN(p.dropout())) {
      throw new IllegalArgumentException("--dropout must be in [0, 1). Provided value: " + p.dropout());
    }
    if (p.threads() < 1) {
      throw new IllegalArgumentException("--threads must be >= 1. Provided value: " + p.threads());
    }
    return new SecAggBench(p).execute();
  }

  private SecAggBenchResult execute() {
    long wall0 = System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(p.threads(), r -> {
      Thread t = new Thread(r, "secagg-bench-client");
      t.setDaemon(true);
      return t;
    });
    String abort = null;
    SecAggResult result = null;
    long unmaskWall = 0;
    try {
      CompletionService<Step> cs = new ExecutorCompletionService<>(pool);
      // Stage 0: advertise keys.
      stage(cs, Stage.ADVERTISE_KEYS, u -> null, (u, in) -> clients[u].advertiseKeys().toBytes());
      server(() -> server.closeAdvertising());
      // Stage 1: share keys.
      stage(cs, Stage.SHARE_KEYS, u -> server.keysFor(u).toBytes(),
          (u, in) -> clients[u].shareKeys(KeyDirectory.fromBytes(in)).toBytes());
      server(() -> server.closeSharing());
      // Stage 2: masked inputs.
      stage(cs, Stage.MASKED_INPUT, u -> server.sharesFor(u).toBytes(), null);
      UnmaskRequest[] request = new UnmaskRequest[1];
      server(() -> request[0] = server.closeMasking());
      byte[] requestBytes = request[0].toBytes();
      // Stage 3: consistency round (survivors sign the survivor list).
      stage(cs, Stage.CONSISTENCY, u -> request[0].survived(u) ? requestBytes : null,
          (u, in) -> clients[u].confirmSurvivors(UnmaskRequest.fromBytes(in)).toBytes());
      byte[][] signatures = new byte[1][];
      server(() -> signatures[0] = server.closeConsistency().toBytes());
      // Stage 4: unmask.
      stage(cs, Stage.UNMASK, u -> server.confirmed(u) ? signatures[0] : null,
          (u, in) -> clients[u].unmask(SurvivorSignatures.fromBytes(in)).toBytes());
      long w = System.nanoTime();
      SecAggResult[] r = new SecAggResult[1];
      server(() -> r[0] = server.finish());
      unmaskWall = System.nanoTime() - w;
      result = r[0];
    } catch (SecAggAbortedException e) {
      abort = e.getMessage();
    } finally {
      pool.shutdownNow();
    }
    double wallMs = (System.nanoTime() - wall0) / 1e6;

    boolean correct = false;
    int survivors = 0;
    if (result != null) {
      survivors = result.survivorCount();
      int mask = config.modulusBits() == 32 ? -1 : (1 << config.modulusBits()) - 1;
      int[] expected = plainSum.clone();
      for (int i = 0; i < expected.length; i++) {
        expected[i] &= mask;
      }
      int[] included = new int[survivors];
      int m = 0;
      for (int u = 0; u < inPlainSum.length; u++) {
        if (inPlainSum[u]) {
          included[m++] = u;
        }
      }
      correct = Arrays.equals(expected, result.sum()) && Arrays.equals(Arrays.copyOf(included, m), result.survivors());
    }
    double clientSum = 0;
    double clientMax = 0;
    double expansionSum = 0;
    int complete = 0;
    double[] stageSum = new double[Stage.UNMASK.ordinal() + 1];
    for (int u = 0; u < clients.length; u++) {
      if (finished[u]) {
        complete++;
        for (int s = 0; s < stageSum.length; s++) {
          stageSum[s] += clientStageCpu[u][s] / 1e6;
        }
        clientSum += clientCpu[u] / 1e6;
        clientMax = Math.max(clientMax, clientCpu[u] / 1e6);
        expansionSum += bytesSent[u] / (4.0 * p.dimension());
      }
    }
    int dropped = 0;
    for (Stage s : dropAt) {
      dropped += s != null ? 1 : 0;
    }
    double[] stageMeans = new double[stageSum.length];
    for (int s = 0; s < stageSum.length; s++) {
      stageMeans[s] = complete > 0 ? stageSum[s] / complete : Double.NaN;
    }
    return new SecAggBenchResult(p, config.neighbours(), config.threshold(), dropped, survivors,
        complete > 0 ? clientSum / complete : Double.NaN, complete > 0 ? clientMax : Double.NaN, stageMeans,
        serverCpu / 1e6, unmaskWall / 1e6,
        plainCpu / 1e6, complete > 0 ? expansionSum / complete : Double.NaN, wallMs, correct, abort);
  }

  /** A client's work for one stage, given what the server relayed (null in stage 0). */
  @FunctionalInterface
  private interface ClientWork {
    byte[] apply(int client, byte[] fromServer);
  }

  /** What a client step hands back to the server thread. */
  private record Step(int client, Stage stage, byte[] toServer, int[] plainInput) {}

  private void stage(CompletionService<Step> cs, Stage stage, IntFunction<byte[]> relay, ClientWork work) {
    int window = 2 * p.threads() + 2; // bounds memory: at most this many vectors in flight
    int outstanding = 0;
    for (int u = 0; u < clients.length; u++) {
      if (clients[u].stage() != stage || (dropAt[u] != null && dropAt[u].ordinal() <= stage.ordinal())) {
        continue;
      }
      int client = u;
      byte[][] in = new byte[1][];
      server(() -> in[0] = relay.apply(client));
      if ((stage == Stage.UNMASK || stage == Stage.CONSISTENCY) && in[0] == null) {
        continue; // not a survivor: not asked to sign or unmask
      }
      byte[] fromServer = in[0];
      cs.submit(() -> clientStep(stage, client, fromServer, work));
      outstanding++;
      while (outstanding >= window) {
        accept(take(cs));
        outstanding--;
      }
    }
    while (outstanding > 0) {
      accept(take(cs));
      outstanding--;
    }
  }

  private Step clientStep(Stage stage, int u, byte[] fromServer, ClientWork work) {
    long t0 = CPU.getCurrentThreadCpuTime();
    long excluded = 0;
    byte[] out;
    int[] input = null;
    try {
      if (stage == Stage.MASKED_INPUT) {
        long g0 = CPU.getCurrentThreadCpuTime();
        input = input(u); // data generation is not protocol cost
        excluded = CPU.getCurrentThreadCpuTime() - g0;
        out = clients[u].maskInput(ShareBundle.fromBytes(fromServer), input).toBytes();
      } else {
        out = work.apply(u, fromServer);
      }
    } catch (SecAggAbortedException e) {
      out = null; // the client gave up on its own (too few live neighbours): it has dropped
      input = null;
    }
    long cpu = CPU.getCurrentThreadCpuTime() - t0 - excluded;
    synchronized (this) {
      clientCpu[u] += cpu;
      clientStageCpu[u][stage.ordinal()] += cpu;
      if (out != null) {
        bytesSent[u] += out.length;
        if (stage == Stage.UNMASK) {
          finished[u] = true;
        }
      }
    }
    return new Step(u, stage, out, input);
  }

  private void accept(Step s) {
    if (s.toServer() == null) {
      return;
    }
    byte[] credential = credentials[s.client()];
    if (credential != null && s.stage() == Stage.ADVERTISE_KEYS) {
      // Service mode: the coordinator keeps the sender's client certificate with its advertisement.
      server(() -> server.receiveAdvertisement(KeyAdvertisement.fromBytes(s.toServer()), credential));
      return;
    }
    server(() -> server.receive(s.toServer()));
    if (s.plainInput() != null) {
      long t0 = CPU.getCurrentThreadCpuTime();
      int[] x = s.plainInput();
      for (int i = 0; i < plainSum.length; i++) {
        plainSum[i] += x[i];
      }
      plainCpu += CPU.getCurrentThreadCpuTime() - t0;
      inPlainSum[s.client()] = true;
    }
  }

  private static Step take(CompletionService<Step> cs) {
    try {
      return cs.take().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  private void server(Runnable r) {
    long t0 = CPU.getCurrentThreadCpuTime();
    try {
      r.run();
    } finally {
      serverCpu += CPU.getCurrentThreadCpuTime() - t0;
    }
  }

  private int[] input(int u) {
    ChaChaRandom r = new ChaChaRandom(derive("input", u));
    double[] x = new double[p.dimension()];
    for (int i = 0; i < x.length; i++) {
      x[i] = 2 * r.nextDouble() - 1;
    }
    return new StochasticQuantizer(quantization, r).quantizeToInts(x);
  }

  private Stage[] chooseDropouts() {
    int n = p.clients();
    int m = (int) Math.round(p.dropout() * n);
    ChaChaRandom r = new ChaChaRandom(derive("dropouts", 0));
    int[] ids = new int[n];
    for (int i = 0; i < n; i++) {
      ids[i] = i;
    }
    Stage[] stages = {Stage.ADVERTISE_KEYS, Stage.SHARE_KEYS, Stage.MASKED_INPUT, Stage.UNMASK};
    Stage[] out = new Stage[n];
    for (int i = 0; i < m; i++) { // partial Fisher–Yates: the first m of a random order drop
      int j = i + r.uniformInt(n - i);
      int tmp = ids[i];
      ids[i] = ids[j];
      ids[j] = tmp;
      out[ids[i]] = p.dropStage().stage != null ? p.dropStage().stage : stages[r.uniformInt(4)];
    }
    return out;
  }

  private byte[] derive(String purpose, int index) {
    byte[] info = ByteBuffer.allocate(purpose.length() + 4).put(purpose.getBytes(StandardCharsets.UTF_8))
        .putInt(index).array();
    return Hkdf.sha256(masterSeed, null, info, 32);
  }
}
