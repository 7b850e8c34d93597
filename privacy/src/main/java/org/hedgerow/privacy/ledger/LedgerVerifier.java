package org.hedgerow.privacy.ledger;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.hedgerow.privacy.accounting.DpEvent;
import org.hedgerow.privacy.accounting.RdpAccountant;
import org.hedgerow.privacy.budget.Spend;
import org.hedgerow.privacy.crypto.Ed25519;

/**
 * Checks a privacy ledger offline, with public keys only: the chain (sequence numbers and previous
 * hashes), the coordinator's countersignature of every link, each silo's signature where its key is
 * given, that each holder's ε never decreases and never exceeds its cap, and that the ε it reports
 * is not below what the RDP accountant gives for the mechanisms listed in its links.
 *
 * <p>The last check is one-sided on purpose: a silo may charge more than its links show (for example
 * a pre-training statistics release, which is charged to its budget but is not a round), so a
 * reported ε above the recomputed one is conservative and only noted; one below it is a finding.
 */
public final class LedgerVerifier {
  /** Relative slack for the recomputed-ε comparison (the same accountant in floating point). */
  static final double EPSILON_TOLERANCE = 1e-9;

  /** What a holder's links add up to. */
  public record HolderSummary(String holder, int links, double reportedEpsilon, double recomputedEpsilon, double cap,
      boolean signed) {}

  /** The verdict: empty {@code findings} means the ledger is intact and consistent. */
  public record Report(int links, String head, List<String> findings, Map<String, HolderSummary> holders) {
    public boolean intact() {
      return findings.isEmpty();
    }
  }

  private LedgerVerifier() {}

  /**
   * @param coordinatorPublicKey the coordinator's Ed25519 public key
   * @param siloPublicKeys Ed25519 public keys of silos whose signatures must be checked, by holder
   *     name; a link of a listed silo without a valid signature is a finding, links of unlisted
   *     holders are checked for everything but the silo signature
   */
  public static Report verify(List<LedgerEntry> ledger, byte[] coordinatorPublicKey, Map<String, byte[]> siloPublicKeys) {
    List<String> findings = new ArrayList<>();
    Map<String, List<Spend>> byHolder = new LinkedHashMap<>();
    Map<String, Boolean> signed = new LinkedHashMap<>();
    String previous = LedgerEntry.GENESIS;
    for (int i = 0; i < ledger.size(); i++) {
      LedgerEntry e = ledger.get(i);
      Spend s = e.spend();
      if (e.sequence() != i) {
        findings.add("link " + i + " has sequence " + e.sequence());
      }
      if (!e.previousHash().equals(previous)) {
        findings.add("link " + i + " does not follow link " + (i - 1) + ": previous hash " + e.previousHash()
            + ", expected " + previous);
      }
      if (!Ed25519.verify(coordinatorPublicKey, e.linkBytes(), e.coordinatorSignature())) {
        findings.add("link " + i + " (" + s.holder() + ", round " + s.round() + "): coordinator countersignature invalid");
      }
      byte[] siloKey = siloPublicKeys.get(s.holder());
      boolean siloSigned = siloKey != null && Ed25519.verify(siloKey, LedgerEntry.spendBytes(s), e.siloSignature());
      if (siloKey != null && !siloSigned) {
        findings.add("link " + i + " (" + s.holder() + ", round " + s.round() + "): silo signature "
            + (e.siloSignature().length == 0 ? "missing" : "invalid"));
      }
      signed.merge(s.holder(), siloSigned, Boolean::logicalAnd);
      List<Spend> earlier = byHolder.computeIfAbsent(s.holder(), h -> new ArrayList<>());
      if (!earlier.isEmpty()) {
        Spend last = earlier.get(earlier.size() - 1);
        if (s.epsilon() < last.epsilon()) {
          findings.add(String.format(Locale.ROOT, "link %d (%s, round %d): epsilon %s is below the previous %s", i,
              s.holder(), s.round(), s.epsilon(), last.epsilon()));
        }
        if (s.round() <= last.round()) {
          findings.add("link " + i + " (" + s.holder() + "): round " + s.round() + " charged again after round "
              + last.round());
        }
        if (s.delta() != last.delta() || s.cap() != last.cap()) {
          findings.add("link " + i + " (" + s.holder() + "): delta or cap changed mid-run");
        }
      }
      if (!(s.epsilon() <= s.cap())) {
        findings.add(String.format(Locale.ROOT, "link %d (%s, round %d): epsilon %s exceeds the cap %s", i, s.holder(),
            s.round(), s.epsilon(), s.cap()));
      }
      earlier.add(s);
      previous = e.hash();
    }
    Map<String, HolderSummary> holders = new LinkedHashMap<>();
    byHolder.forEach((holder, spends) -> {
      Spend last = spends.get(spends.size() - 1);
      double recomputed = recompute(spends);
      if (last.epsilon() < recomputed * (1 - EPSILON_TOLERANCE)) {
        findings.add(String.format(Locale.ROOT,
            "%s reports epsilon %s but the accountant gives %s for its %d links: under-reported", holder,
            last.epsilon(), recomputed, spends.size()));
      }
      holders.put(holder, new HolderSummary(holder, spends.size(), last.epsilon(), recomputed, last.cap(),
          signed.get(holder)));
    });
    return new Report(ledger.size(), previous, List.copyOf(findings), holders);
  }

  /** ε at the holder's δ of the composition of its links' Poisson-sampled Gaussian steps. */
  static double recompute(List<Spend> spends) {
    return org.hedgerow.privacy.budget.SpendAccounting.epsilon(spends, spends.get(0).delta());
  }
}
