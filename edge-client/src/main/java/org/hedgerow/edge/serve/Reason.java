package org.hedgerow.edge.serve;

/** Why a product is in a customer's recommendations (the {@code reason} of each item). */
public enum Reason {
  /** The customer bought it before; ranked by the model on their own history with it. */
  BOUGHT_BEFORE("bought-before"),
  /** New to the customer, bought by customers who bought what they bought ({@link ItemNeighbours}). */
  SIMILAR_CUSTOMERS("similar-customers"),
  /** Chosen at random by the exploration policy, to learn about products the ranking would not show. */
  EXPLORE("explore"),
  /** Ranked on what the silo's customers buy overall: for unknown customers and those without personalisation. */
  POPULAR("popular");

  private final String key;

  Reason(String key) {
    this.key = key;
  }

  public String key() {
    return key;
  }
}
