package org.hedgerow.edge.task;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Dense integer indices for product codes. Indices are assigned in sorted code order so that two
 * parties holding the same set of codes agree on them.
 */
public final class Catalogue {
  private final List<String> codes;
  private final Map<String, Integer> index;

  public Catalogue(java.util.Collection<String> codes) {
    this.codes = new ArrayList<>(new java.util.TreeSet<>(codes));
    this.index = new HashMap<>(this.codes.size() * 2);
    for (int i = 0; i < this.codes.size(); i++) {
      index.put(this.codes.get(i), i);
    }
  }

  public int size() {
    return codes.size();
  }

  /** The index of a code, or -1 when the catalogue does not have it. */
  public int indexOf(String code) {
    Integer i = index.get(code);
    return i == null ? -1 : i;
  }

  public String code(int index) {
    return codes.get(index);
  }
}
