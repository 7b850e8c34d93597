package org.hedgerow.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.hedgerow.aggregation.wire.LedgerJson;
import org.hedgerow.aggregation.wire.SpendJson;
import org.hedgerow.coordinator.ledger.LedgerKey;
import org.hedgerow.privacy.budget.SignedSpend;
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
      description = "Check a ledger offline: chain, countersignatures, each silo's signature, counters, releases, "
          + "caps, and epsilon recomputed by the accountant (two-sided); optionally against pinned silo keys and "
          + "silos' own logs. Exit code 0: intact; 1: findings (listed); 2: bad input.")
  static class Verify implements Callable<Integer> {
    @Option(names = "--ledger", required = true, description = "Ledger as JSON Lines (GET /v1/ledger).")
    Path ledger;

    @Option(names = "--coordinator-key", required = true,
        description = "The coordinator's ledger public key (hex file, STATE/ledger-key.pub).")
    Path coordinatorKey;

    @Option(names = "--silo-key", description = "NAME=HEX: pins a silo's Ed25519 public key; its links must carry "
        + "exactly this key and a valid signature under it.")
    Map<String, String> siloKeys = new LinkedHashMap<>();

    @Option(names = "--silo-keys", description = "JSON file {\"silo\": \"hex\", ...}: pins several silos' keys.")
    Path siloKeysFile;

    @Option(names = "--silo-log", description = "NAME=FILE: a silo's own spends.jsonl (one signed spend per line), "
        + "compared with its links both ways.")
    Map<String, Path> siloLogs = new LinkedHashMap<>();

    @Option(names = "--json", description = "Print one JSON object (links, head, intact, findings, notes, holders).")
    boolean json;

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      java.io.PrintWriter out = spec.commandLine().getOut();
      List<LedgerEntry> entries;
      Map<String, byte[]> pinned;
      Map<String, List<SignedSpend>> logs = new LinkedHashMap<>();
      byte[] coordinator;
      try {
        entries = LedgerJson.fromJsonLines(Files.readString(ledger));
        coordinator = LedgerKey.readHex(coordinatorKey, Ed25519.KEY_BYTES);
        pinned = pinnedKeys();
        for (Map.Entry<String, Path> e : siloLogs.entrySet()) {
          logs.put(e.getKey(), readLog(e.getValue()));
        }
      } catch (IllegalArgumentException | java.io.IOException e) {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
      }
      LedgerVerifier.Report r = LedgerVerifier.verify(entries, coordinator, pinned, logs);
      if (json) {
        out.println(toJson(r));
        return r.intact() ? 0 : 1;
      }
      out.printf("ledger %s: %d links, head %s%n", ledger, r.links(), r.head());
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

    /** --silo-key and --silo-keys together; the same silo pinned to two keys is an error. */
    private Map<String, byte[]> pinnedKeys() throws java.io.IOException {
      Map<String, String> hex = new LinkedHashMap<>();
      if (siloKeysFile != null) {
        com.fasterxml.jackson.databind.JsonNode root;
        try {
          root = new com.fasterxml.jackson.databind.ObjectMapper().readTree(Files.readString(siloKeysFile));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
          throw new IllegalArgumentException("--silo-keys " + siloKeysFile + " is not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
          throw new IllegalArgumentException("--silo-keys " + siloKeysFile + " must hold one JSON object "
              + "{\"silo\": \"hex\", ...}");
        }
        root.fields().forEachRemaining(e -> {
          if (!e.getValue().isTextual()) {
            throw new IllegalArgumentException("--silo-keys " + siloKeysFile + ": the key of '" + e.getKey()
                + "' must be a hex string");
          }
          hex.put(e.getKey(), e.getValue().asText());
        });
      }
      siloKeys.forEach((name, key) -> {
        String earlier = hex.put(name, key);
        if (earlier != null && !earlier.strip().equalsIgnoreCase(key.strip())) {
          throw new IllegalArgumentException("silo '" + name + "' is pinned to two different keys (--silo-key and "
              + "--silo-keys)");
        }
      });
      Map<String, byte[]> out = new LinkedHashMap<>();
      hex.forEach((name, h) -> {
        byte[] key;
        try {
          key = Hex.decode(h.strip());
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("the key pinned for '" + name + "' is not hex: " + h);
        }
        if (key.length != Ed25519.KEY_BYTES) {
          throw new IllegalArgumentException("the key pinned for '" + name + "' has " + key.length + " bytes, expected "
              + Ed25519.KEY_BYTES);
        }
        out.put(name, key);
      });
      return out;
    }

    /** A silo's {@code spends.jsonl}: one {@code SpendJson.line} per line, blank lines skipped. */
    static List<SignedSpend> readLog(Path file) throws java.io.IOException {
      List<SignedSpend> out = new java.util.ArrayList<>();
      List<String> lines = Files.readAllLines(file);
      for (int i = 0; i < lines.size(); i++) {
        if (lines.get(i).isBlank()) {
          continue;
        }
        try {
          out.add(SpendJson.parseLine(lines.get(i)));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("--silo-log " + file + " line " + (i + 1) + ": " + e.getMessage());
        }
      }
      return out;
    }

    private static String toJson(LedgerVerifier.Report r) {
      com.fasterxml.jackson.databind.ObjectMapper m = new com.fasterxml.jackson.databind.ObjectMapper();
      com.fasterxml.jackson.databind.node.ObjectNode o = m.createObjectNode();
      o.put("links", r.links());
      o.put("head", r.head());
      o.put("intact", r.intact());
      r.findings().forEach(o.putArray("findings")::add); // the receiver is evaluated once: an empty list gives []
      r.notes().forEach(o.putArray("notes")::add);
      com.fasterxml.jackson.databind.node.ObjectNode holders = o.putObject("holders");
      r.holders().values().forEach(h -> {
        com.fasterxml.jackson.databind.node.ObjectNode x = holders.putObject(h.holder());
        x.put("links", h.links());
        x.put("releases", h.releases());
        number(x, "reported_epsilon", h.reportedEpsilon());
        number(x, "recomputed_epsilon", h.recomputedEpsilon());
        number(x, "cap", h.cap());
        number(x, "delta", h.delta());
        x.put("signed", h.signed());
        x.put("public_key", h.publicKey());
        x.put("last_counter", h.lastCounter());
        h.unreported().forEach(x.putArray("unreported_counters")::add);
      });
      return o.toString();
    }

    private static void number(com.fasterxml.jackson.databind.node.ObjectNode o, String name, double v) {
      if (Double.isFinite(v)) {
        o.put(name, v);
      } else {
        o.putNull(name);
      }
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
