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

  /** The codes, in index order. */
  public List<String> codes() {
    return java.util.Collections.unmodifiableList(codes);
  }

  /** Header of a catalogue file: one product code per line under it (further columns are ignored). */
  public static final String HEADER = "stock_code";

  /**
   * Reads a declared catalogue: a UTF-8 CSV whose first line starts with {@code stock_code} and whose
   * every further non-blank line starts with a product code. A DP silo ranks and samples from this
   * list, which it must treat as public (docs/privacy.md).
   *
   * @throws IllegalArgumentException naming the file and line if it is unreadable, empty or malformed
   */
  public static Catalogue load(java.nio.file.Path file) {
    List<String> lines;
    try {
      lines = java.nio.file.Files.readAllLines(file, java.nio.charset.StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("cannot read catalogue " + file + ": " + e.getMessage());
    }
    if (lines.isEmpty() || !lines.get(0).strip().split(",", -1)[0].equals(HEADER)) {
      throw new IllegalArgumentException("catalogue " + file + ": the first line must be a header starting with '"
          + HEADER + "'");
    }
    java.util.Set<String> codes = new java.util.LinkedHashSet<>();
    for (int i = 1; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty()) {
        continue;
      }
      String code = line.split(",", -1)[0].strip();
      if (code.isEmpty() || code.startsWith("\"")) {
        throw new IllegalArgumentException("catalogue " + file + " line " + (i + 1) + ": no product code");
      }
      if (!codes.add(code)) {
        throw new IllegalArgumentException("catalogue " + file + " line " + (i + 1) + ": product " + code
            + " is listed twice");
      }
    }
    if (codes.isEmpty()) {
      throw new IllegalArgumentException("catalogue " + file + " lists no products");
    }
    return new Catalogue(codes);
  }

  /** Writes this catalogue in the format {@link #load} reads. */
  public void write(java.nio.file.Path file) throws java.io.IOException {
    List<String> lines = new ArrayList<>(codes.size() + 1);
    lines.add(HEADER);
    lines.addAll(codes);
    java.nio.file.Files.write(file, lines, java.nio.charset.StandardCharsets.UTF_8);
  }
}
