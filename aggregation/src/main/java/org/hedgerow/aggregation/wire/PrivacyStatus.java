package org.hedgerow.aggregation.wire;

import java.util.List;
import java.util.Map;
import org.hedgerow.privacy.budget.Spend;

/**
 * The status's {@code privacy}: every recorded spend in ledger order (each in {@link SpendJson}'s
 * form, without key and signature) and the clients that declined, by id.
 */
public record PrivacyStatus(List<Spend> spends, Map<String, DeclinedClient> declined) {}
