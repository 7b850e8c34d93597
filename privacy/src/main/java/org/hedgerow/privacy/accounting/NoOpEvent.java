package org.hedgerow.privacy.accounting;

/** Nothing was released about the data: no privacy loss. */
public record NoOpEvent() implements DpEvent {}
