package com.ott.contract;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Validates events against the published JSON schema (event-v2) and the checks a
 * schema cannot express (RFC 3339 time, IP literal, attribute size), giving one
 * readable message per field, and normalises valid events (unknown fields move
 * into {@code attributes}, never dropped).
 */
public final class EventValidator {

  public static final String SCHEMA_RESOURCE = "/schemas/event-v2.schema.json";
  private static final Pattern QUOTED = Pattern.compile("\"([^\"]+)\"");
  private static final Pattern IPV4 =
      Pattern.compile("^((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)$");
  private static final Pattern IPV6_CHARS = Pattern.compile("^[0-9A-Fa-f:.]+$");

  private final Validator validator;
  private final int maxAttributesBytes;

  public EventValidator(int maxAttributesBytes) {
    this.validator = Validator.create(JsonSchema.of(loadSchema()),
        new JsonSchemaOptions().setDraft(Draft.DRAFT202012)
            .setBaseUri("https://ott-compliance.dev/schemas/")
            .setOutputFormat(OutputFormat.Basic));
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
    Set<String> errors = new LinkedHashSet<>();
    OutputUnit result = validator.validate(event);
    if (!Boolean.TRUE.equals(result.getValid())) {
      List<OutputUnit> units = result.getErrors() == null || result.getErrors().isEmpty()
          ? List.of(result) : result.getErrors();
      for (OutputUnit unit : units) {
        String message = describe(event, unit);
        if (message != null) {
          errors.add(message);
        }
      }
      if (errors.isEmpty()) {
        errors.add("event: does not match schema v2");
      }
    }
    Object occurredAt = event.getValue(EventFields.OCCURRED_AT);
    if (occurredAt instanceof String s && !isRfc3339(s)) {
      errors.add("occurredAt: not an RFC 3339 timestamp");
    }
    Object ip = event.getValue(EventFields.IP);
    if (ip instanceof String s && !isIpLiteral(s)) {
      errors.add("ip: not an IPv4 or IPv6 address");
    }
    return new ArrayList<>(errors);
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

  private static String describe(JsonObject event, OutputUnit unit) {
    String keywordLocation = unit.getKeywordLocation() == null ? "" : unit.getKeywordLocation();
    String keyword = keywordLocation.substring(keywordLocation.lastIndexOf('/') + 1);
    String field = fieldOf(unit.getInstanceLocation());
    String error = unit.getError() == null ? "invalid" : unit.getError();
    switch (keyword) {
      case "allOf", "anyOf", "oneOf", "then", "if", "else", "properties", "$ref" -> {
        // a wrapper of more specific errors, which are reported themselves
        return null;
      }
      case "required" -> {
        Matcher m = QUOTED.matcher(error);
        String missing = m.find() ? m.group(1) : "field";
        String prefix = field.isEmpty() ? "" : field + ".";
        Object type = event.getValue(EventFields.TYPE);
        String why = keywordLocation.contains("/allOf/") && type instanceof String t
            ? "required for " + t + " events" : "required";
        return prefix + missing + ": " + why;
      }
      case "enum", "const" -> {
        if (field.equals(EventFields.TYPE)) {
          return "type: unknown event type " + quoteShort(event.getValue(EventFields.TYPE));
        }
        return (field.isEmpty() ? "event" : field) + ": not one of the allowed values";
      }
      case "type" -> {
        return (field.isEmpty() ? "event" : field) + ": " + lower(error);
      }
      case "pattern" -> {
        return field + ": invalid format";
      }
      case "additionalProperties" -> {
        return (field.isEmpty() ? "event" : field) + ": unknown field";
      }
      default -> {
        return (field.isEmpty() ? "event" : field) + ": " + lower(error);
      }
    }
  }

  private static String fieldOf(String instanceLocation) {
    if (instanceLocation == null || instanceLocation.equals("#") || instanceLocation.isEmpty()) {
      return "";
    }
    String path = instanceLocation.startsWith("#") ? instanceLocation.substring(1) : instanceLocation;
    if (path.startsWith("/")) {
      path = path.substring(1);
    }
    return path.replace('/', '.');
  }

  private static String lower(String s) {
    return s.isEmpty() ? s : Character.toLowerCase(s.charAt(0)) + s.substring(1);
  }

  private static String quoteShort(Object value) {
    String s = String.valueOf(value);
    return "'" + (s.length() > 64 ? s.substring(0, 64) + "..." : s) + "'";
  }
}
