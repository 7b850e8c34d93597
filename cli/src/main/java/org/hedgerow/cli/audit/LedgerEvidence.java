package org.hedgerow.cli.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.hedgerow.aggregation.wire.LedgerJson;
import org.hedgerow.aggregation.wire.SpendJson;
import org.hedgerow.coordinator.ledger.LedgerKey;
import org.hedgerow.edge.state.SiloState;
import org.hedgerow.privacy.budget.SignedSpend;
import org.hedgerow.privacy.crypto.Ed25519;
import org.hedgerow.privacy.crypto.Hex;
import org.hedgerow.privacy.ledger.LedgerEntry;
import org.hedgerow.privacy.ledger.LedgerVerifier;
import picocli.CommandLine.Option;

/**
 * What an auditor checks a ledger against, as the options {@code audit verify} and {@code audit
 * report} share: the ledger, the coordinator's key, silos' pinned keys and their own logs — given one
 * by one or as {@code --enrolled DIR}, a directory holding one silo state directory per silo (what
 * {@code hedgerow client --state} or {@code simulate}'s {@code credentials/} keep: {@code identity.key}
 * and {@code spends.jsonl}). {@link #load} reads them all, with errors naming the file;
 * {@link #verify} hands them to {@link LedgerVerifier}, the one check every report is built on.
 */
public final class LedgerEvidence {
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

  @Option(names = "--enrolled", paramLabel = "DIR", description = "A directory of silo state directories (one per "
      + "silo, each with identity.key and spends.jsonl): pins each silo's key and compares its own log with the "
      + "ledger, as --silo-key and --silo-log would.")
  Path enrolled;

  /** The evidence, read. */
  public record Loaded(Path ledgerFile, List<LedgerEntry> entries, byte[] coordinatorKey, Map<String, byte[]> pinned,
      Map<String, List<SignedSpend>> siloLogs) {
    /** The verifier's verdict on it. */
    public LedgerVerifier.Report verify() {
      return LedgerVerifier.verify(entries, coordinatorKey, pinned, siloLogs);
    }
  }

  /** Sets the two required inputs (for callers that are not picocli, e.g. a simulation writing its report). */
  public static LedgerEvidence of(Path ledger, Path coordinatorKey, Path enrolled) {
    LedgerEvidence e = new LedgerEvidence();
    e.ledger = ledger;
    e.coordinatorKey = coordinatorKey;
    e.enrolled = enrolled;
    return e;
  }

  /**
   * Reads every file.
   *
   * @throws IllegalArgumentException naming the file and what was wrong with it
   */
  public Loaded load() {
    try {
      List<LedgerEntry> entries = LedgerJson.fromJsonLines(Files.readString(ledger));
      byte[] coordinator = LedgerKey.readHex(coordinatorKey, Ed25519.KEY_BYTES);
      Map<String, String> hex = new LinkedHashMap<>();
      Map<String, List<SignedSpend>> logs = new LinkedHashMap<>();
      if (enrolled != null) {
        readEnrolled(enrolled, hex, logs);
      }
      if (siloKeysFile != null) {
        readKeysFile(siloKeysFile).forEach((name, key) -> pin(hex, name, key, "--silo-keys"));
      }
      siloKeys.forEach((name, key) -> pin(hex, name, key, "--silo-key"));
      for (Map.Entry<String, Path> e : siloLogs.entrySet()) {
        logs.put(e.getKey(), readLog(e.getValue()));
      }
      return new Loaded(ledger, entries, coordinator, decodeKeys(hex), logs);
    } catch (java.nio.file.NoSuchFileException e) {
      throw new IllegalArgumentException("no such file: " + e.getFile(), e);
    } catch (IOException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  /** One silo pinned to two different keys by two sources is an error. */
  private static void pin(Map<String, String> hex, String name, String key, String source) {
    String earlier = hex.put(name, key);
    if (earlier != null && !earlier.strip().equalsIgnoreCase(key.strip())) {
      throw new IllegalArgumentException("silo '" + name + "' is pinned to two different keys (" + source
          + " and an earlier --enrolled, --silo-keys or --silo-key)");
    }
  }

  /** Each subdirectory of {@code dir} that is a silo state directory: its key, and its log under the holder's name. */
  private static void readEnrolled(Path dir, Map<String, String> hex, Map<String, List<SignedSpend>> logs)
      throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("--enrolled " + dir + " is not a directory");
    }
    List<Path> silos;
    try (Stream<Path> s = Files.list(dir)) {
      silos = s.filter(p -> Files.isRegularFile(p.resolve(SiloState.IDENTITY_FILE))).sorted().toList();
    }
    if (silos.isEmpty()) {
      throw new IllegalArgumentException("--enrolled " + dir + " holds no silo state directory (a subdirectory with "
          + SiloState.IDENTITY_FILE + ")");
    }
    for (Path silo : silos) {
      SiloState.View v;
      try {
        v = SiloState.read(silo);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("--enrolled: " + e.getMessage(), e);
      }
      // The ledger names a silo by the holder its spends carry; a silo without spends by its directory.
      String name = v.entries().isEmpty() ? silo.getFileName().toString() : v.entries().get(0).spend().holder();
      pin(hex, name, Hex.encode(v.publicKey()), "--enrolled " + silo);
      logs.put(name, v.entries());
    }
  }

  private static Map<String, String> readKeysFile(Path file) throws IOException {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(Files.readString(file));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException("--silo-keys " + file + " is not JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("--silo-keys " + file + " must hold one JSON object {\"silo\": \"hex\", ...}");
    }
    Map<String, String> out = new LinkedHashMap<>();
    root.fields().forEachRemaining(e -> {
      if (!e.getValue().isTextual()) {
        throw new IllegalArgumentException("--silo-keys " + file + ": the key of '" + e.getKey()
            + "' must be a hex string");
      }
      out.put(e.getKey(), e.getValue().asText());
    });
    return out;
  }

  private static Map<String, byte[]> decodeKeys(Map<String, String> hex) {
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
  public static List<SignedSpend> readLog(Path file) throws IOException {
    List<SignedSpend> out = new ArrayList<>();
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
}
