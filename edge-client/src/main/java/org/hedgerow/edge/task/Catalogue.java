package org.hedgerow.edge.task;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Dense integer indices for product codes. Indices are assigned in sorted code order so that two
 * parties holding the same set of codes agree on them. A declared catalogue may also carry each
 * product's description (public product data, like the codes).
 */
public final class Catalogue {
  private final List<String> codes;
  private final Map<String, Integer> index;
  /** Description per index ("" for none), or null when the catalogue carries no descriptions. */
  private final List<String> descriptions;

  public Catalogue(java.util.Collection<String> codes) {
    this(codes, null);
  }

  private Catalogue(java.util.Collection<String> codes, Map<String, String> descriptionByCode) {
    this.codes = new ArrayList<>(new java.util.TreeSet<>(codes));
    this.index = new HashMap<>(this.codes.size() * 2);
    for (int i = 0; i < this.codes.size(); i++) {
      index.put(this.codes.get(i), i);
    }
    if (descriptionByCode == null) {
      descriptions = null;
    } else {
      List<String> d = new ArrayList<>(this.codes.size());
      for (String c : this.codes) {
        d.add(descriptionByCode.getOrDefault(c, ""));
      }
      descriptions = java.util.Collections.unmodifiableList(d);
    }
  }

  /** Whether the catalogue carries descriptions (a {@code description} column when loaded). */
  public boolean hasDescriptions() {
    return descriptions != null;
  }

  /** The description of the product at {@code index} ("" when it has none or the catalogue carries none). */
  public String description(int index) {
    return descriptions == null ? "" : descriptions.get(index);
  }

  /** The description words ({@link DescriptionWords}) of every product, by index; empty lists without descriptions. */
  public List<List<String>> descriptionWords() {
    List<List<String>> out = new ArrayList<>(codes.size());
    for (int i = 0; i < codes.size(); i++) {
      out.add(DescriptionWords.of(description(i)));
    }
    return out;
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
  /** Optional second column of a catalogue file: the product's description (RFC 4180 quoting). */
  public static final String DESCRIPTION = "description";

  /**
   * Reads a declared catalogue: a UTF-8 CSV whose first line starts with {@code stock_code} and whose
   * every further non-blank line starts with a product code. If the header's second column is
   * {@code description}, each line's second field is the product's description (quoted as RFC 4180
   * when it holds a comma). A DP silo ranks and samples from this list, and may order new products by
   * its descriptions, so it must be public: the shop's published catalogue, never derived from its
   * customers' purchases (docs/privacy.md).
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
    String[] header = lines.get(0).strip().split(",", -1);
    boolean described = header.length > 1 && header[1].strip().equals(DESCRIPTION);
    java.util.Set<String> codes = new java.util.LinkedHashSet<>();
    Map<String, String> descriptionByCode = new HashMap<>();
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
      if (described) {
        List<String> fields = org.hedgerow.edge.data.CsvLine.split(line);
        if (fields == null) {
          throw new IllegalArgumentException("catalogue " + file + " line " + (i + 1) + ": a quote is left open in "
              + "the description of product " + code);
        }
        descriptionByCode.put(code, fields.size() > 1 ? fields.get(1).strip() : "");
      }
    }
    if (codes.isEmpty()) {
      throw new IllegalArgumentException("catalogue " + file + " lists no products");
    }
    return described ? new Catalogue(codes, descriptionByCode) : new Catalogue(codes);
  }

  /** Writes this catalogue in the format {@link #load} reads (with the description column if it has descriptions). */
  public void write(java.nio.file.Path file) throws java.io.IOException {
    List<String> lines = new ArrayList<>(codes.size() + 1);
    lines.add(descriptions == null ? HEADER : HEADER + "," + DESCRIPTION);
    for (int i = 0; i < codes.size(); i++) {
      lines.add(descriptions == null ? codes.get(i)
          : codes.get(i) + "," + org.hedgerow.edge.data.CsvLine.quote(descriptions.get(i).replaceAll("[\\r\\n]+", " ")));
    }
    java.nio.file.Files.write(file, lines, java.nio.charset.StandardCharsets.UTF_8);
  }
}
