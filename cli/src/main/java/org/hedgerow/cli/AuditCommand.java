package org.hedgerow.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.hedgerow.aggregation.wire.LedgerJson;
import org.hedgerow.aggregation.wire.LedgerReportJson;
import org.hedgerow.cli.audit.AuditReportCommand;
import org.hedgerow.cli.audit.LedgerEvidence;
import org.hedgerow.cli.audit.PiaCommand;
import org.hedgerow.coordinator.ledger.LedgerKey;
import org.hedgerow.privacy.crypto.Ed25519;
import org.hedgerow.privacy.ledger.LedgerVerifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code hedgerow audit}: what a compliance team runs, offline, on a ledger it was given. */
@Command(name = "audit", mixinStandardHelpOptions = true,
    description = "Verify a privacy ledger offline, report on it, and assess a federation's privacy impact.",
    subcommands = {AuditCommand.Verify.class, AuditReportCommand.class, PiaCommand.class, AuditCommand.Export.class})
public class AuditCommand implements Runnable {
  @Override
  public void run() {
    new picocli.CommandLine(this).usage(System.out);
  }

  /** {@code hedgerow audit verify}. */
  @Command(name = "verify", mixinStandardHelpOptions = true,
      description = "Check a ledger offline: chain, countersignatures, each silo's signature, counters, releases, "
          + "caps, and epsilon recomputed by the accountant (two-sided); optionally against pinned silo keys and "
          + "silos' own logs. Exit code 0: intact; 1: findings (listed); 2: bad input.")
  static class Verify implements Callable<Integer> {
    @Mixin LedgerEvidence evidence;

    @Option(names = "--json", description = "Print one JSON object (links, head, intact, findings, notes, holders).")
    boolean json;

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      java.io.PrintWriter out = spec.commandLine().getOut();
      LedgerEvidence.Loaded loaded;
      try {
        loaded = evidence.load();
      } catch (IllegalArgumentException e) {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
      }
      LedgerVerifier.Report r = loaded.verify();
      if (json) {
        out.println(LedgerReportJson.toJson(r));
        return r.intact() ? 0 : 1;
      }
      out.printf("ledger %s: %d links, head %s%n", loaded.ledgerFile(), r.links(), r.head());
      out.printf("%-24s %6s %8s %20s %20s %8s %7s %s%n", "holder", "links", "releases", "epsilon reported",
          "epsilon recomputed", "cap", "signed", "public key");
      r.holders().values().forEach(h -> out.printf(Locale.ROOT, "%-24s %6d %8d %20.12f %20.12f %8s %7s %s%n",
          h.holder(), h.links(), h.releases(), h.reportedEpsilon(), h.recomputedEpsilon(), h.cap(),
          h.signed() ? "yes" : "no", h.publicKey().isEmpty() ? "-" : h.publicKey()));
      r.notes().forEach(n -> out.println("note: " + n));
      if (r.intact()) {
        out.println("intact: chain, countersignatures, silo signatures, counters, caps and epsilon all check out");
        return 0;
      }
      out.println(r.findings().size() + " finding(s):");
      r.findings().forEach(f -> out.println("  - " + f));
      return 1;
    }
  }

  /** {@code hedgerow audit export}: the ledger straight from the store, when no coordinator is running. */
  @Command(name = "export", mixinStandardHelpOptions = true,
      description = "Write the ledger (as GET /v1/ledger serves it) from the coordinator's store and its ledger key.")
  static class Export implements Callable<Integer> {
    @Option(names = "--dir", required = true, description = "The coordinator's state directory (holds ledger-key).")
    Path dir;

    @Option(names = "--store", description = "Default: sqlite:DIR/coordinator.db.")
    String store;

    @Option(names = "--out", required = true, description = "Ledger file to write (JSON Lines).")
    Path out;

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      String location = store != null ? store : "sqlite:" + dir.resolve("coordinator.db");
      if (store == null && !Files.exists(dir.resolve("coordinator.db"))) {
        throw new IllegalArgumentException("no store at " + dir.resolve("coordinator.db") + "; give --store");
      }
      java.util.List<org.hedgerow.coordinator.store.StoredSpend> spends;
      try (org.hedgerow.coordinator.store.CoordinatorStore st = org.hedgerow.coordinator.store.JdbcCoordinatorStore
          .open(org.hedgerow.coordinator.store.StoreLocation.parse(location))) {
        spends = st.ledger();
      }
      byte[] key = LedgerKey.readHex(dir.resolve(LedgerKey.PRIVATE_FILE), Ed25519.KEY_BYTES);
      org.hedgerow.privacy.ledger.PrivacyLedger l = org.hedgerow.coordinator.ledger.Ledgers.of(spends, key);
      Files.writeString(out, LedgerJson.toJsonLines(l.entries()));
      spec.commandLine().getOut().printf("wrote %s: %d links, head %s%n", out, l.entries().size(), l.head());
      return 0;
    }
  }
}
