package org.hedgerow.aggregation.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.hedgerow.aggregation.model.ModelSpec;
import org.hedgerow.aggregation.secagg.DistributedDpTerms;
import org.hedgerow.privacy.budget.PrivacyBudget;
import org.hedgerow.privacy.budget.Spend;
import org.junit.jupiter.api.Test;

class WireJsonTest {
  @Test
  void encode_roundStateWhileWaiting_omitsTheTrainingOnlyFields() {
    RoundState s = new RoundState(RoundState.WAITING_FOR_CLIENTS, 0, 3, 0, 1, 1, 2, "none", null, null, null);
    assertEquals("{\"state\":\"waiting_for_clients\",\"round\":0,\"target_rounds\":3,\"model_version\":0,"
        + "\"registered_clients\":1,\"active_clients\":1,\"expected_clients\":2,\"privacy\":\"none\"}", WireJson.encode(s));
  }

  @Test
  void encode_roundStateWithSecureAggregation_keepsTheAnnouncedTermsInOrder() {
    SecureAggregationTerms terms = new SecureAggregationTerms("secagg+", null, null, 4, null, null, null, null, null);
    RoundState s = new RoundState(RoundState.TRAINING, 2, 3, 1, 5, 5, 5, "local", new RoundConfig(1, 32, 7, terms), 5,
        true);
    String json = WireJson.encode(s);
    assertTrue(json.endsWith(",\"config\":{\"local_epochs\":1,\"batch_size\":32,\"seed\":7,\"secure_aggregation\":"
        + "{\"mode\":\"secagg+\",\"neighbours\":4}},\"selected_clients\":5,\"selected\":true}"), json);
    RoundState back = WireJson.decode(json, RoundState.class);
    assertEquals(s, back);
    assertEquals(4, back.config().secureAggregation().neighbours());
  }

  @Test
  void decode_secAggSessionWithDistributedDp_sameSessionBack() {
    DistributedDpTerms ddp = new DistributedDpTerms(1234.5, 1.0, 1.0, 3, 4, 8.0, 1e-5, 2);
    SecAggSession session = new SecAggSession(2, 1, 32, 11, List.of("a2V5MQ==", "a2V5Mg=="),
        new SecureAggregationTerms("secagg+", "ab12", 4, 2, 3, 16, 0.5, 1024L, ddp));
    String json = WireJson.encode(session);
    assertTrue(json.contains("\"distributed_dp\":{\"share_variance\":1234.5,\"clip_norm\":1.0"), json);
    assertEquals(session, WireJson.decode(json, SecAggSession.class));
  }

  @Test
  void decode_distributedDpTermsOutOfRange_refusedNamingTheTerm() {
    String json = "{\"mode\":\"secagg+\",\"distributed_dp\":{\"share_variance\":0.1,\"clip_norm\":1,"
        + "\"learning_rate\":1,\"min_survivors\":3,\"max_contributors\":4,\"target_epsilon\":8,\"delta\":1e-5,"
        + "\"rounds\":2}}";
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> WireJson.decode(json, SecureAggregationTerms.class));
    assertTrue(e.getMessage().startsWith("'distributed_dp': "), e.getMessage());
    assertTrue(e.getMessage().contains("share_variance must be >= 1/4"), e.getMessage());
  }

  @Test
  void decode_fractionalTtl_refusedAsNotAWholeNumber() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> WireJson.decode("{\"client_id\":\"a\",\"ttl_seconds\":1.5}", EnrolmentTokenRequest.class));
    assertEquals("'ttl_seconds' must be a whole number", e.getMessage());
  }

  @Test
  void decode_enrolmentRequestWithoutIdentity_leavesItNullAndEncodesWithoutIt() {
    EnrolmentRequest r = WireJson.decode("{\"token\":\"t\",\"csr\":\"pem\"}", EnrolmentRequest.class);
    assertEquals(new EnrolmentRequest("t", "pem", null, null), r);
    assertEquals("{\"token\":\"t\",\"csr\":\"pem\"}", WireJson.encode(r));
  }

  @Test
  void encode_roundSummaryWithSuppressedFields_writesThemAsNull() {
    String json = WireJson.encode(new RoundSummary(1, 3, null, 10, 20, 1.5, 0.25, null, null));
    assertEquals("{\"round\":1,\"clients\":3,\"examples\":null,\"bytes_up\":10,\"bytes_down\":20,\"seconds\":1.5,"
        + "\"aggregation_seconds\":0.25,\"client_train_seconds\":null,\"train_loss\":null}", json);
  }

  @Test
  void decode_statusWithSpends_sameSpendsAsSpendJson() {
    Spend s = new PrivacyBudget("silo-1", 8, 1e-5).spend(1, "dp-sgd-user", 1.5, 0.01, 7, 0.7);
    StatusReport r = new StatusReport(1, 3, new RoundState(RoundState.FINISHED, 1, 3, 1, 1, 1, 1, "local", null, null,
        null), 0, 0.5, List.of(), "done", null, false, new PrivacyStatus(List.of(s),
        Map.of("b", new DeclinedClient(1, "cap", 7.5, null))));
    String json = WireJson.encode(r);
    assertTrue(json.contains(SpendJson.toJson(s).toString()), json);
    StatusReport back = WireJson.decode(json, StatusReport.class);
    assertEquals(r, back);
    assertNull(back.privacy().declined().get("b").cap());
  }

  @Test
  void decode_modelInfo_theSpecWithItsHash() {
    ModelSpec spec = new ModelSpec("f1", List.of(4, 3, 1), "relu", "sigmoid", 0.5, "binary-cross-entropy", 1e-3);
    ModelInfo info = WireJson.decode(WireJson.encode(new ModelInfo(2, spec.hash(), spec.parameterCount(), "none", spec)),
        ModelInfo.class);
    assertEquals(spec.hash(), info.spec().hash());
    assertTrue(WireJson.encode(info).contains("\"spec\":{\"feature_schema\":\"f1\",\"layer_sizes\":[4,3,1],"
        + "\"hidden_activation\":\"relu\""), WireJson.encode(info));
  }

  @Test
  void decode_numberWhereTextIsExpected_refusedNamingTheField() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> WireJson.decode("{\"reason\": 5}", DeclineRequest.class));
    assertEquals("'reason' must be a string", e.getMessage());
  }

  @Test
  void decode_textWhereANumberIsExpected_refusedNamingTheField() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> WireJson.decode("{\"reason\": \"x\", \"epsilon\": \"1.5\"}", DeclineRequest.class));
    assertEquals("'epsilon' must be a number", e.getMessage());
  }

  @Test
  void decode_notAnObject_refused() {
    assertEquals("expected a JSON object", assertThrows(IllegalArgumentException.class,
        () -> WireJson.decode("[1]", DeclineRequest.class)).getMessage());
    assertTrue(assertThrows(IllegalArgumentException.class, () -> WireJson.decode("{", DeclineRequest.class))
        .getMessage().startsWith("not valid JSON"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> WireJson.decode("{}}", DeclineRequest.class))
        .getMessage().startsWith("not valid JSON"));
  }

  @Test
  void decode_unknownFields_ignored() {
    assertEquals(new DeclineAnswer(true, 2, 4),
        WireJson.decode("{\"declined\":true,\"round\":2,\"active_clients\":4,\"later\":[1]}", DeclineAnswer.class));
  }

  @Test
  void encode_declineWithoutBudget_omitsTheNumbers() {
    assertEquals("{\"reason\":\"policy\"}", WireJson.encode(DeclineRequest.of("policy", Double.NaN, Double.NaN)));
  }
}
