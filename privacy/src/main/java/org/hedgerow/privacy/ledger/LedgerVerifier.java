package org.hedgerow.privacy.ledger;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.hedgerow.privacy.budget.SignedSpend;
import org.hedgerow.privacy.budget.Spend;
import org.hedgerow.privacy.budget.SpendAccounting;
import org.hedgerow.privacy.crypto.Ed25519;
import org.hedgerow.privacy.crypto.Hex;

/**
 * Checks a privacy ledger offline, with public keys only. Per link: the chain (sequence numbers and
 * previous hashes), the coordinator's countersignature, the holder's signature under the link's
 * public key (a silo link without a valid one is a finding; only the coordinator's own
 * {@code central-gaussian} links carry none), the key pinned for the holder if one is given, one
 * key per holder, counters 0, 1, 2, … per holder (a counter going back to 0 is a budget log reset),
 * releases before rounds, δ and cap constant, ε ≤ cap, a known mechanism, and ε recomputed by
 * {@link SpendAccounting} over the holder's links so far equal to the reported one — in both
 * directions: a silo that reports more than its links add up to is as inconsistent as one that
 * reports less.
 *
 * <p>Given a silo's own log ({@code spends.jsonl}), it is compared with the ledger both ways: every
 * link of that silo must equal the log's entry with the same counter, and the log's entries missing
 * from the ledger are listed (a finding only when a later counter of the silo is in the ledger: the
 * coordinator dropped one; missing entries at the end were charged by the silo but never reported).
 */
public final class LedgerVerifier {
  /** Relative slack of the recomputed-ε comparison: the same function in the same arithmetic, so none in practice. */
  public static final double EPSILON_TOLERANCE = 1e-12;
  /** Mechanisms a ledger may name. */
  public static final Set<String> KNOWN_MECHANISMS = Set.of("dp-sgd-user", "silo-stats-gaussian", "silo-count-gaussian",
      "central-gaussian", LedgerVerifier.DISTRIBUTED_MECHANISM);
  /**
   * A silo's round of distributed DP under secure aggregation: its σ is the effective noise multiplier
   * of the secure sum at the minimum number of survivors ({@code DistributedGaussianSum}), with no
   * sampling amplification claimed, so its sample rate and steps must both be 1. Its entry records every
   * parameter of that accounting ({@code DistributedGaussianParameters}); ε is recomputed from them,
   * and a recorded σ, Δ or τ that does not follow from them is a finding.
   */
  public static final String DISTRIBUTED_MECHANISM = "dp-sgd-user-distributed";
  /** The coordinator's own mechanism (central DP): the only links without a holder signature. */
  public static final String CENTRAL_MECHANISM = "central-gaussian";

  /**
   * What a holder's links add up to.
   *
   * @param links its links in the ledger
   * @param releases of which pre-training releases (round 0)
   * @param reportedEpsilon ε of its last link
   * @param recomputedEpsilon {@link SpendAccounting#epsilon} over all its links
   * @param signed every link carries a valid holder signature
   * @param publicKey hex of the key its first signed link names ("" if none)
   * @param lastCounter counter of its last link
   * @param unreported counters in the silo's own log (if given) that the ledger does not hold
   */
  public record HolderSummary(String holder, int links, int releases, double reportedEpsilon,
      double recomputedEpsilon, double cap, double delta, boolean signed, String publicKey, long lastCounter,
      List<Long> unreported) {}

  /**
   * The verdict: empty {@code findings} means the ledger is intact and consistent.
   *
   * @param notes observations that are not findings (e.g. spends a silo charged but never reported)
   */
  public record Report(int links, String head, List<String> findings, Map<String, HolderSummary> holders,
      List<String> notes) {
    public boolean intact() {
      return findings.isEmpty();
    }
  }

  private LedgerVerifier() {}

  /** As {@link #verify(List, byte[], Map, Map)} without silo logs. */
  public static Report verify(List<LedgerEntry> ledger, byte[] coordinatorPublicKey, Map<String, byte[]> pinnedKeys) {
    return verify(ledger, coordinatorPublicKey, pinnedKeys, Map.of());
  }

