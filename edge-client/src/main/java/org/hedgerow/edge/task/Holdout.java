package org.hedgerow.edge.task;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;

/** Which invoices are held out for testing; everything before them is training history. */
public sealed interface Holdout {
  /** Each customer with at least two invoices contributes their last invoice as test. */
  record LastInvoice() implements Holdout {
    @Override
    public String toString() {
      return "last-invoice";
    }
  }

  /** Every invoice on or after the date is test. */
  record After(LocalDate date) implements Holdout {
    @Override
    public String toString() {
      return "after=" + date;
    }
  }

  /** Parses {@code last-invoice} or {@code after=YYYY-MM-DD}. */
  static Holdout parse(String s) {
    if (s == null || s.isBlank() || s.equals("last-invoice")) {
      return new LastInvoice();
    }
    if (s.startsWith("after=")) {
      try {
        return new After(LocalDate.parse(s.substring("after=".length())));
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException("holdout date must be YYYY-MM-DD. Provided value: " + s);
      }
    }
    throw new IllegalArgumentException("holdout must be 'last-invoice' or 'after=YYYY-MM-DD'. Provided value: " + s);
  }
}
