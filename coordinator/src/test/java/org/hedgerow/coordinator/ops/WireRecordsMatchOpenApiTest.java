package org.hedgerow.coordinator.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.hedgerow.aggregation.secagg.DistributedDpTerms;
import org.hedgerow.aggregation.wire.DeclineAnswer;
import org.hedgerow.aggregation.wire.EnrolmentAnswer;
import org.hedgerow.aggregation.wire.EnrolmentRequest;
import org.hedgerow.aggregation.wire.RateLimitedAnswer;
import org.hedgerow.aggregation.wire.SecAggSession;
import org.hedgerow.aggregation.wire.SecureAggregationTerms;
import org.hedgerow.aggregation.wire.StageAccepted;
import org.hedgerow.aggregation.wire.DeclineRequest;
import org.hedgerow.aggregation.wire.EnrolledClientsAnswer;
import org.hedgerow.aggregation.wire.EnrolmentTokenAnswer;
import org.hedgerow.aggregation.wire.EnrolmentTokenRequest;
import org.hedgerow.aggregation.wire.ErrorBody;
import org.hedgerow.aggregation.wire.JoinAnswer;
import org.hedgerow.aggregation.wire.JoinRequest;
import org.hedgerow.aggregation.wire.ModelInfo;
import org.hedgerow.aggregation.wire.RevokeAnswer;
import org.hedgerow.aggregation.wire.RoundState;
import org.hedgerow.aggregation.wire.SpendsAnswer;
import org.hedgerow.aggregation.wire.StatusReport;
import org.hedgerow.aggregation.wire.UploadAnswer;
import org.junit.jupiter.api.Test;

/**
 * The wire records and docs/openapi.json describe the same messages: every field a record writes is
 * documented in its schema, and every field the schema requires is one the record always has.
 */
class WireRecordsMatchOpenApiTest {
  private static final PropertyNamingStrategies.NamingBase SNAKE =
      (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.SNAKE_CASE;

  @Test
  void records_againstTheirSchemas_sameFields() throws Exception {
    JsonObject schemas = openApi().getJsonObject("components").getJsonObject("schemas");
    Map<Class<?>, String> pairs = new LinkedHashMap<>();
    pairs.put(RoundState.class, "RoundState");
    pairs.put(ModelInfo.class, "ModelInfo");
    pairs.put(StatusReport.class, "Status");
    pairs.put(UploadAnswer.class, "UpdateAccepted");
    pairs.put(DeclineRequest.class, "Decline");
    pairs.put(DeclineAnswer.class, "DeclineResult");
    pairs.put(JoinRequest.class, "Registration");
    pairs.put(JoinAnswer.class, "RegistrationResult");
    pairs.put(SpendsAnswer.class, "SpendsRecorded");
    pairs.put(ErrorBody.class, "Error");
    pairs.put(EnrolmentTokenRequest.class, "EnrolmentTokenRequest");
    pairs.put(EnrolmentTokenAnswer.class, "EnrolmentTokenIssued");
    pairs.put(RevokeAnswer.class, "Revocation");
    pairs.put(EnrolledClientsAnswer.class, "ClientList");
    pairs.put(EnrolmentRequest.class, "EnrolRequest");
    pairs.put(EnrolmentAnswer.class, "Enrolment");
    pairs.put(RateLimitedAnswer.class, "RateLimited");
    pairs.put(SecureAggregationTerms.class, "SecureAggregationTerms");
    pairs.put(DistributedDpTerms.class, "DistributedDpTerms");
    pairs.put(SecAggSession.class, "SecAggSession");
    pairs.put(StageAccepted.class, "StageAccepted");
    for (Map.Entry<Class<?>, String> p : pairs.entrySet()) {
      JsonObject schema = schemas.getJsonObject(p.getValue());
      assertNotNull(schema, "docs/openapi.json has no schema " + p.getValue());
      check(p.getKey(), schema, p.getValue());
    }
    check(org.hedgerow.aggregation.wire.RoundConfig.class, schemas.getJsonObject("RoundState")
        .getJsonObject("properties").getJsonObject("config"), "RoundState.config");
    assertEquals("#/components/schemas/SecureAggregationTerms", schemas.getJsonObject("RoundState")
        .getJsonObject("properties").getJsonObject("config").getJsonObject("properties")
        .getJsonObject("secure_aggregation").getString("$ref"), "the round's secure_aggregation is typed");
  }

  private static void check(Class<?> record, JsonObject schema, String name) {
    Set<String> fields = new TreeSet<>();
    for (RecordComponent c : record.getRecordComponents()) {
      fields.add(SNAKE.translate(c.getName()));
    }
    Set<String> documented = new TreeSet<>(schema.getJsonObject("properties", new JsonObject()).fieldNames());
    Set<String> undocumented = new TreeSet<>(fields);
    undocumented.removeAll(documented);
    assertTrue(undocumented.isEmpty(), record.getSimpleName() + " writes " + undocumented + ", which schema " + name
        + " does not document");
    Set<String> required = new TreeSet<>();
    schema.getJsonArray("required", new JsonArray()).forEach(r -> required.add((String) r));
    required.removeAll(fields);
    assertTrue(required.isEmpty(), "schema " + name + " requires " + required + ", which " + record.getSimpleName()
        + " does not have");
  }

  private static JsonObject openApi() throws Exception {
    try (InputStream in = WireRecordsMatchOpenApiTest.class.getResourceAsStream("/openapi.json")) {
      assertNotNull(in, "openapi.json is not on the classpath");
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }
}
