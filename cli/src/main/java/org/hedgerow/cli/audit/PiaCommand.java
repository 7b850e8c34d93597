package org.hedgerow.cli.audit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.hedgerow.simulations.Scenario;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code hedgerow audit pia}: a privacy impact assessment of a federation, from its scenario file. */
@Command(name = "pia", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Write a privacy impact assessment (pia.md and pia.html) derived from a federation's scenario: data "
        + "categories and where they stay, purposes, unit of privacy and adjacency, epsilon/delta per silo, secure "
        + "aggregation and its threat model, retention and deletion, consent, residual risks.")
public final class PiaCommand implements Callable<Integer> {
  public static final String MARKDOWN_FILE = "pia.md";
  public static final String HTML_FILE = "pia.html";

  @Option(names = "--scenario", paramLabel = "FILE", description = "Scenario JSON (keys missing take the bundled "
      + "default's value); default: the bundled default scenario.")
  Path scenario;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory to write pia.md and pia.html into.")
  Path out;

  @Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Scenario s = scenario == null ? Scenario.bundledDefault() : Scenario.load(scenario);
    PrivacyImpactAssessment p = PrivacyImpactAssessment.of(s, scenario == null ? "the bundled default scenario"
        : "scenario " + scenario);
    Files.createDirectories(out);
    Files.writeString(out.resolve(MARKDOWN_FILE), PiaDocuments.markdown(p));
    Files.writeString(out.resolve(HTML_FILE), PiaDocuments.html(p));
    spec.commandLine().getOut().printf("wrote %s and %s to %s (%d sections, %d statements)%n", MARKDOWN_FILE,
        HTML_FILE, out, p.sections().size(), p.sections().stream().mapToInt(x -> x.statements().size()).sum());
    return 0;
  }
}
