package org.hedgerow.cli;

import java.time.Duration;
import java.util.concurrent.Callable;
import org.hedgerow.aggregation.wire.EnrolmentTokenAnswer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code hedgerow coordinator token}: the operator issues a one-time enrolment token for a silo. */
@Command(name = "token", mixinStandardHelpOptions = true,
    description = "Issue a one-time enrolment token for a silo (printed alone on stdout).")
public class CoordinatorTokenCommand implements Callable<Integer> {
  @picocli.CommandLine.Mixin OperatorConnection connection;

  @Option(names = "--client-id", required = true, description = "The silo's client id ([A-Za-z0-9][A-Za-z0-9._-]{0,63}).")
  String clientId;

  @Option(names = "--ttl-hours", defaultValue = "24", description = "How long the token stays valid (default: ${DEFAULT-VALUE}).")
  double ttlHours;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    if (!(ttlHours > 0) || Double.isInfinite(ttlHours)) {
      throw new IllegalArgumentException("--ttl-hours must be > 0. Provided value: " + ttlHours);
    }
    EnrolmentTokenAnswer r = connection.api().issueEnrolmentToken(clientId,
        Duration.ofSeconds(Math.round(ttlHours * 3600)));
    spec.commandLine().getOut().println(r.token());
    spec.commandLine().getErr().println("enrolment token for '" + r.clientId() + "', usable once until "
        + r.expiresAt());
    return 0;
  }
}
