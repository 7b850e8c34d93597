package org.hedgerow.aggregation.wire;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.hedgerow.privacy.budget.Spend;

/**
 * The one JSON codec of the coordinator's control messages (the records of this package): both ends
 * encode and decode with it, so a field's name and form are written down once, in its record.
 * Names are the records' component names in snake_case; unknown fields are ignored (a newer peer may
 * add some); a scalar of the wrong kind (a number where text is expected, text for a number) is
 * refused rather than coerced, and the refusal names the field. A {@link Spend} has the form of
 * {@link SpendJson#toJson(Spend)}.
 */
public final class WireJson {
  private static final ObjectMapper MAPPER = mapper();

  private WireJson() {}

  private static ObjectMapper mapper() {
    ObjectMapper m = new ObjectMapper();
    m.setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
    m.configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    m.configure(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, true); // "{}}" is not one JSON value
    m.coercionConfigFor(LogicalType.Textual).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    for (LogicalType number : new LogicalType[] {LogicalType.Integer, LogicalType.Float, LogicalType.Boolean}) {
      m.coercionConfigFor(number).setCoercion(CoercionInputShape.String, CoercionAction.Fail)
          .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
    }
    m.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.Float, CoercionAction.Fail); // 1.5 is no count
    SimpleModule spends = new SimpleModule("hedgerow-spends");
    spends.addSerializer(Spend.class, new JsonSerializer<>() {
      @Override
      public void serialize(Spend s, JsonGenerator g, SerializerProvider p) throws IOException {
        g.writeTree(SpendJson.toJson(s));
      }
    });
    spends.addDeserializer(Spend.class, new JsonDeserializer<>() {
      @Override
      public Spend deserialize(JsonParser p, DeserializationContext c) throws IOException {
        try {
          return SpendJson.spendFromJson(c.readTree(p));
        } catch (IllegalArgumentException e) {
          throw JsonMappingException.from(p, e.getMessage(), e);
        }
      }
    });
    m.registerModule(spends);
    return m;
  }

  /** The JSON text of a message. */
  public static String encode(Object message) {
    try {
      return MAPPER.writeValueAsString(message);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot encode " + message.getClass().getSimpleName() + ": "
          + e.getOriginalMessage(), e);
    }
  }

  /**
   * Reads a message of type {@code type}.
   *
   * @throws IllegalArgumentException naming what was wrong: not JSON, not an object, or the field of
   *     the wrong kind ({@code 'reason' must be a string})
   */
  public static <T> T decode(String json, Class<T> type) {
    if (json == null || json.isBlank()) {
      throw new IllegalArgumentException("expected a JSON object, got an empty body");
    }
    try {
      T value = MAPPER.readValue(json, type);
      if (value == null) {
        throw new IllegalArgumentException("expected a JSON object, got null");
      }
      return value;
    } catch (MismatchedInputException e) {
      throw new IllegalArgumentException(mismatch(e), e);
    } catch (JsonMappingException e) {
      String field = fieldOf(e);
      throw new IllegalArgumentException((field.isEmpty() ? "" : "'" + field + "': ") + e.getOriginalMessage(), e);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not valid JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** As {@link #decode(String, Class)}, from UTF-8 bytes. */
  public static <T> T decode(byte[] json, Class<T> type) {
    return decode(new String(json, StandardCharsets.UTF_8), type);
  }

  /** A JSON object as a map (nested objects as maps, arrays as lists), in field order. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> object(String json) {
    return decode(json, Map.class);
  }

  private static String mismatch(MismatchedInputException e) {
    String field = fieldOf(e);
    if (field.isEmpty() && String.valueOf(e.getOriginalMessage()).startsWith("Trailing token")) {
      return "not valid JSON: " + e.getOriginalMessage();
    }
    if (field.isEmpty()) {
      return "expected a JSON object";
    }
    Class<?> t = e.getTargetType();
    String kind = t == null ? "of another type"
        : t == String.class ? "a string"
        : t == boolean.class || t == Boolean.class ? "true or false"
        : t == int.class || t == long.class || t == Integer.class || t == Long.class ? "a whole number"
        : Number.class.isAssignableFrom(t) || (t.isPrimitive() && t != char.class) ? "a number"
        : java.util.Collection.class.isAssignableFrom(t) || t.isArray() ? "an array"
        : "an object";
    return "'" + field + "' must be " + kind;
  }

  /** The dotted path of the field a mapping error is about ("" for the top level). */
  private static String fieldOf(JsonMappingException e) {
    StringBuilder b = new StringBuilder();
    for (JsonMappingException.Reference r : e.getPath()) {
      if (r.getFieldName() != null) {
        b.append(b.isEmpty() ? "" : ".").append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        b.append('[').append(r.getIndex()).append(']');
      }
    }
    return b.toString();
  }
}
