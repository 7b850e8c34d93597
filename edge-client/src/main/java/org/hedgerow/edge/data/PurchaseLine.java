package org.hedgerow.edge.data;

import java.time.LocalDateTime;

/**
 * One kept invoice line of a behaviour log, after cleaning.
 *
 * @param invoice invoice number (never a cancellation)
 * @param stockCode product code, upper-cased
 * @param quantity units bought, &gt; 0
 * @param time invoice timestamp
 * @param unitPrice price per unit, &gt; 0
 * @param customerId the data subject whose purchase this is
 * @param country the customer's country as given in the log
 */
public record PurchaseLine(
    String invoice,
    String stockCode,
    int quantity,
    LocalDateTime time,
    double unitPrice,
    int customerId,
    String country) {}
