package org.hedgerow.privacy.accounting;

/**
 * The outcome of {@link NoiseCalibration}: a noise multiplier and the guarantee it achieves.
 *
 * @param noiseMultiplier the calibrated σ
 * @param epsilon the ε that σ achieves at the requested δ (≤ the target)
 * @param order the Rényi order attaining that ε
 */
public record Calibration(double noiseMultiplier, double epsilon, double order) {}
