package org.hedgerow.simulations;

import java.util.Map;
import org.hedgerow.edge.eval.Metrics;

/** One method's metrics overall and per silo (silo name → metrics over that silo's test baskets). */
public record MethodResult(Metrics overall, Map<String, Metrics> perSilo) {}
