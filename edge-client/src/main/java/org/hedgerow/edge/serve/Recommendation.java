package org.hedgerow.edge.serve;

import java.util.List;

/**
 * One answer of {@code GET /v1/recommendations/{customer}}.
 *
 * @param personal false when the items are the non-personal popular list (unknown customer, or
 *     personalisation withdrawn)
 * @param json the answer as the API sends it, joined from fragments encoded when the ranking was built
 */
public record Recommendation(int customer, String modelVersion, boolean personal, List<Item> items, String json) {
  /** A recommended product with its ranking score and the reason it is there. */
  public record Item(String item, double score, Reason reason) {}
}
