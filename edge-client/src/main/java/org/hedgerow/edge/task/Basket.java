package org.hedgerow.edge.task;

import java.time.LocalDateTime;

/**
 * One invoice of one customer: the distinct products bought together.
 *
 * @param invoice invoice number
 * @param customerId the data subject
 * @param time invoice time
 * @param items distinct catalogue indices, ascending
 * @param quantities units bought per entry of {@code items}
 */
public record Basket(String invoice, int customerId, LocalDateTime time, int[] items, int[] quantities) {}
