package org.hedgerow.edge.silo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.hedgerow.edge.data.PurchaseLine;
import org.hedgerow.edge.serve.ServeEvent;
import org.hedgerow.edge.serve.ServeStore;

/**
 * What the silo's serving store says about the next training round: customers who opted out of
 * training or were erased (kept out of the examples, the item statistics and every DP release built
 * from this data), and the feedback posted to the service by everyone else (added to the log).
 * Applied to the log's lines before anything is derived from them, so the catalogue, the statistics
 * and the examples all follow it ({@code hedgerow client --serve-store}).
 *
 * @param excluded customers whose data must not be used for training
 * @param feedback events posted to {@code hedgerow serve}, as log lines, of customers not excluded
 */
public record TrainingConsent(Set<Integer> excluded, List<PurchaseLine> feedback) {
  public TrainingConsent {
    excluded = Set.copyOf(excluded);
    feedback = List.copyOf(feedback);
  }

  /** Nothing excluded, nothing added: a silo without a serving store. */
  public static TrainingConsent none() {
    return new TrainingConsent(Set.of(), List.of());
  }

  /** Reads a serving store (while {@code serve} may be running on it). */
  public static TrainingConsent fromStore(Path store) {
    if (!Files.isRegularFile(store)) {
      throw new IllegalArgumentException("no serving store at " + store + " (the file 'hedgerow serve --store' writes)");
    }
    try (ServeStore s = ServeStore.open(store)) {
      Set<Integer> excluded = s.excludedFromTraining();
      List<PurchaseLine> feedback = new ArrayList<>();
      for (ServeEvent e : s.events()) {
        if (!excluded.contains(e.customer())) {
          feedback.add(e.asLine());
        }
      }
      return new TrainingConsent(excluded, feedback);
    }
  }

  /** The lines to train on: {@code log} and the feedback, without any excluded customer's. */
  public List<PurchaseLine> trainingLines(List<PurchaseLine> log) {
    List<PurchaseLine> out = new ArrayList<>(log.size() + feedback.size());
    for (PurchaseLine l : log) {
      if (!excluded.contains(l.customerId())) {
        out.add(l);
      }
    }
    out.addAll(feedback);
    return out;
  }
}
