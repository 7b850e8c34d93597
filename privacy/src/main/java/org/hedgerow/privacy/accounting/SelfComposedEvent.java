package org.hedgerow.privacy.accounting;

/** The same event run {@code count} times (adaptively) on the same data. */
public record SelfComposedEvent(DpEvent event, long count) implements DpEvent {

  public SelfComposedEvent {
    AccountingChecks.checkNotNull("event", event);
    AccountingChecks.checkAtLeastOne("count", count);
  }
}
