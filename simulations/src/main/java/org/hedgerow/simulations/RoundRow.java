package org.hedgerow.simulations;

/** One line of {@code rounds.csv}. */
public record RoundRow(int round, double hr10, double loss, int clients, long bytesUp, long bytesDown, double seconds) {
  public static final String HEADER = "round,hr@10,loss,clients,bytes_up,bytes_down,seconds";

  public String csv() {
    return String.format(java.util.Locale.ROOT, "%d,%.6f,%s,%d,%d,%d,%.3f", round, hr10,
        Double.isNaN(loss) ? "" : String.format(java.util.Locale.ROOT, "%.6f", loss), clients, bytesUp, bytesDown, seconds);
  }
}
