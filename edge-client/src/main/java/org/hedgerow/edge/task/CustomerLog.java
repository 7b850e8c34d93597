package org.hedgerow.edge.task;

import java.util.List;

/**
 * A customer's split history.
 *
 * @param customerId the data subject
 * @param train training baskets in time order (the history a model may see)
 * @param test held-out baskets to be predicted, in time order
 */
public record CustomerLog(int customerId, List<Basket> train, List<Basket> test) {}
