package org.hedgerow.cluster;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.hedgerow.aggregation.secagg.ClientRoster;
import org.hedgerow.aggregation.secagg.IdentityCertification;
import org.hedgerow.aggregation.secagg.KeyDirectory;
import org.hedgerow.aggregation.secagg.SecAggClient;
import org.hedgerow.aggregation.secagg.SecAggConfig;
import org.hedgerow.aggregation.secagg.ShareBundle;
import org.hedgerow.aggregation.secagg.SurvivorSignatures;
import org.hedgerow.aggregation.secagg.UnmaskRequest;
import org.hedgerow.privacy.crypto.Ed25519KeyPair;

/**
 * A worker's side of one region round under secure aggregation: for each of its silos, the encoded
 * update ({@link org.hedgerow.aggregation.secagg.SecureSumEncoding}) and the {@link SecAggClient}
 * that masks it. The silo's update never leaves this object except masked, so the region's
 * sub-coordinator learns the region's sum and nothing finer (docs/cluster.md).
 *
 * <p>Stages are driven by the sub-coordinator ({@link RegionalSecureSum}) one after another; each
 * takes, per silo of this worker, what the server relayed and answers that silo's next message.
 */
final class SiloMasking {
  /** A silo's part: its identity key pair, its encoded input, and (from stage 0) its protocol client. */
  private static final class Part {
    final Ed25519KeyPair identity;
    final int[] input;
    SecAggClient client;

    Part(Ed25519KeyPair identity, int[] input) {
      this.identity = identity;
      this.input = input;
    }
  }

  private final Map<String, Part> parts = new LinkedHashMap<>();

  /** Holds {@code silo}'s encoded input, to be masked with {@code identity} once the roster is known. */
  void hold(String silo, Ed25519KeyPair identity, int[] encoded) {
    parts.put(silo, new Part(identity, encoded));
  }

  /**
   * Stage 0: builds each silo's client for the region's session and answers its key advertisement.
   * The session parameters arrive from the sub-coordinator, but the protocol round id is computed
   * here from the round and the session name, so nothing signed here is valid in another session.
   *
   * @param clientIds each of this worker's silos' index in {@code roster}
   * @throws IllegalStateException the roster does not list a silo's own identity key at its index
   */
  List<byte[]> advertise(SessionTerms terms, ClientRoster roster, Map<String, Integer> clientIds) {
    SecAggConfig config = terms.config();
    if (roster.size() != config.numClients()) {
      throw new IllegalStateException("the roster lists " + roster.size() + " keys for " + config.numClients()
          + " clients");
    }
    for (Map.Entry<String, Integer> e : clientIds.entrySet()) {
      Part p = part(e.getKey());
      int id = e.getValue();
      if (id < 0 || id >= roster.size() || !Arrays.equals(roster.identityKey(id), p.identity.publicKey())) {
        throw new IllegalStateException("the sub-coordinator's roster does not list silo " + e.getKey()
            + "'s identity key at index " + id + ": refusing the session");
      }
      p.client = new SecAggClient(config, id, p.identity, roster, IdentityCertification.TRUST_ROSTER);
    }
    return each(clientIds.keySet(), p -> client(p).advertiseKeys().toBytes());
  }

  /** Stage 1: each silo's encrypted shares, from its key directory. */
  List<byte[]> shareKeys(List<String> silos, List<byte[]> directories) {
    return each(silos, directories, (p, in) -> client(p).shareKeys(KeyDirectory.fromBytes(in)).toBytes());
  }

  /** Stage 2: each silo's masked input; the plain encoding is wiped once masked. */
  List<byte[]> maskInput(List<String> silos, List<byte[]> bundles) {
    return each(silos, bundles, (p, in) -> {
      byte[] out = client(p).maskInput(ShareBundle.fromBytes(in), p.input).toBytes();
      Arrays.fill(p.input, 0);
      return out;
    });
  }

  /** Stage 3: each silo's signature on the survivor list. */
  List<byte[]> confirmSurvivors(List<String> silos, byte[] request) {
    return each(silos, p -> client(p).confirmSurvivors(UnmaskRequest.fromBytes(request)).toBytes());
  }

  /** Stage 4: each silo's unmasking shares. */
  List<byte[]> unmask(List<String> silos, byte[] signatures) {
    return each(silos, p -> client(p).unmask(SurvivorSignatures.fromBytes(signatures)).toBytes());
  }

  private static SecAggClient client(Part p) {
    if (p.client == null) {
      throw new IllegalStateException("the session's stages arrived out of order: no key advertisement yet");
    }
    return p.client;
  }

  private Part part(String silo) {
    Part p = parts.get(silo);
    if (p == null) {
      throw new IllegalStateException("no masked update held for silo " + silo + " in this round");
    }
    return p;
  }

  private List<byte[]> each(Iterable<String> silos, Function<Part, byte[]> step) {
    List<byte[]> out = new ArrayList<>();
    for (String s : silos) {
      out.add(step.apply(part(s)));
    }
    return out;
  }

  private List<byte[]> each(List<String> silos, List<byte[]> in, BiFunction<Part, byte[], byte[]> step) {
    if (in.size() != silos.size()) {
      throw new IllegalStateException(in.size() + " messages relayed for " + silos.size() + " silos");
    }
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < silos.size(); i++) {
      out.add(step.apply(part(silos.get(i)), in.get(i)));
    }
    return out;
  }
}
