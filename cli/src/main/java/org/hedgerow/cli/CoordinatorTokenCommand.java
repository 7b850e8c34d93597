package org.hedgerow.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.concurrent.Callable;
import org.hedgerow.aggregation.wire.Wire;
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
    String body = new ObjectMapper().createObjectNode().put("client_id", clientId)
        .put("ttl_seconds", Math.round(ttlHours * 3600)).toString();
    JsonNode r = connection.api().post(Wire.ADMIN_ENROLMENT_TOKENS, body, 201);
    spec.commandLine().getOut().println(r.get("token").asText());
    spec.commandLine().getErr().println("enrolment token for '" + r.get("client_id").asText() + "', usable once until "
        + r.get("expires_at").asText());
    return 0;
  }
}
