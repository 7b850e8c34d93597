package org.hedgerow.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.hedgerow.aggregation.wire.LedgerJson;
import org.hedgerow.coordinator.ledger.LedgerKey;
import org.hedgerow.privacy.crypto.Ed25519;
import org.hedgerow.privacy.crypto.Hex;
import org.hedgerow.privacy.ledger.LedgerEntry;
import org.hedgerow.privacy.ledger.LedgerVerifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code hedgerow audit}: what a compliance team runs, offline, on a ledger it was given. */
@Command(name = "audit", mixinStandardHelpOptions = true, description = "Verify a privacy ledger offline.",
    subcommands = {AuditCommand.Verify.class, AuditCommand.Export.class})
public class AuditCommand implements Runnable {
  @Override
  public void run() {
    new picocli.CommandLine(this).usage(System.out);
  }

  /** {@code hedgerow audit verify}. */
  @Command(name = "verify", mixinStandardHelpOptions = true,
      description = "Check a ledger's chain, signatures, caps and epsilon (recomputed by the accountant). "
          + "Exit code 0: intact; 1: findings (listed).")
  static class Verify implements Callable<Integer> {
    @Option(names = "--ledger", required = true, description = "Ledger as JSON Lines (GET /v1/ledger).")
    Path ledger;

    @Option(names = "--coordinator-key", required = true,
        description = "The coordinator's ledger public key (hex file, STATE/ledger-key.pub).")
    Path coordinatorKey;

    @Option(names = "--silo-key", description = "NAME=HEX: a silo's Ed25519 public key; its links must carry its signature.")
    Map<String, String> siloKeys = new LinkedHashMap<>();

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      java.io.PrintWriter out = spec.commandLine().getOut();
      List<LedgerEntry> entries = LedgerJson.fromJsonLines(Files.readString(ledger));
      byte[] coordinator = LedgerKey.readHex(coordinatorKey, Ed25519.KEY_BYTES);
      Map<String, byte[]> silos = new LinkedHashMap<>();
      siloKeys.forEach((name, hex) -> silos.put(name, Hex.decode(hex.strip())));
      LedgerVerifier.Report r = LedgerVerifier.verify(entries, coordinator, silos);
      out.printf("ledger %s: %d links, head %s%n", ledger, r.links(), r.head());
      out.printf("%-24s %6s %20s %20s %8s %s%n", "holder", "links", "epsilon reported", "epsilon recomputed",
          "cap", "signed");
      r.holders().values().forEach(h -> out.printf(Locale.ROOT, "%-24s %6d %20.12f %20.12f %8s %s%n", h.holder(),
          h.links(), h.reportedEpsilon(), h.recomputedEpsilon(), h.cap(), h.signed() ? "yes" : "no"));
      if (r.intact()) {
        out.println("intact: chain, countersignatures, caps and epsilon all check out");
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
