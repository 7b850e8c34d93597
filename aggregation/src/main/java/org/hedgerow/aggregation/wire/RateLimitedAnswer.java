package org.hedgerow.aggregation.wire;

/**
 * A 429's body: what was refused and which limit refused it ({@code Retry-After} says when to try again).
 *
 * @param limit the limiter's name, e.g. {@code enrol}
 */
public record RateLimitedAnswer(String error, String limit) {}
