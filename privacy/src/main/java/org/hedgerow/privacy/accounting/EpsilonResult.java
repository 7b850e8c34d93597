package org.hedgerow.privacy.accounting;

/**
 * An (ε, δ) guarantee found by an accountant.
 *
 * @param epsilon the smallest ε found for the requested δ (+∞ if none is finite)
 * @param order the Rényi order α at which it was attained (NaN if none)
 */
public record EpsilonResult(double epsilon, double order) {}