  /**
   * @param coordinatorPublicKey the coordinator's Ed25519 public key
   * @param pinnedKeys Ed25519 public keys of silos, by holder name: their links must carry exactly
   *     that key (and a valid signature under it)
   * @param siloLogs silos' own logs, by holder name, each in the order written
   */
  public static Report verify(List<LedgerEntry> ledger, byte[] coordinatorPublicKey, Map<String, byte[]> pinnedKeys,
      Map<String, List<SignedSpend>> siloLogs) {
    List<String> findings = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    Map<String, Holder> holders = new LinkedHashMap<>();
    String previous = LedgerEntry.GENESIS;
    for (int i = 0; i < ledger.size(); i++) {
      LedgerEntry e = ledger.get(i);
      Spend s = e.spend();
      String where = "link " + i + " (" + s.holder() + ", counter " + s.counter() + ", round " + s.round() + ")";
      if (e.sequence() != i) {
        findings.add("link " + i + " has sequence " + e.sequence());
      }
      if (!e.previousHash().equals(previous)) {
        findings.add("link " + i + " does not follow link " + (i - 1) + ": previous hash " + e.previousHash()
            + ", expected " + previous);
      }
      if (!Ed25519.verify(coordinatorPublicKey, e.linkBytes(), e.coordinatorSignature())) {
        findings.add(where + ": coordinator countersignature invalid");
      }
      Holder h = holders.computeIfAbsent(s.holder(), Holder::new);
      boolean coordinatorsOwn = !e.holderSigned() && s.mechanism().equals(CENTRAL_MECHANISM);
      boolean signatureValid = false;
      if (!coordinatorsOwn) {
        byte[] key = e.publicKey();
        if (key.length != Ed25519.KEY_BYTES) {
          findings.add(where + ": silo link without " + (key.length == 0 ? "a public key" : "a 32-byte public key")
              + " (silo signature " + (e.siloSignature().length == 0 ? "missing" : "unverifiable") + ")");
        } else {
          signatureValid = Ed25519.verify(key, s.signedBytes(), e.siloSignature());
          if (!signatureValid) {
            findings.add(where + ": silo signature " + (e.siloSignature().length == 0 ? "missing" : "invalid")
                + " under the link's public key");
          }
          byte[] pinned = pinnedKeys.get(s.holder());
          if (pinned != null && !Arrays.equals(pinned, key)) {
            findings.add(where + ": public key " + hex(key) + " is not the key pinned for " + s.holder() + " ("
                + hex(pinned) + ")");
          }
          if (h.key == null) {
            h.key = key;
          } else if (!Arrays.equals(h.key, key)) {
            findings.add(where + ": public key " + hex(key) + " differs from the holder's earlier key " + hex(h.key)
                + " (a new identity: its budget log was not kept)");
          }
        }
      }
      h.signed &= signatureValid;
      if (!KNOWN_MECHANISMS.contains(s.mechanism())) {
        findings.add(where + ": unknown mechanism '" + s.mechanism() + "' (known: " + new java.util.TreeSet<>(
            KNOWN_MECHANISMS) + ")");
      }
      if (s.mechanism().equals(DISTRIBUTED_MECHANISM) && (s.sampleRate() != 1.0 || s.steps() != 1)) {
        findings.add(where + ": a " + DISTRIBUTED_MECHANISM + " round claims no sampling: sample rate and steps must"
            + " be 1 (found q " + s.sampleRate() + ", " + s.steps() + " steps)");
      }
      if (s.mechanism().equals(DISTRIBUTED_MECHANISM) && s.distributed() == null) {
        findings.add(where + ": a " + DISTRIBUTED_MECHANISM + " round records no distributed parameters (share "
            + "variance, t, n, dimension, sensitivity, tau): its epsilon cannot be recomputed from the entry");
      } else if (s.distributed() != null && !s.mechanism().equals(DISTRIBUTED_MECHANISM)) {
        findings.add(where + ": distributed parameters on a '" + s.mechanism() + "' spend (only "
            + DISTRIBUTED_MECHANISM + " rounds carry them)");
      }
      if (s.distributed() != null) {
        s.distributed().inconsistencies(s.clipNorm(), s.noiseMultiplier()).forEach(x -> findings.add(where + ": " + x));
      }
      if (!h.log.isEmpty()) {
        Spend last = h.log.get(h.log.size() - 1);
        if (s.counter() == 0) {
          findings.add(where + ": budget log reset (counter back to 0 after counter " + last.counter() + ")");
        } else if (s.counter() != last.counter() + 1) {
          findings.add(where + ": counter " + s.counter() + " does not follow " + last.counter() + " (expected "
              + (last.counter() + 1) + ")");
        }
        if (s.isRelease() && h.rounds > 0) {
          findings.add(where + ": a release after training rounds (releases must come first)");
        }
        if (s.delta() != h.log.get(0).delta() || s.cap() != h.log.get(0).cap()) {
          findings.add(String.format(Locale.ROOT, "%s: delta %s / cap %s changed from the holder's %s / %s", where,
              s.delta(), s.cap(), h.log.get(0).delta(), h.log.get(0).cap()));
        }
        if (!s.isRelease() && h.rounds > 0 && s.round() < h.lastRound) {
          findings.add(where + ": round " + s.round() + " charged after round " + h.lastRound);
        }
      } else if (s.counter() != 0) {
        findings.add(where + ": the holder's first link has counter " + s.counter() + " (expected 0)");
      }
      if (!(s.epsilon() <= s.cap())) {
        findings.add(String.format(Locale.ROOT, "%s: epsilon %s exceeds the cap %s", where, s.epsilon(), s.cap()));
      }
      h.log.add(s);
      h.links.add(i);
      if (s.isRelease()) {
        h.releases++;
      } else {
        h.rounds++;
        h.lastRound = s.round();
      }
      double recomputed = recompute(h.log, where, findings);
      h.recomputed = recomputed;
      String diff = compareEpsilon(s.epsilon(), recomputed);
      if (diff != null) {
        findings.add(String.format(Locale.ROOT, "%s: reports epsilon %s but the accountant gives %s for the holder's "
            + "%d links up to it: %s", where, s.epsilon(), recomputed, h.log.size(), diff));
      }
      previous = e.hash();
    }
    Map<String, List<Long>> unreported = new TreeMap<>();
    siloLogs.forEach((silo, log) -> unreported.put(silo, compareWithSiloLog(silo, log, ledger, findings, notes)));
    Map<String, HolderSummary> summaries = new LinkedHashMap<>();
    holders.forEach((name, h) -> {
      Spend last = h.log.get(h.log.size() - 1);
      summaries.put(name, new HolderSummary(name, h.log.size(), h.releases, last.epsilon(), h.recomputed, last.cap(),
          last.delta(), h.signed, h.key == null ? "" : hex(h.key), last.counter(),
          unreported.getOrDefault(name, List.of())));
    });
    unreported.forEach((silo, missing) -> {
      if (!holders.containsKey(silo)) {
        summaries.put(silo, new HolderSummary(silo, 0, 0, 0, 0, Double.NaN, Double.NaN, false, "", -1, missing));
      }
    });
    return new Report(ledger.size(), previous, List.copyOf(findings), summaries, List.copyOf(notes));
  }

