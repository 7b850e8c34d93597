package org.hedgerow.simulations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A research grid: scenario keys to try ({@code axes}, each a list of values) on top of a scenario
 * and fixed overrides ({@code base}). Every combination is one point. File form:
 *
 * <pre>{@code
 * {"scenario": "my-scenario.json",            // optional; default: the bundled scenario
 *  "base": {"rounds": 5},                     // optional fixed overrides
 *  "axes": {"epsilon_cap": [1, 4, "inf"],     // "inf" (or null): no DP
 *           "partition": ["region", "dirichlet:0.5"],
 *           "secure_aggregation": ["none", "secagg+"]}}
 * }</pre>
 *
 * <p>An {@code epsilon_cap} value turns on user-level DP at the silos (unless {@code base} names
 * another privacy mode) with σ calibrated to it; {@code "inf"} runs the federation without DP.
 */
public record SweepGrid(Scenario scenario, ObjectNode base, Map<String, List<JsonNode>> axes) {
  private static final ObjectMapper JSON = new ObjectMapper();
  public static final String EPSILON_CAP = "epsilon_cap";

  public SweepGrid {
    if (axes.isEmpty()) {
      throw new IllegalArgumentException("a sweep grid needs at least one axis");
    }
    axes.forEach((k, v) -> {
      if (v.isEmpty()) {
        throw new IllegalArgumentException("sweep axis '" + k + "' has no values");
      }
    });
    axes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(axes));
    // Fail now, naming the point, rather than hours into the sweep.
    for (ObjectNode p : pointsOf(axes)) {
      scenarioFor(scenario, base, p, "sweep point " + p);
    }
  }

  /** Reads a grid file; a relative {@code scenario} path is resolved against the grid's directory. */
  public static SweepGrid load(Path file) {
    JsonNode n;
    try {
      n = JSON.readTree(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read sweep grid " + file + ": " + e.getMessage());
    }
    if (!(n instanceof ObjectNode o)) {
      throw new IllegalArgumentException("sweep grid " + file + " must be a JSON object");
    }
    for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!List.of("scenario", "base", "axes").contains(k)) {
        throw new IllegalArgumentException(file + ": unknown key '" + k + "' (known: scenario, base, axes)");
      }
    }
    Scenario s = Scenario.bundledDefault();
    if (o.hasNonNull("scenario")) {
      Path sf = Path.of(o.get("scenario").asText());
      s = Scenario.load(sf.isAbsolute() || file.getParent() == null ? sf : file.getParent().resolve(sf));
    }
    ObjectNode base = o.has("base") ? objectOf(o.get("base"), file + ": base") : JSON.createObjectNode();
    ObjectNode axesNode = objectOf(o.get("axes"), file + ": axes");
    Map<String, List<JsonNode>> axes = new LinkedHashMap<>();
    axesNode.fields().forEachRemaining(e -> {
      if (!e.getValue().isArray()) {
        throw new IllegalArgumentException(file + ": axis '" + e.getKey() + "' must be a list of values");
      }
      List<JsonNode> values = new ArrayList<>();
      e.getValue().forEach(values::add);
      axes.put(e.getKey(), values);
    });
    return new SweepGrid(s, base, axes);
  }

  private static ObjectNode objectOf(JsonNode n, String what) {
    if (!(n instanceof ObjectNode o)) {
      throw new IllegalArgumentException(what + " must be a JSON object");
    }
    return o;
  }

  /** Every combination of axis values, the first axis varying slowest. */
  public List<ObjectNode> points() {
    return pointsOf(axes);
  }

  private static List<ObjectNode> pointsOf(Map<String, List<JsonNode>> axes) {
    List<ObjectNode> points = new ArrayList<>();
    points.add(JSON.createObjectNode());
    for (Map.Entry<String, List<JsonNode>> axis : axes.entrySet()) {
      List<ObjectNode> next = new ArrayList<>();
      for (ObjectNode p : points) {
        for (JsonNode v : axis.getValue()) {
          next.add(p.deepCopy().set(axis.getKey(), v));
        }
      }
      points = next;
    }
    return points;
  }

  /** The scenario of one point. */
  public Scenario scenarioFor(ObjectNode point) {
    return scenarioFor(scenario, base, point, "sweep point " + point);
  }

  private static Scenario scenarioFor(Scenario scenario, ObjectNode base, ObjectNode point, String source) {
    ObjectNode o = base.deepCopy();
    point.fields().forEachRemaining(e -> {
      if (e.getKey().equals(EPSILON_CAP)) {
        JsonNode v = e.getValue();
        if (v.isNull() || (v.isTextual() && v.asText().equalsIgnoreCase("inf"))) {
          o.put("privacy", "none");
        } else {
          o.set(EPSILON_CAP, v);
          if (!base.has("privacy") || base.get("privacy").asText().equals("none")) {
            o.put("privacy", "local");
          }
          if (!base.has("noise_multiplier")) {
            o.putNull("noise_multiplier"); // calibrate σ to this cap
          }
        }
      } else {
        o.set(e.getKey(), e.getValue());
      }
    });
    return scenario.with(o, source);
  }
}
