package com.ott.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Validates events against the published JSON schema (event-v2, with the
 * networknt validator) and the checks a schema cannot express (RFC 3339 time,
 * IP literal, attribute size), giving one readable message per field, and
 * normalises valid events (unknown fields move into {@code attributes}, never dropped).
 */
public final class EventValidator {

  public static final String SCHEMA_RESOURCE = "/schemas/event-v2.schema.json";
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Pattern IPV4 =
      Pattern.compile("^((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)$");
  private static final Pattern IPV6_CHARS = Pattern.compile("^[0-9A-Fa-f:.]+$");

  private final JsonSchema schema;
  private final int maxAttributesBytes;

  public EventValidator(int maxAttributesBytes) {
    try {
      this.schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
          .getSchema(MAPPER.readTree(loadSchema().encode()));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    this.maxAttributesBytes = maxAttributesBytes;
  }

  /** The event schema as published. */
  public static JsonObject loadSchema() {
    try (InputStream in = EventValidator.class.getResourceAsStream(SCHEMA_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing " + SCHEMA_RESOURCE);
      }
      return new JsonObject(Buffer.buffer(in.readAllBytes()));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Field-level errors of an event, empty when it is valid. */
  public List<String> validate(JsonObject event) {
    try {
      // through the encoded form: nested JsonObject/JsonArray values are not beans to Jackson
      return validate(MAPPER.readTree(event.toBuffer().getBytes()));
    } catch (IOException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** Field-level errors of an event as parsed by Jackson, empty when it is valid. */
  public List<String> validate(JsonNode event) {
    Set<String> errors = new LinkedHashSet<>();
    for (ValidationMessage m : schema.validate(event)) {
      errors.add(describe(event, m));
    }
    JsonNode occurredAt = event.get(EventFields.OCCURRED_AT);
    if (occurredAt != null && occurredAt.isTextual() && !isRfc3339(occurredAt.textValue())) {
      errors.add("occurredAt: not an RFC 3339 timestamp");
    }
    JsonNode ip = event.get(EventFields.IP);
    if (ip != null && ip.isTextual() && !isIpLiteral(ip.textValue())) {
      errors.add("ip: not an IPv4 or IPv6 address");
    }
    return new ArrayList<>(errors);
  }

  /** A Jackson tree as the product's JSON type (a direct walk: databind's convertValue cost more than validation). */
  public static JsonObject toJsonObject(ObjectNode node) {
    return new JsonObject(toMap(node));
  }

  private static Map<String, Object> toMap(JsonNode node) {
    Map<String, Object> map = new java.util.LinkedHashMap<>(Math.max(4, node.size() * 2));
    node.fields().forEachRemaining(e -> map.put(e.getKey(), toValue(e.getValue())));
    return map;
  }

  private static Object toValue(JsonNode node) {
    switch (node.getNodeType()) {
      case OBJECT:
        return toMap(node);
      case ARRAY:
        List<Object> list = new ArrayList<>(node.size());
        node.forEach(n -> list.add(toValue(n)));
        return list;
      case STRING:
        return node.textValue();
      case BOOLEAN:
        return node.booleanValue();
      case NUMBER:
        return node.numberValue();
      case NULL:
      case MISSING:
        return null;
      default:
        return node.toString();
    }
  }

  /**
   * The event as stored: unknown top-level fields move into {@code attributes}.
   * Returns an error message instead when the attributes exceed their limit.
   */
  public Normalized normalize(JsonObject event) {
    JsonObject out = new JsonObject();
    JsonObject extra = null;
    for (Map.Entry<String, Object> e : event) {
      if (EventFields.KNOWN.contains(e.getKey())) {
        out.put(e.getKey(), e.getValue());
      } else {
        if (extra == null) {
          extra = new JsonObject();
        }
        extra.put(e.getKey(), e.getValue());
      }
    }
    if (extra != null) {
      JsonObject attributes = out.getJsonObject(EventFields.ATTRIBUTES);
      attributes = attributes == null ? new JsonObject() : attributes.copy();
      for (Map.Entry<String, Object> e : extra) {
        // an explicit attribute of the same name wins over a stray top-level field
        if (!attributes.containsKey(e.getKey())) {
          attributes.put(e.getKey(), e.getValue());
        }
      }
      out.put(EventFields.ATTRIBUTES, attributes);
    }
    JsonObject attributes = out.getJsonObject(EventFields.ATTRIBUTES);
    if (attributes != null) {
      int size = attributes.toBuffer().length();
      if (size > maxAttributesBytes) {
        return new Normalized(null, "attributes: " + size + " bytes exceeds the limit of " + maxAttributesBytes);
      }
    }
    return new Normalized(out, null);
  }

  /** A normalised event, or the reason it could not be. */
  public record Normalized(JsonObject event, String error) {}

  static boolean isRfc3339(String s) {
    // RFC 3339 requires a date, a 'T' (or space) and an offset; OffsetDateTime enforces the offset
    if (s.length() < 20) {
      return false;
    }
    try {
      OffsetDateTime.parse(s.replace(' ', 'T').replace('t', 'T').replace('z', 'Z'), DateTimeFormatter.ISO_OFFSET_DATE_TIME);
      return true;
    } catch (DateTimeParseException e) {
      return false;
    }
  }

  static boolean isIpLiteral(String s) {
    if (s.indexOf(':') < 0) {
      return IPV4.matcher(s).matches();
    }
    if (!IPV6_CHARS.matcher(s).matches()) {
      return false;
    }
    try {
      // a literal containing ':' is parsed, never resolved
      return java.net.InetAddress.getByName(s) instanceof java.net.Inet6Address;
    } catch (Exception e) {
      return false;
    }
  }

  private static String describe(JsonNode event, ValidationMessage m) {
    String field = fieldOf(m.getInstanceLocation() == null ? "$" : m.getInstanceLocation().toString());
    String type = m.getType() == null ? "" : m.getType();
    switch (type) {
      case "required" -> {
        String prefix = field.isEmpty() ? "" : field + ".";
        JsonNode eventType = event.get(EventFields.TYPE);
        boolean byType = m.getEvaluationPath() != null && m.getEvaluationPath().toString().contains("allOf");
        return prefix + m.getProperty() + ": "
            + (byType && eventType != null && eventType.isTextual() ? "required for " + eventType.textValue() + " events" : "required");
      }
      case "enum", "const" -> {
        if (field.equals(EventFields.TYPE)) {
          JsonNode t = event.get(EventFields.TYPE);
          String s = t == null ? "" : t.isTextual() ? t.textValue() : t.toString();
          return "type: unknown event type '" + (s.length() > 64 ? s.substring(0, 64) + "..." : s) + "'";
        }
        return (field.isEmpty() ? "event" : field) + ": not one of the allowed values";
      }
      case "pattern" -> {
        return field + ": invalid format";
      }
      case "additionalProperties" -> {
        return (field.isEmpty() ? "event" : field) + "." + m.getProperty() + ": unknown field";
      }
      default -> {
        String message = m.getMessage() == null ? "invalid" : m.getMessage();
        String prefix = m.getInstanceLocation() + ": ";
        if (message.startsWith(prefix)) {
          message = message.substring(prefix.length());
        }
        return (field.isEmpty() ? "event" : field) + ": " + message;
      }
    }
  }

  private static String fieldOf(String instanceLocation) {
    if (instanceLocation.equals("$")) {
      return "";
    }
    return instanceLocation.startsWith("$.") ? instanceLocation.substring(2) : instanceLocation;
  }
}
