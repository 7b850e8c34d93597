package org.hedgerow.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.hedgerow.coordinator.AccessControl;
import org.hedgerow.coordinator.auth.StateDirectory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code hedgerow coordinator rotate-tokens}: new operator and/or auditor tokens, in force without a restart. */
@Command(name = "rotate-tokens", mixinStandardHelpOptions = true,
    description = "Replace the operator and/or auditor bearer token in a state directory (both without --operator "
        + "or --auditor). A running coordinator switches to the new tokens within a second; the old ones are refused "
        + "from then on.")
public class CoordinatorRotateTokensCommand implements Callable<Integer> {
  @Option(names = "--dir", required = true, description = "The coordinator's state directory.")
  Path dir;

  @Option(names = "--operator", description = "Rotate the operator's token.")
  boolean operator;

  @Option(names = "--auditor", description = "Rotate the auditor's token.")
  boolean auditor;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    boolean both = !operator && !auditor;
    StateDirectory.requireOwnerOnlySecrets(dir);
    List<Path> written = StateDirectory.rotateTokens(dir, operator || both, auditor || both);
    var out = spec.commandLine().getOut();
    for (Path p : written) {
      out.println("wrote " + p + " (new token, owner-only)");
    }
    out.println("a running coordinator on " + dir + " uses the new token(s) within "
        + AccessControl.TOKEN_RELOAD_MILLIS / 1000.0 + " s; hand them to whoever needs them");
    return 0;
  }
}
