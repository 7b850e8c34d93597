package org.hedgerow.aggregation.wire;

/** {@code GET /health}: {@code {"status": "ok"}}. */
public record HealthAnswer(String status) {
  public static final HealthAnswer OK = new HealthAnswer("ok");
}