  /** Null if {@code reported} equals {@code recomputed} within the tolerance, else which way it differs. */
  public static String compareEpsilon(double reported, double recomputed) {
    if (Double.isNaN(recomputed)) {
      return null; // already a finding: the parameters could not be accounted
    }
    double scale = Math.max(Math.abs(recomputed), Math.abs(reported));
    if (Math.abs(reported - recomputed) <= EPSILON_TOLERANCE * scale) {
      return null;
    }
    return reported < recomputed ? "under-reported" : "over-reported";
  }

  /** ε of {@code log} at the first entry's δ, or NaN (with a finding) if its parameters cannot be accounted. */
  private static double recompute(List<Spend> log, String where, List<String> findings) {
    try {
      return SpendAccounting.epsilon(log, log.get(0).delta());
    } catch (IllegalArgumentException e) {
      findings.add(where + ": its parameters cannot be accounted: " + e.getMessage());
      return Double.NaN;
    }
  }

  /** Compares one silo's own log with its ledger links both ways; returns the log's counters the ledger lacks. */
  private static List<Long> compareWithSiloLog(String silo, List<SignedSpend> log, List<LedgerEntry> ledger,
      List<String> findings, List<String> notes) {
    Map<Long, SignedSpend> byCounter = new TreeMap<>();
    for (int i = 0; i < log.size(); i++) {
      SignedSpend s = log.get(i);
      String where = "silo log of " + silo + ", line " + (i + 1) + " (counter " + s.spend().counter() + ")";
      if (!s.spend().holder().equals(silo)) {
        findings.add(where + ": holder is '" + s.spend().holder() + "'");
      }
      if (!s.valid()) {
        findings.add(where + ": signature invalid under its own public key");
      }
      if (s.spend().counter() != i) {
        findings.add(where + ": counter " + s.spend().counter() + " at position " + i + " (the log must count 0, 1, 2, ...)");
      }
      if (byCounter.putIfAbsent(s.spend().counter(), s) != null) {
        findings.add(where + ": counter " + s.spend().counter() + " appears twice in the silo's log");
      }
    }
    long maxInLedger = -1;
    java.util.Set<Long> inLedger = new java.util.HashSet<>();
    for (int i = 0; i < ledger.size(); i++) {
      LedgerEntry e = ledger.get(i);
      Spend s = e.spend();
      if (!s.holder().equals(silo)) {
        continue;
      }
      inLedger.add(s.counter());
      maxInLedger = Math.max(maxInLedger, s.counter());
      SignedSpend own = byCounter.get(s.counter());
      String where = "link " + i + " (" + silo + ", counter " + s.counter() + ", round " + s.round() + ")";
      if (own == null) {
        findings.add(where + ": not in the silo's own log");
        continue;
      }
      List<String> differences = differences(own, e);
      if (!differences.isEmpty()) {
        findings.add(where + " differs from the silo's own log: " + String.join("; ", differences));
      }
    }
    List<Long> missing = new ArrayList<>();
    for (long c : byCounter.keySet()) {
      if (!inLedger.contains(c)) {
        missing.add(c);
        SignedSpend s = byCounter.get(c);
        String what = String.format(Locale.ROOT, "%s counter %d (round %d, %s, epsilon %s)", silo, c,
            s.spend().round(), s.spend().mechanism(), s.spend().epsilon());
        if (c < maxInLedger) {
          findings.add(what + ": in the silo's log but not in the ledger, which holds its later counter " + maxInLedger
              + " (dropped by the coordinator)");
        } else {
          notes.add(what + ": charged at the silo, never reported to the coordinator");
        }
      }
    }
    return List.copyOf(missing);
  }

