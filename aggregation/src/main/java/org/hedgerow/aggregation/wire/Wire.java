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
  /** {@code PUT /v1/rounds/{round}/update}. */
  public static String update(int round) {
    return "/v1/rounds/" + round + "/update";
  }

  public static final String HEADER_MODEL_VERSION = "X-Hedgerow-Model-Version";
  public static final String HEADER_SPEC_HASH = "X-Hedgerow-Spec-Hash";
  public static final String HEADER_EXAMPLES = "X-Hedgerow-Examples";
  public static final String HEADER_TRAIN_SECONDS = "X-Hedgerow-Train-Seconds";
  public static final String HEADER_TRAIN_LOSS = "X-Hedgerow-Train-Loss";
  public static final String OCTET_STREAM = "application/octet-stream";
}
