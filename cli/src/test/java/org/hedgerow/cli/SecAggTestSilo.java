package org.hedgerow.cli;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.hedgerow.aggregation.wire.Wire;
import org.hedgerow.edge.client.ClientCredentials;
import org.hedgerow.edge.client.CoordinatorClient;
import org.hedgerow.edge.client.SecureAggregationParticipant;
import org.hedgerow.privacy.crypto.Ed25519KeyPair;

/**
 * An enrolled silo process for the secure-aggregation process tests: joins by its client certificate
 * (mutual TLS) and, in every round, contributes the constant delta {@code value} with FedAvg weight
 * {@code weight} through {@link SecureAggregationParticipant} — no data, no training, so the test knows
 * each input exactly. Prints {@code posted STAGE round R} after each accepted stage message.
 *
 * <p>Usage: {@code URL CREDENTIALS SILO VALUE WEIGHT MODE} where MODE is {@code normal}, {@code stall}
 * (stops for good after its round-1 shares: a kill -9 target) or {@code pause:FILE} (after its first
 * shares, waits until FILE exists, then goes on).
 */
public final class SecAggTestSilo {
  private SecAggTestSilo() {}

  public static void main(String[] a) throws Exception {
    URI url = URI.create(a[0]);
    ClientCredentials credentials = ClientCredentials.load(Path.of(a[1]));
    CoordinatorClient cc = new CoordinatorClient(url, 8, credentials);
    String silo = a[2];
    float value = Float.parseFloat(a[3]);
    long weight = Long.parseLong(a[4]);
    String mode = a[5];
    // The key the federation CA certified at enrolment: the other silos check it against the CA.
    Ed25519KeyPair identity = credentials.certifiedIdentity();
    System.out.println("joined as " + cc.join(identity.publicKey()));
    float[] delta = new float[cc.getJson(Wire.MODEL).path("parameter_count").asInt()];
    Arrays.fill(delta, value);
    boolean[] held = {false};
    int last = 0;
    while (true) {
      CoordinatorClient.RoundState st = cc.round(last);
      if (st.finished()) {
        System.out.println("finished");
        return;
      }
      if (!st.training() || st.round() <= last) {
        continue;
      }
      SecureAggregationParticipant p = new SecureAggregationParticipant(silo, cc, identity,
          org.hedgerow.edge.client.SecureAggregationPolicy.NONE, credentials.ca()).onPosted((r, stage) -> {
        System.out.println("posted " + stage + " round " + r);
        System.out.flush();
        if (!stage.equals("share-keys") || held[0]) {
          return;
        }
        held[0] = true;
        try {
          if (mode.equals("stall")) {
            Thread.sleep(Long.MAX_VALUE);
          } else if (mode.startsWith("pause:")) {
            Path go = Path.of(mode.substring("pause:".length()));
            while (!Files.exists(go)) {
              Thread.sleep(50);
            }
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      System.out.println("round " + st.round() + " " + p.contribute(st.round(), delta, weight));
      System.out.flush();
      last = st.round();
    }
  }
}
