package org.hedgerow.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The coordinator's packages form a layered graph: no package depends, directly or through others, on
 * a package that depends on it. Dependencies are read from the sources (imports and fully qualified
 * names in code; comments and string literals are ignored).
 */
class PackageCyclesTest {
  private static final String ROOT = "org.hedgerow.coordinator";
  private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);
  /** A reference to a coordinator type: its package is everything before the first capitalised segment. */
  private static final Pattern REFERENCE = Pattern.compile("\\borg\\.hedgerow\\.coordinator((?:\\.[a-z]\\w*)*)\\.[A-Z]");

  @Test
  void packages_mainSources_noCycle() throws IOException {
    Map<String, Set<String>> graph = dependencies(Path.of("src/main/java/org/hedgerow/coordinator"));
    assertTrue(graph.size() > 5, "expected the coordinator's packages, found " + graph.keySet());
    List<List<String>> cycles = cycles(graph);
    assertTrue(cycles.isEmpty(), "package cycles in the coordinator: " + cycles + "\ndependencies: " + graph);
  }

  @Test
  void cycles_twoPackagesUsingEachOther_found() {
    Map<String, Set<String>> graph = new TreeMap<>(Map.of("a", Set.of("b"), "b", Set.of("c"), "c", Set.of("a"),
        "d", Set.of("a")));
    assertEquals(List.of(List.of("a", "b", "c")), cycles(graph));
  }

  @Test
  void dependencies_commentAndStringMentions_ignored() {
    String src = "package org.hedgerow.coordinator.store;\n/** {@link org.hedgerow.coordinator.Federation} */\n"
        + "class X { String s = \"org.hedgerow.coordinator.auth.Role\"; // org.hedgerow.coordinator.ops.Y\n"
        + "  org.hedgerow.coordinator.http.RejectedException e; }\n";
    assertEquals(Set.of(ROOT + ".http"), referenced(src));
  }

  /** Package → coordinator packages its sources reference (other than itself). */
  static Map<String, Set<String>> dependencies(Path dir) throws IOException {
    Map<String, Set<String>> graph = new TreeMap<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        String src = Files.readString(f);
        Matcher m = PACKAGE.matcher(src);
        if (!m.find()) {
          continue;
        }
        Set<String> deps = graph.computeIfAbsent(m.group(1), k -> new TreeSet<>());
        for (String p : referenced(src)) {
          if (!p.equals(m.group(1))) {
            deps.add(p);
          }
        }
      }
    }
    return graph;
  }

  static Set<String> referenced(String source) {
    Set<String> out = new TreeSet<>();
    Matcher m = REFERENCE.matcher(withoutCommentsAndStrings(source));
    while (m.find()) {
      out.add(ROOT + m.group(1));
    }
    out.remove(packageOf(source));
    return out;
  }

  private static String packageOf(String source) {
    Matcher m = PACKAGE.matcher(source);
    return m.find() ? m.group(1) : "";
  }

  private static String withoutCommentsAndStrings(String s) {
    StringBuilder b = new StringBuilder(s.length());
    int i = 0;
    while (i < s.length()) {
      if (s.startsWith("/*", i)) {
        int end = s.indexOf("*/", i + 2);
        i = end < 0 ? s.length() : end + 2;
      } else if (s.startsWith("//", i)) {
        int end = s.indexOf('\n', i);
        i = end < 0 ? s.length() : end;
      } else if (s.charAt(i) == '"' || s.charAt(i) == '\'') {
        char q = s.charAt(i++);
        while (i < s.length() && s.charAt(i) != q) {
          i += s.charAt(i) == '\\' ? 2 : 1;
        }
        i++;
      } else {
        b.append(s.charAt(i++));
      }
    }
    return b.toString();
  }

  /** The strongly connected components with more than one package (Tarjan), each sorted, in order. */
  static List<List<String>> cycles(Map<String, Set<String>> graph) {
    Map<String, Integer> index = new TreeMap<>();
    Map<String, Integer> low = new TreeMap<>();
    Deque<String> stack = new ArrayDeque<>();
    Set<String> onStack = new TreeSet<>();
    List<List<String>> out = new ArrayList<>();
    for (String v : graph.keySet()) {
      if (!index.containsKey(v)) {
        connect(v, graph, index, low, stack, onStack, out);
      }
    }
    return out;
  }

  private static void connect(String v, Map<String, Set<String>> graph, Map<String, Integer> index,
      Map<String, Integer> low, Deque<String> stack, Set<String> onStack, List<List<String>> out) {
    index.put(v, index.size());
    low.put(v, index.get(v));
    stack.push(v);
    onStack.add(v);
    for (String w : graph.getOrDefault(v, Set.of())) {
      if (!index.containsKey(w)) {
        connect(w, graph, index, low, stack, onStack, out);
        low.put(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.contains(w)) {
        low.put(v, Math.min(low.get(v), index.get(w)));
      }
    }
    if (low.get(v).equals(index.get(v))) {
      List<String> component = new ArrayList<>();
      String w;
      do {
        w = stack.pop();
        onStack.remove(w);
        component.add(w);
      } while (!w.equals(v));
      if (component.size() > 1) {
        component.sort(null);
        out.add(component);
      }
    }
  }
}
