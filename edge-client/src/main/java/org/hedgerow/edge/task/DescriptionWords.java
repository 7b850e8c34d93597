package org.hedgerow.edge.task;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The words of a product description, standing in for a category (the Online Retail log has no
 * category column): "JUMBO BAG RED RETROSPOT" gives JUMBO, BAG, RED, RETROSPOT. Descriptions describe
 * the product, not a customer.
 */
public final class DescriptionWords {
  /** Words that carry no category. */
  private static final Set<String> STOP = Set.of("AND", "THE", "FOR", "WITH", "SET", "OF", "IN", "SMALL",
      "LARGE", "MINI", "DESIGN");

  private DescriptionWords() {}

  /** Upper-case letter runs of 3 or more, stop words removed, each once, in order of appearance. */
  public static List<String> of(String description) {
    Set<String> out = new LinkedHashSet<>();
    for (String w : description.toUpperCase(Locale.ROOT).split("[^A-Z]+")) {
      if (w.length() >= 3 && !STOP.contains(w)) {
        out.add(w);
      }
    }
    return List.copyOf(out);
  }
}
