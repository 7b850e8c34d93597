package org.hedgerow.cli.privacy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.hedgerow.aggregation.wire.SpendJson;
import org.hedgerow.edge.state.SiloState;
import org.hedgerow.privacy.budget.PrivacyBudget;
import org.hedgerow.privacy.budget.SignedSpend;
import org.hedgerow.privacy.budget.Spend;
import org.hedgerow.privacy.budget.SpendAccounting;
import org.hedgerow.privacy.crypto.Hex;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code hedgerow privacy budget --state DIR}: what a silo has spent, from its own signed log —
 * every line's signature checked under the state's identity key and every ε recomputed by the
 * accountant ({@link PrivacyBudget#restore}, {@link SpendAccounting}). Read-only: it takes no lock, so
 * it can watch a running silo.
 *
 * <p>Exit codes: 0 the log is intact; 1 it is damaged or tampered with (the message names the line);
 * 2 bad usage.
 */
@Command(
    name = "budget",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "A silo's privacy spends from its state directory (hedgerow client --state): every signature"
          + " verified and every epsilon recomputed; exit 1 if the log was tampered with."
    })
public final class BudgetCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Spec CommandSpec spec;

  @Option(names = "--state", required = true, paramLabel = "DIR", description = "The silo's state directory.")
  Path state;

  @Option(names = "--json", description = "Print one JSON object: {\"silo\", \"epsilon\", \"delta\", \"cap\","
      + " \"public_key\", \"spends\": [...]}.")
  boolean json;

  @Override
  public Integer call() {
    CommandLine cl = spec.commandLine();
    if (!Files.isDirectory(state)) {
      throw new ParameterException(cl, "--state " + state + " is not a directory");
    }
    PrintWriter err = cl.getErr();
    SiloState.View view;
    try {
      view = SiloState.read(state);
    } catch (RuntimeException e) { // CorruptStateException names file and line; others the problem
      err.println("hedgerow: " + e.getMessage());
      err.flush();
      return 1;
    }
    List<Spend> spends = view.entries().stream().map(SignedSpend::spend).toList();
    Spend first = spends.isEmpty() ? null : spends.get(0);
    double epsilon = 0;
    if (first != null) {
      try {
        PrivacyBudget.restore(first.holder(), first.cap(), first.delta(), spends);
      } catch (IllegalArgumentException e) {
        err.println("hedgerow: " + state.resolve(SiloState.SPENDS_FILE) + " line " + (lineOf(e, spends) + 1) + ": "
            + e.getMessage());
        err.flush();
        return 1;
      }
      epsilon = SpendAccounting.epsilon(spends, first.delta());
    }
    if (view.tornBytes() > 0) {
      err.printf("note: %s ends in a torn line (%d bytes without a newline: a write cut short by a crash, or an "
          + "append in progress); it is not counted and the silo drops it when it next starts%n",
          state.resolve(SiloState.SPENDS_FILE), view.tornBytes());
    }
    PrintWriter out = cl.getOut();
    String publicKey = Hex.encode(view.publicKey());
    if (json) {
      ObjectNode o = JSON.createObjectNode();
      if (first == null) {
        o.putNull("silo");
      } else {
        o.put("silo", first.holder());
      }
      o.put("epsilon", epsilon);
      if (first == null) {
        o.putNull("delta");
        o.putNull("cap");
      } else {
        o.put("delta", first.delta());
        o.put("cap", first.cap());
      }
      o.put("public_key", publicKey);
      ArrayNode a = o.putArray("spends");
      view.entries().forEach(s -> a.add(SpendJson.toJson(s)));
      out.println(o);
    } else {
      out.printf("silo %s, state %s, identity key %s%n", first == null ? "(no spends yet)" : first.holder(), state,
          publicKey);
      out.printf("%7s %5s  %-20s %12s %6s %6s %6s %12s%n", "counter", "round", "mechanism", "sigma", "C", "q",
          "steps", "epsilon");
      for (Spend s : spends) {
        out.printf(Locale.ROOT, "%7d %5d  %-20s %12.6f %6.3g %6.3g %6d %12.6f%n", s.counter(), s.round(),
            s.mechanism(), s.noiseMultiplier(), s.clipNorm(), s.sampleRate(), s.steps(), s.epsilon());
      }
      if (first == null) {
        out.println("no spends: epsilon 0");
      } else {
        long rounds = spends.stream().filter(s -> !s.isRelease()).count();
        out.printf(Locale.ROOT, "total: epsilon %.6f of cap %s at delta %s (%d spends: %d releases, %d rounds); "
            + "signatures verified, every epsilon recomputed%n", epsilon, first.cap(), first.delta(), spends.size(),
            spends.size() - rounds, rounds);
      }
    }
    out.flush();
    err.flush();
    return 0;
  }

  /** The counter of the entry {@link PrivacyBudget#restore} refused ("saved spend N of ..."), else the last. */
  private static int lineOf(IllegalArgumentException e, List<Spend> spends) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("saved spend (\\d+) ").matcher(e.getMessage());
    return m.find() ? Integer.parseInt(m.group(1)) : spends.size() - 1;
  }
}
