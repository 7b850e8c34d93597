package org.hedgerow.aggregation.wire;

/** Paths and header names of the coordinator's HTTP API, shared by both ends. See docs/wire-format.md. */
public final class Wire {
  private Wire() {}

  public static final String HEALTH = "/health";
  public static final String CLIENTS = "/v1/clients";
  public static final String ROUND = "/v1/round";
  public static final String MODEL = "/v1/model";
  public static final String MODEL_PARAMETERS = "/v1/model/parameters";
  public static final String STATUS = "/v1/status";
  /** {@code GET /v1/ledger}: the privacy ledger as JSON Lines (auditor or operator). */
  public static final String LEDGER = "/v1/ledger";
  /**
   * A silo's signed spends ({@code POST}, client role, own holder only; body
   * {@link SpendJson#batch}). Recorded durably before the 200; idempotent for a spend already
   * recorded with the same bytes.
   */
  public static final String SPENDS = "/v1/spends";
  /** {@code POST}: a silo redeems an enrolment token (and its CSR) for a certificate. No credentials needed. */
  public static final String ENROL = "/v1/enrol";
  /** {@code POST} (operator): issue a one-time enrolment token for a client id. */
  public static final String ADMIN_ENROLMENT_TOKENS = "/v1/admin/enrolment-tokens";
  /** {@code GET} (operator or auditor): the enrolled clients. */
  public static final String ADMIN_CLIENTS = "/v1/admin/clients";

  /** {@code POST /v1/admin/clients/{id}/revoke} (operator). */
  public static String revokeClient(String clientId) {
    return ADMIN_CLIENTS + "/" + clientId + "/revoke";
  }

  /** {@code PUT /v1/rounds/{round}/update}. */
  public static String update(int round) {
    return "/v1/rounds/" + round + "/update";
  }

  /**
   * {@code POST /v1/rounds/{round}/decline}: the client will not take part in this round or any
   * later one (its privacy budget would be exceeded). Body {@code {"reason", "epsilon", "cap", "delta"}}.
   */
  public static String decline(int round) {
    return "/v1/rounds/" + round + "/decline";
  }

  /**
   * {@code GET|POST /v1/rounds/{round}/secagg/{stage}}: secure-aggregation stages
   * ({@code advertise-keys}, {@code share-keys}, {@code masked-input}, {@code unmask}).
   */
  public static String secAgg(int round, String stage) {
    return "/v1/rounds/" + round + "/secagg/" + stage;
  }

  public static final String HEADER_MODEL_VERSION = "X-Hedgerow-Model-Version";
  public static final String HEADER_SPEC_HASH = "X-Hedgerow-Spec-Hash";
  public static final String HEADER_EXAMPLES = "X-Hedgerow-Examples";
  public static final String HEADER_TRAIN_SECONDS = "X-Hedgerow-Train-Seconds";
  public static final String HEADER_TRAIN_LOSS = "X-Hedgerow-Train-Loss";
  /**
   * The client's id for one update (1-128 of {@code [A-Za-z0-9._-]}), the same across its retries:
   * a retry of an upload the coordinator already stored is answered 202 again and not counted twice.
   */
  public static final String HEADER_UPLOAD_ID = "X-Hedgerow-Upload-Id";
  /**
   * Counter of the signed spend (already posted to {@link #SPENDS}) that pays for an update: in a
   * federation that declares DP an update without one is refused.
   */
  /**
   * The secure-aggregation session a stage request belongs to (the {@code session} of the round's
   * {@code secure_aggregation} config). A coordinator that restarted a round's session answers a
   * request of an older one with 410: the silo starts the round's stages again with fresh keys.
   */
  public static final String HEADER_SECAGG_SESSION = "X-Hedgerow-SecAgg-Session";
  public static final String HEADER_DP_SPEND_COUNTER = "X-Hedgerow-Dp-Spend-Counter";
  public static final String OCTET_STREAM = "application/octet-stream";
}
