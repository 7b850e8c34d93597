package org.hedgerow.cli.privacy;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Strict JSON for plan files, on Jackson (the project's one JSON library): duplicate keys and
 * trailing content are errors, numbers come back as {@code Double}, and every error names the line
 * and column, so a misspelt or repeated key can never silently change a privacy computation.
 */
final class PlanJson {
  private static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  private static final Pattern DUPLICATE = Pattern.compile("Duplicate field '([^']*)'");

  private PlanJson() {}

  /**
   * Parses {@code text} into maps (insertion order), lists, {@code Double}s, strings, booleans and nulls.
   *
   * @throws IllegalArgumentException naming the line and column of a syntax error, or the repeated key
   */
  static Object parse(String text) {
    JsonNode root;
    try {
      root = MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      Matcher m = DUPLICATE.matcher(e.getOriginalMessage());
      if (m.find()) {
        throw new IllegalArgumentException("duplicate key \"" + m.group(1) + "\"");
      }
      JsonLocation at = e.getLocation();
      String where = at == null ? "" : "line " + at.getLineNr() + ", column " + at.getColumnNr() + ": ";
      String what = e.getOriginalMessage().startsWith("Trailing token") ? "unexpected content after the JSON value"
          : firstLine(e.getOriginalMessage());
      throw new IllegalArgumentException(where + what);
    }
    if (root == null || root.isMissingNode()) {
      throw new IllegalArgumentException("the file holds no JSON value");
    }
    return toPlain(root);
  }

  /** Jackson's message without its source-location tail, which names nothing the user wrote. */
  private static String firstLine(String message) {
    int cut = message.length();
    for (String tail : new String[] {"\n", " (for ", " [Source"}) {
      int i = message.indexOf(tail);
      if (i >= 0) {
        cut = Math.min(cut, i);
      }
    }
    return message.substring(0, cut);
  }

  private static Object toPlain(JsonNode n) {
    if (n.isObject()) {
      Map<String, Object> map = new LinkedHashMap<>();
      Iterator<Map.Entry<String, JsonNode>> fields = n.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> f = fields.next();
        map.put(f.getKey(), toPlain(f.getValue()));
      }
      return map;
    }
    if (n.isArray()) {
      List<Object> list = new ArrayList<>();
      n.forEach(e -> list.add(toPlain(e)));
      return list;
    }
    if (n.isNumber()) {
      return n.doubleValue();
    }
    if (n.isTextual()) {
      return n.asText();
    }
    if (n.isBoolean()) {
      return n.booleanValue();
    }
    return null;
  }
}
