package org.hedgerow.aggregation.secagg;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.hedgerow.privacy.crypto.Ed25519;
import org.hedgerow.privacy.crypto.Ed25519KeyPair;

/**
 * Runs one round in-process, every message going through its byte encoding, with a chosen
 * dropout stage per client; records everything the server received.
 */
final class SecAggHarness {
  final SecAggConfig config;
  final List<Ed25519KeyPair> identities = new ArrayList<>();
  final ClientRoster roster;
  /** Seeded from the advertisements: known after {@link #stage0}. */
  NeighbourGraph graph;
  final SecAggClient[] clients;
  /** Per client: the credential the server relays with its advertisement (null: none). */
  byte[][] credentials;
  final SecAggServer server;
  final int[][] inputs;
  /** Per client: the stage whose message it never sends (null: never drops). */
  final Stage[] dropAt;

  final List<KeyAdvertisement> receivedAds = new ArrayList<>();
  final List<MaskedInput> receivedMasked = new ArrayList<>();
  final List<UnmaskingShares> receivedUnmasking = new ArrayList<>();
  final List<byte[]> allBytesToServer = new ArrayList<>();
  UnmaskRequest unmaskRequest;
  SurvivorSignatures survivorSignatures;

  SecAggHarness(SecAggConfig config, long dataSeed) {
    this.config = config;
    SecureRandom sr = new SecureRandom();
    List<byte[]> pks = new ArrayList<>();
    for (int i = 0; i < config.numClients(); i++) {
      Ed25519KeyPair kp = Ed25519.generateKeyPair(sr);
      identities.add(kp);
      pks.add(kp.publicKey());
    }
    roster = new ClientRoster(pks);
    clients = new SecAggClient[config.numClients()];
    for (int i = 0; i < clients.length; i++) {
      clients[i] = new SecAggClient(config, i, identities.get(i), roster);
    }
    server = new SecAggServer(config, roster);
    Random data = new Random(dataSeed); // test data, not key material
    inputs = new int[config.numClients()][config.dimension()];
    int mask = config.resultMask();
    for (int[] x : inputs) {
      for (int j = 0; j < x.length; j++) {
        x[j] = data.nextInt() & mask;
      }
    }
    dropAt = new Stage[config.numClients()];
  }

  /** Random dropouts: each client drops with probability p, at a uniformly chosen stage. */
  SecAggHarness dropRandomly(double p, Random random) {
    Stage[] stages = {Stage.ADVERTISE_KEYS, Stage.SHARE_KEYS, Stage.MASKED_INPUT, Stage.CONSISTENCY, Stage.UNMASK};
    for (int i = 0; i < dropAt.length; i++) {
      if (random.nextDouble() < p) {
        dropAt[i] = stages[random.nextInt(stages.length)];
      }
    }
    return this;
  }

  /**
   * Every client checks identity keys against {@code ca}, and the server relays, with each
   * advertisement, a certificate from {@code ca} certifying that client's key.
   */
  SecAggHarness certifiedBy(TestFederationCa ca) {
    credentials = new byte[clients.length][];
    for (int i = 0; i < clients.length; i++) {
      credentials[i] = ca.issue("silo-" + i, identities.get(i).publicKey());
      clients[i] = new SecAggClient(config, i, identities.get(i), roster, CertifiedIdentityKeys.federationCa(ca.certificate));
    }
    return this;
  }

  SecAggHarness drop(Stage stage, int... ids) {
    for (int id : ids) {
      dropAt[id] = stage;
    }
    return this;
  }

  private boolean sends(int u, Stage stage) {
    return clients[u].stage() == stage && (dropAt[u] == null || dropAt[u].ordinal() > stage.ordinal());
  }

  private void toServer(SecAggMessage m) {
    byte[] b = m.toBytes();
    allBytesToServer.add(b);
    SecAggMessage decoded = SecAggMessage.fromBytes(b);
    if (decoded instanceof KeyAdvertisement a) {
      receivedAds.add(a);
    } else if (decoded instanceof MaskedInput y) {
      receivedMasked.add(y);
    } else if (decoded instanceof UnmaskingShares u) {
      receivedUnmasking.add(u);
    }
    if (decoded instanceof KeyAdvertisement a && credentials != null) {
      server.receiveAdvertisement(a, credentials[a.clientId()]);
    } else {
      server.receive(b);
    }
  }

  void stage0() {
    for (int u = 0; u < clients.length; u++) {
      if (sends(u, Stage.ADVERTISE_KEYS)) {
        toServer(clients[u].advertiseKeys());
      }
    }
    server.closeAdvertising();
    graph = server.graph();
  }

  void stage1() {
    for (int u = 0; u < clients.length; u++) {
      if (sends(u, Stage.SHARE_KEYS)) {
        KeyDirectory dir = KeyDirectory.fromBytes(server.keysFor(u).toBytes());
        try {
          toServer(clients[u].shareKeys(dir));
        } catch (SecAggAbortedException e) {
          // too few live neighbours: this client drops out on its own
        }
      }
    }
    server.closeSharing();
  }

  void stage2() {
    for (int u = 0; u < clients.length; u++) {
      if (sends(u, Stage.MASKED_INPUT)) {
        ShareBundle bundle = ShareBundle.fromBytes(server.sharesFor(u).toBytes());
        try {
          toServer(clients[u].maskInput(bundle, inputs[u]));
        } catch (SecAggAbortedException e) {
          // drops out on its own
        }
      }
    }
    unmaskRequest = UnmaskRequest.fromBytes(server.closeMasking().toBytes());
  }

  /** The consistency round: survivors sign the survivor list. */
  void stage3() {
    for (int u = 0; u < clients.length; u++) {
      if (sends(u, Stage.CONSISTENCY) && unmaskRequest.survived(u)) {
        toServer(clients[u].confirmSurvivors(unmaskRequest));
      }
    }
    survivorSignatures = SurvivorSignatures.fromBytes(server.closeConsistency().toBytes());
  }

  SecAggResult stage4() {
    for (int u = 0; u < clients.length; u++) {
      if (sends(u, Stage.UNMASK) && server.confirmed(u)) {
        toServer(clients[u].unmask(survivorSignatures));
      }
    }
    return server.finish();
  }

  SecAggResult run() {
    stage0();
    stage1();
    stage2();
    stage3();
    return stage4();
  }

  /** The plaintext sum mod 2^b of the given clients' inputs. */
  int[] expectedSum(int[] survivors) {
    int[] s = new int[config.dimension()];
    for (int u : survivors) {
      for (int j = 0; j < s.length; j++) {
        s[j] += inputs[u][j];
      }
    }
    int mask = config.resultMask();
    for (int j = 0; j < s.length; j++) {
      s[j] &= mask;
    }
    return s;
  }
}
