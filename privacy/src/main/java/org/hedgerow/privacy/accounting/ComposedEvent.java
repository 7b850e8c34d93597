package org.hedgerow.privacy.accounting;

import java.util.List;

/** Several events run in sequence (adaptively) on the same data. */
public record ComposedEvent(List<DpEvent> events) implements DpEvent {

  public ComposedEvent {
    AccountingChecks.checkNotNull("events", events);
    for (int i = 0; i < events.size(); i++) {
      AccountingChecks.checkNotNull("events[" + i + "]", events.get(i));
    }
    events = List.copyOf(events);
  }

  public static ComposedEvent of(DpEvent... events) {
    AccountingChecks.checkNotNull("events", events);
    return new ComposedEvent(java.util.Arrays.asList(events));
  }
}
