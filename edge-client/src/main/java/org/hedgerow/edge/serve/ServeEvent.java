package org.hedgerow.edge.serve;

import java.time.LocalDateTime;
import org.hedgerow.edge.data.EventTime;
import org.hedgerow.edge.data.EventWeights;
import org.hedgerow.edge.data.PurchaseLine;

/**
 * One behaviour posted to {@code POST /v1/events}, as stored.
 *
 * @param weight its implicit-feedback weight (from {@code --event-weights}), &gt; 0
 * @param time when it happened, UTC
 */
public record ServeEvent(int customer, String item, String type, double weight, LocalDateTime time) {
  /** The event as a line of the silo's log: one basket per customer and day, as the events format loads it. */
  public PurchaseLine asLine() {
    return new PurchaseLine(EventTime.session(customer, time), item, EventWeights.units(weight), time, 1.0, customer,
        "");
  }
}
