package org.hedgerow.cli.audit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * One named check of a ledger report and the verifier's findings that belong to it. The verifier
 * ({@link org.hedgerow.privacy.ledger.LedgerVerifier}) returns one flat list of findings; a compliance
 * reader wants to see <em>which</em> check failed, so each finding is filed under the first check whose
 * wording it carries. A finding no check claims is filed under "other" — never dropped.
 *
 * @param name what was checked, as the report headlines it
 * @param findings the verifier's findings of this check (empty: passed)
 */
public record ReportCheck(String name, String description, List<String> findings) {
  public boolean passed() {
    return findings.isEmpty();
  }

  /** A check by the words its findings contain (matched in this order, first wins). */
  private record Rule(String name, String description, Predicate<String> claims) {}

  // Silo-log comparisons first: their findings also mention signatures, keys and counters.
  private static final List<Rule> RULES = List.of(
      new Rule("silo logs", "every link equals the silo's own log entry; no entry dropped from the middle",
          f -> f.startsWith("silo log of ") || f.contains("the silo's own log") || f.contains("dropped by the coordinator")
              || f.contains("in the silo's log but not in the ledger")),
      new Rule("hash chain", "sequence numbers 0, 1, 2, ... and each link's previous hash",
          f -> f.contains(" does not follow link ") || f.matches("link \\d+ has sequence .*")),
      new Rule("coordinator countersignatures", "the coordinator's Ed25519 signature on every link",
          f -> f.contains("coordinator countersignature")),
      new Rule("silo signatures and keys", "each silo's Ed25519 signature of its spend, one key per silo, pinned keys",
          f -> f.contains("silo signature") || f.contains("silo link without") || f.contains("public key ")),
      new Rule("epsilon recomputed (both ways)", "every reported epsilon equals the accountant's, neither under- nor "
          + "over-reported", f -> f.contains("the accountant gives") || f.contains("cannot be accounted")),
      new Rule("caps", "no epsilon above its silo's cap", f -> f.contains("exceeds the cap")),
      new Rule("mechanisms", "every mechanism is one the accountant knows", f -> f.contains("unknown mechanism")),
      // Every link finding starts "link i (holder, counter c, round r)": match the wording after it only.
      new Rule("counters and order", "counters 0, 1, 2, ... per silo, releases before rounds, rounds in order, "
          + "delta and cap constant", f -> f.contains("): counter ") || f.contains("budget log reset")
              || f.contains("first link has counter") || f.contains("release after")
              || f.contains("charged after round") || f.contains("changed from the holder's")));

  /** Every check, in report order, with the findings filed under it (and "other" if any finding is unclaimed). */
  public static List<ReportCheck> classify(List<String> findings) {
    Map<String, List<String>> byCheck = new LinkedHashMap<>();
    RULES.forEach(r -> byCheck.put(r.name(), new ArrayList<>()));
    List<String> other = new ArrayList<>();
    for (String f : findings) {
      Rule rule = RULES.stream().filter(r -> r.claims().test(f)).findFirst().orElse(null);
      (rule == null ? other : byCheck.get(rule.name())).add(f);
    }
    List<ReportCheck> out = new ArrayList<>();
    for (Rule r : RULES) {
      out.add(new ReportCheck(r.name(), r.description(), List.copyOf(byCheck.get(r.name()))));
    }
    if (!other.isEmpty()) {
      out.add(new ReportCheck("other", "findings no named check claims", List.copyOf(other)));
    }
    return out;
  }
}
