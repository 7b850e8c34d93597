package org.hedgerow.aggregation.wire;

import java.util.Map;

/**
 * A round's secure-aggregation parameters as announced in {@link RoundConfig#secureAggregation()};
 * -1 or null where not announced (no session open yet).
 *
 * @param session the round's session id; a new one means the coordinator restarted the round's stages
 */
public record SecureAggregationTerms(String mode, int clients, int neighbours, int threshold, int bits,
    String session) {

  /** The terms of {@code announced} (null: null). */
  public static SecureAggregationTerms of(Map<String, Object> announced) {
    if (announced == null) {
      return null;
    }
    return new SecureAggregationTerms(text(announced.get("mode")), integer(announced.get("num_clients")),
        integer(announced.get("neighbours")), integer(announced.get("threshold")), integer(announced.get("bits")),
        text(announced.get("session")));
  }

  private static String text(Object v) {
    return v instanceof String s ? s : null;
  }

  private static int integer(Object v) {
    return v instanceof Number n ? n.intValue() : -1;
  }
}