  /** What differs between a silo's own entry and the ledger's link with the same counter. */
  private static List<String> differences(SignedSpend own, LedgerEntry link) {
    List<String> out = new ArrayList<>();
    Spend a = own.spend();
    Spend b = link.spend();
    field(out, "round", a.round(), b.round());
    field(out, "mechanism", a.mechanism(), b.mechanism());
    field(out, "noise_multiplier", a.noiseMultiplier(), b.noiseMultiplier());
    field(out, "clip_norm", a.clipNorm(), b.clipNorm());
    field(out, "sample_rate", a.sampleRate(), b.sampleRate());
    field(out, "steps", a.steps(), b.steps());
    field(out, "epsilon", a.epsilon(), b.epsilon());
    field(out, "delta", a.delta(), b.delta());
    field(out, "cap", a.cap(), b.cap());
    if (!Arrays.equals(own.publicKey(), link.publicKey())) {
      out.add("public_key log " + hex(own.publicKey()) + ", ledger " + hex(link.publicKey()));
    }
    if (out.isEmpty() && !Arrays.equals(own.signature(), link.siloSignature())) {
      out.add("signature differs");
    }
    return out;
  }

  private static void field(List<String> out, String name, Object log, Object ledger) {
    if (!log.equals(ledger)) {
      out.add(name + " log " + log + ", ledger " + ledger);
    }
  }

  private static String hex(byte[] b) {
    return b.length == 0 ? "(none)" : Hex.encode(b).toLowerCase(Locale.ROOT);
  }

  /** Running state of one holder while the ledger is read. */
  private static final class Holder {
    final List<Spend> log = new ArrayList<>();
    final List<Integer> links = new ArrayList<>();
    byte[] key;
    boolean signed = true;
    int releases;
    int rounds;
    int lastRound;
    double recomputed;

    Holder(String name) {}
  }
}
