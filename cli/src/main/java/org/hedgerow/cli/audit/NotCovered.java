package org.hedgerow.cli.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.hedgerow.privacy.ledger.LedgerEntry;
import org.hedgerow.privacy.ledger.LedgerVerifier;

/**
 * What a verified ledger and its ε do not cover, stated for the ledger at hand: a statement appears
 * only when this ledger and this evidence make it true (e.g. "no silo key was pinned" only when none
 * was). The wording follows docs/security.md ("The privacy ledger: what it proves, and what it does
 * not") and docs/privacy.md ("Not covered").
 */
final class NotCovered {
  private NotCovered() {}

  static List<String> of(LedgerEvidence.Loaded evidence, LedgerVerifier.Report v) {
    List<String> out = new ArrayList<>();
    Set<String> mechanisms = new TreeSet<>();
    Set<String> silos = new TreeSet<>();
    boolean central = false;
    for (LedgerEntry e : evidence.entries()) {
      mechanisms.add(e.spend().mechanism());
      if (e.holderSigned()) {
        silos.add(e.spend().holder());
      } else if (e.spend().mechanism().equals(LedgerVerifier.CENTRAL_MECHANISM)) {
        central = true;
      }
    }
    out.add("Declared, not observed: each link proves what its holder declared (mechanism " + String.join(", ",
        mechanisms.isEmpty() ? Set.of("none") : mechanisms) + "; sigma, C, q, steps), not what its training did. A "
        + "silo that adds less noise, clips at a larger C, samples more or runs more steps than it signs is not "
        + "detected by any check here.");
    if (silos.size() > 1) {
      out.add("Per silo, not per person: each epsilon protects one customer of one silo (" + silos.size()
          + " silos here). A person who is a customer of several silos is covered by each silo's epsilon separately; "
          + "their total is not accounted.");
    }
    if (central) {
      out.add("The coordinator's own central-DP links (" + LedgerVerifier.CENTRAL_MECHANISM + ") are its own claim, "
          + "co-signed by nobody; under central DP the coordinator sees every unnoised update, and the unit of "
          + "privacy is one client, not one customer.");
    }
    List<String> withoutLog = silos.stream().filter(s -> !evidence.siloLogs().containsKey(s)).toList();
    if (!withoutLog.isEmpty()) {
      out.add("Completeness not checked for " + withoutLog.size() + " of " + silos.size() + " silos (" + String.join(
          ", ", withoutLog) + "): without a silo's own spends.jsonl (--enrolled or --silo-log) a coordinator that "
          + "withheld that silo's latest links cannot be detected.");
    }
    List<String> unpinned = silos.stream().filter(s -> !evidence.pinned().containsKey(s)).toList();
    if (!unpinned.isEmpty()) {
      out.add("Identity keys trusted on first use for " + unpinned.size() + " of " + silos.size() + " silos (" + String
          .join(", ", unpinned) + "): no key was pinned for them (--enrolled, --silo-key or --silo-keys), so a key "
          + "is only checked to stay the same within the ledger.");
    }
    out.add("One ledger, one head: the head hash " + v.head() + " pins this ledger only for those who compare it. "
        + "A coordinator can show different ledgers to different auditors, and can interleave links of different "
        + "silos in any order; publish the head after each round.");
    out.add("A silo that starts over under a new client id and key has a second budget for the same customers; two "
        + "holders that are in fact one silo look like two silos.");
    out.add("Timing and volume (when updates arrive, their size) and evaluation metrics computed on held-out data "
        + "are outside the guarantee.");
    if (v.notes().stream().anyMatch(n -> n.contains("never reported"))) {
      out.add("Spends charged at a silo but never reported to the coordinator (listed under notes) are in the "
          + "silo's budget but not in this ledger.");
    }
    return List.copyOf(out);
  }
}
