package org.hedgerow.simulations;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hedgerow.coordinator.Federation;
import org.hedgerow.edge.client.EdgeClient;
import org.hedgerow.edge.dp.DpConfig;
import org.hedgerow.privacy.budget.Spend;

/**
 * What the private federation spent: the coordinator's ledger (every silo's signed log as it
 * posted it — its statistics release, then one {@link Spend} per round; in central mode the
 * coordinator's own), and per holder the ε after its last round, its cap and the rounds it took part in.
 *
 * @param mode {@code local} or {@code central}
 * @param delta δ of every ε
 * @param noiseMultiplier σ actually used
 * @param calibrated whether σ was calibrated from the cap (rather than given)
 * @param spends the ledger, in the order the coordinator accepted it
 * @param holders per silo (local) or the coordinator (central)
 * @param finishReason why the federation stopped
 * @param composedEpsilon when this run trained more than one DP federation on the same customers
 *     (the demo's {@code federated-dp} and {@code federated-dp-secagg}): per silo, the ε of all of
 *     them together (one release, every round of every federation) by the same accountant; null
 *     otherwise. Each federation's own ε is within the cap; their composition is not.
 * @param ledger the coordinator's signed ledger of this federation, or null when it was not available
 */
public record PrivacyReport(String mode, double delta, double noiseMultiplier, boolean calibrated, List<Spend> spends,
    Map<String, Holder> holders, String finishReason, Map<String, Double> composedEpsilon, SignedLedger ledger) {

  PrivacyReport(String mode, double delta, double noiseMultiplier, boolean calibrated, List<Spend> spends,
      Map<String, Holder> holders, String finishReason) {
    this(mode, delta, noiseMultiplier, calibrated, spends, holders, finishReason, null, null);
  }

  /** This report with the composed ε of several federations on the same customers. */
  PrivacyReport withComposed(Map<String, Double> composed) {
    return new PrivacyReport(mode, delta, noiseMultiplier, calibrated, spends, holders, finishReason, composed, ledger);
  }

  /** This report with the coordinator's signed ledger. */
  PrivacyReport withLedger(SignedLedger signed) {
    return new PrivacyReport(mode, delta, noiseMultiplier, calibrated, spends, holders, finishReason, composedEpsilon,
        signed);
  }

  /**
   * The ε of several logs of one silo on the same customers together: the release once (they all
   * reuse it) and every round of every log.
   */
  static double composed(List<List<Spend>> logs, double delta) {
    List<Spend> all = new ArrayList<>();
    boolean first = true;
    for (List<Spend> log : logs) {
      for (Spend s : log) {
        if (!s.isRelease() || first) {
          all.add(s);
        }
      }
      first = false;
    }
    all.sort(java.util.Comparator.comparing(Spend::isRelease).reversed()); // releases first, stable otherwise
    return org.hedgerow.privacy.budget.SpendAccounting.epsilon(all, delta);
  }

  /** One budget holder's position at the end of the run. */
  public record Holder(double epsilon, double cap, int rounds, String declined) {}

  static PrivacyReport of(Scenario scenario, String mode, List<Spend> ledger, Map<String, Federation.Declined> declined,
      List<EdgeClient> clients, DpConfig dp, String finishReason) {
    Map<String, Holder> holders = new LinkedHashMap<>();
    if (mode.equals("local")) {
      for (EdgeClient c : clients) {
        List<Spend> own = ledger.stream().filter(s -> s.holder().equals(c.silo())).toList();
        List<Spend> log = c.budget().log();
        double recorded = own.isEmpty() ? 0 : own.get(own.size() - 1).epsilon();
        // The coordinator only knows what silos signed and posted; it must hold the silo's whole log,
        // releases included, entry for entry. A silo that declined round 1 charged only its
        // item-statistics release, which never left the silo and was never posted.
        boolean onlyUnpostedReleases = own.isEmpty() && log.stream().allMatch(Spend::isRelease);
        if (!own.equals(log) && !onlyUnpostedReleases) {
          throw new IllegalStateException("ledger mismatch for " + c.silo() + ": the coordinator recorded " + own.size()
              + " spends (epsilon " + recorded + "), the silo's budget log has " + log.size() + " (epsilon "
              + c.budget().epsilon() + "): " + own + " vs " + log);
        }
        int rounds = (int) own.stream().filter(s -> !s.isRelease()).count();
        Federation.Declined d = declined.get(c.silo());
        holders.put(c.silo(), new Holder(recorded, c.budget().epsilonCap(), rounds, d == null ? null : d.reason()));
      }
    } else {
      double eps = ledger.isEmpty() ? 0 : ledger.get(ledger.size() - 1).epsilon();
      holders.put(Simulation.CENTRAL_HOLDER, new Holder(eps, scenario.epsilonCap(), ledger.size(), null));
    }
    for (Map.Entry<String, Holder> e : holders.entrySet()) {
      if (e.getValue().epsilon() > e.getValue().cap()) {
        throw new IllegalStateException(e.getKey() + " spent epsilon " + e.getValue().epsilon() + " over its cap "
            + e.getValue().cap());
      }
    }
    double sigma = dp != null ? dp.noiseMultiplier() : ledger.isEmpty() ? Double.NaN : ledger.get(0).noiseMultiplier();
    return new PrivacyReport(mode, scenario.delta(), sigma, scenario.noiseMultiplier() == null, new ArrayList<>(ledger),
        holders, finishReason);
  }

  /**
   * Local mode when the silos' budgets were kept elsewhere (cluster workers) and the coordinator saw no
   * spend: each silo's whole signed log as its worker kept it. Every signature is checked, every log
   * must be one holder's under one key with consecutive counters, and every ε is recomputed here by
   * the accountant ({@code SpendAccounting}) and must equal what the silo recorded.
   *
   * @param silos the DP silos that took part (each must have a log)
   * @throws IllegalStateException a log is missing, forged, or its ε disagrees with the accountant
   */
  static PrivacyReport fromSiloLogs(Scenario scenario, Map<String, List<org.hedgerow.privacy.budget.SignedSpend>> logs,
      List<String> silos, DpConfig dp, String finishReason) {
    Map<String, Holder> holders = new LinkedHashMap<>();
    List<Spend> all = new ArrayList<>();
    for (String silo : silos) {
      List<org.hedgerow.privacy.budget.SignedSpend> log = logs.get(silo);
      if (log == null || log.isEmpty()) {
        throw new IllegalStateException("no privacy spends came back for DP silo " + silo + " from its worker");
      }
      List<Spend> spends = new ArrayList<>();
      for (int i = 0; i < log.size(); i++) {
        var signed = log.get(i);
        Spend sp = signed.spend();
        if (!signed.valid() || !java.util.Arrays.equals(signed.publicKey(), log.get(0).publicKey())
            || !sp.holder().equals(silo) || sp.counter() != i) {
          throw new IllegalStateException("silo " + silo + "'s spend " + i + " is not a validly signed, consecutive "
              + "entry of its own log: " + sp);
        }
        spends.add(sp);
      }
      double recorded = spends.get(spends.size() - 1).epsilon();
      double recomputed = org.hedgerow.privacy.budget.SpendAccounting.epsilon(spends, scenario.delta());
      if (recomputed != recorded) {
        throw new IllegalStateException("silo " + silo + " recorded epsilon " + recorded + ", the accountant gives "
            + recomputed + " on its log");
      }
      int rounds = (int) spends.stream().filter(x -> !x.isRelease()).count();
      holders.put(silo, new Holder(recorded, spends.get(spends.size() - 1).cap(), rounds, null));
      all.addAll(spends);
    }
    for (Map.Entry<String, Holder> e : holders.entrySet()) {
      if (e.getValue().epsilon() > e.getValue().cap()) {
        throw new IllegalStateException(e.getKey() + " spent epsilon " + e.getValue().epsilon() + " over its cap "
            + e.getValue().cap());
      }
    }
    return new PrivacyReport("local", scenario.delta(), dp.noiseMultiplier(), scenario.noiseMultiplier() == null, all,
        holders, finishReason);
  }

  /** The largest ε any holder reached. */
  public double maxEpsilon() {
    return holders.values().stream().mapToDouble(Holder::epsilon).max().orElse(0);
  }
}
