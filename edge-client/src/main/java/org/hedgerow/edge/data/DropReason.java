package org.hedgerow.edge.data;

/** Why a log row was not kept. The order is the order in which the rules are checked. */
public enum DropReason {
  /** Wrong number of fields, or a field that does not parse (number, date, customer id). */
  MALFORMED("malformed"),
  /** InvoiceNo starting with {@code C}: a cancellation, not a purchase. */
  CANCELLATION("cancellation"),
  /** No CustomerID: cannot be attributed to a data subject, so it cannot be learnt from. */
  MISSING_CUSTOMER("missing_customer"),
  /** Quantity ≤ 0: returns and stock adjustments that are not marked as cancellations. */
  NON_POSITIVE_QUANTITY("non_positive_quantity"),
  /** UnitPrice ≤ 0: free samples, write-offs and debt adjustments. */
  NON_POSITIVE_PRICE("non_positive_price"),
  /** Postage, manual entries, fees, discounts, gift vouchers: not a product a customer prefers. */
  NON_PRODUCT_CODE("non_product_code"),
  /** The exact same line (all eight fields) seen earlier in the file: a logging duplicate. */
  DUPLICATE_LINE("duplicate_line"),
  /** Event logs only: a behaviour whose type has no weight (or weight 0) in {@code --event-weights}. */
  UNWEIGHTED_EVENT("unweighted_event");

  private final String key;

  DropReason(String key) {
    this.key = key;
  }

  /** The snake_case name used in reports and {@code summary.json}. */
  public String key() {
    return key;
  }
}
