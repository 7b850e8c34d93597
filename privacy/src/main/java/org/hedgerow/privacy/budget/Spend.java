package org.hedgerow.privacy.budget;

/**
 * One entry of a privacy ledger: what one holder (a silo, or the coordinator in central mode)
 * released in one round, and its total ε afterwards.
 *
 * @param round federated round the release belongs to
 * @param holder whose budget was charged (silo name)
 * @param mechanism what ran, e.g. {@code dp-sgd-user} or {@code central-gaussian}
 * @param noiseMultiplier σ: noise standard deviation over the L2 sensitivity (the clip norm)
 * @param sampleRate Poisson sampling probability q of each unit (customer or client)
 * @param steps noisy steps in this round
 * @param epsilon total ε of the holder after this round, by the RDP accountant at {@code delta}
 * @param delta the holder's δ
 * @param cap the holder's ε cap
 */
public record Spend(int round, String holder, String mechanism, double noiseMultiplier, double sampleRate,
    long steps, double epsilon, double delta, double cap) {

  /** Column names of {@link #csv()}, as written to {@code privacy.csv}. */
  public static final String CSV_HEADER = "round,silo,mechanism,noise_multiplier,sample_rate,steps,epsilon,delta,cap";

  public String csv() {
    return String.format(java.util.Locale.ROOT, "%d,%s,%s,%.17g,%.17g,%d,%.17g,%.17g,%.17g", round, holder, mechanism,
        noiseMultiplier, sampleRate, steps, epsilon, delta, cap);
  }
}
