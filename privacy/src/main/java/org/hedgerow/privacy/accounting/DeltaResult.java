package org.hedgerow.privacy.accounting;

/**
 * An (ε, δ) guarantee found by an accountant for a requested ε.
 *
 * @param delta the smallest δ found (at most 1)
 * @param order the Rényi order α at which it was attained (NaN if none)
 */
public record DeltaResult(double delta, double order) {}
