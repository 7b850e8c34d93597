package org.hedgerow.cli.audit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.hedgerow.aggregation.wire.LedgerJson;
import org.hedgerow.coordinator.ledger.LedgerKey;
import org.hedgerow.edge.dp.SiloRelease;
import org.hedgerow.edge.state.SiloState;
import org.hedgerow.privacy.budget.PrivacyBudget;
import org.hedgerow.privacy.budget.SignedSpend;
import org.hedgerow.privacy.crypto.Ed25519KeyPair;
import org.hedgerow.privacy.ledger.PrivacyLedger;

/**
 * A real ledger on disk for the report tests: three silos with their own state directories (identity
 * key, signed spends.jsonl, as {@code hedgerow client --state} keeps them) under {@code enrolled/},
 * each charging its two releases and two DP-SGD rounds with its own cap, countersigned by a
 * coordinator ledger key in {@code coordinator/}; the ledger in {@code ledger.jsonl}.
 */
final class LedgerFixture {
  static final List<String> SILOS = List.of("germany", "france", "iberia");
  static final List<Double> CAPS = List.of(8.0, 6.0, 10.0);

  final Path ledger;
  final Path coordinatorKey;
  final Path enrolled;

  LedgerFixture(Path dir) throws Exception {
    Ed25519KeyPair key = LedgerKey.loadOrCreate(dir.resolve("coordinator"));
    coordinatorKey = dir.resolve("coordinator").resolve(LedgerKey.PUBLIC_FILE);
    enrolled = dir.resolve("enrolled");
    Files.createDirectories(enrolled);
    PrivacyLedger l = new PrivacyLedger(key.privateKey(), List.of());
    for (int i = 0; i < SILOS.size(); i++) {
      String silo = SILOS.get(i);
      PrivacyBudget b = new PrivacyBudget(silo, CAPS.get(i), 1e-5);
      try (SiloState state = SiloState.open(enrolled.resolve(silo))) {
        SignedSpend[] signed = {
            state.log().append(b.chargeGaussianRelease(SiloRelease.STATS_MECHANISM, 4.0)),
            state.log().append(b.chargeGaussianRelease(SiloRelease.COUNT_MECHANISM, 10.0)),
            state.log().append(b.spend(1, "dp-sgd-user", 1.1 + 0.1 * i, 0.05, 10, 1.0)),
            state.log().append(b.spend(2, "dp-sgd-user", 1.1 + 0.1 * i, 0.05, 10, 1.0))};
        for (SignedSpend s : signed) {
          l.append(s);
        }
      }
    }
    ledger = dir.resolve("ledger.jsonl");
    Files.writeString(ledger, LedgerJson.toJsonLines(l.entries()));
  }

  /** Rewrites the ε of ledger line {@code line} (0-based), as someone editing the file would. */
  void editEpsilon(int line, double epsilon) throws Exception {
    List<String> lines = new java.util.ArrayList<>(Files.readAllLines(ledger));
    lines.set(line, lines.get(line).replaceFirst("\"epsilon\":[0-9.eE-]+", "\"epsilon\":" + epsilon));
    Files.write(ledger, lines);
  }
}
