package com.ott.rules.engine;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Rule settings of a tenant: the defaults of {@code conf/rules.yaml} merged with the tenant's
 * overrides (a JSON document of the same shape holding only what it changes). Overrides are
 * validated against each rule's parameter schema and rejected with field-level messages.
 */
public final class RuleSettings {
  /** The packaged copy of conf/rules.yaml. */
  public static final String DEFAULTS_RESOURCE = "/com/ott/rules/rules.yaml";
  public static final String SCHEMA_RESOURCE = "/com/ott/rules/engine/rule-settings.schema.json";

  private static final JsonObject SCHEMA = new JsonObject(Buffer.buffer(read(SCHEMA_RESOURCE)));
  private static final Validator VALIDATOR = Validator.create(JsonSchema.of(SCHEMA),
      new JsonSchemaOptions().setDraft(Draft.DRAFT202012).setBaseUri("https://ott-compliance.dev/schemas/")
          .setOutputFormat(OutputFormat.Basic));
  private static volatile RuleSettings defaults;

  private final JsonObject effective;
  private final ZoneId timeZone;
  private final long heartbeatIntervalMillis;
  private final long allowedLatenessMillis;
  private final Map<String, RuleConfig> rules;

  private RuleSettings(JsonObject effective) {
    this.effective = effective;
    this.timeZone = ZoneId.of(effective.getString("timeZone", "UTC"));
    this.heartbeatIntervalMillis = effective.getLong("heartbeatIntervalSeconds", 30L) * 1000;
    this.allowedLatenessMillis = effective.getLong("allowedLatenessSeconds", 300L) * 1000;
    Map<String, RuleConfig> map = new LinkedHashMap<>();
    JsonObject r = effective.getJsonObject("rules", new JsonObject());
    for (String id : r.fieldNames()) {
      map.put(id, new RuleConfig(id, r.getJsonObject(id)));
    }
    this.rules = Collections.unmodifiableMap(map);
  }

  /** The packaged defaults (conf/rules.yaml). */
  public static RuleSettings defaults() {
    RuleSettings d = defaults;
    if (d == null) {
      d = fromYaml(new String(read(DEFAULTS_RESOURCE), StandardCharsets.UTF_8));
      defaults = d;
    }
    return d;
  }

  /** Defaults from a rules.yaml file, validated like overrides. */
  public static RuleSettings load(Path yamlFile) throws IOException {
    return fromYaml(Files.readString(yamlFile));
  }

  public static RuleSettings fromYaml(String yaml) {
    Object doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
    if (!(doc instanceof Map<?, ?> map)) {
      throw new InvalidSettingsException(List.of("rules.yaml: not a mapping"));
    }
    JsonObject json = (JsonObject) toJson(map);
    List<String> errors = check(json);
    if (!errors.isEmpty()) {
      throw new InvalidSettingsException(errors);
    }
    return new RuleSettings(json);
  }

  /** Field-level problems of an overrides document ("rules.concurrent_streams.defaultMaxStreams: ..."), empty when valid. */
  public static List<String> validate(JsonObject overrides) {
    return check(overrides);
  }

  /** These settings with a tenant's overrides applied; throws {@link InvalidSettingsException} when they are invalid. */
  public RuleSettings withOverrides(JsonObject overrides) {
    if (overrides == null || overrides.isEmpty()) {
      return this;
    }
    List<String> errors = check(overrides);
    if (!errors.isEmpty()) {
      throw new InvalidSettingsException(errors);
    }
    JsonObject merged = effective.copy();
    for (String key : overrides.fieldNames()) {
      if (key.equals("rules")) {
        JsonObject rulesIn = overrides.getJsonObject("rules");
        JsonObject rulesOut = merged.getJsonObject("rules");
        for (String id : rulesIn.fieldNames()) {
          JsonObject target = rulesOut.getJsonObject(id);
          if (target == null) {
            target = new JsonObject();
            rulesOut.put(id, target);
          }
          target.mergeIn(rulesIn.getJsonObject(id).copy());
        }
      } else {
        merged.put(key, overrides.getValue(key));
      }
    }
    return new RuleSettings(merged);
  }

  public ZoneId timeZone() {
    return timeZone;
  }

  public long heartbeatIntervalMillis() {
    return heartbeatIntervalMillis;
  }

  public long allowedLatenessMillis() {
    return allowedLatenessMillis;
  }

  /** The settings of a rule (every rule of the engine has defaults). */
  public RuleConfig rule(String ruleId) {
    RuleConfig c = rules.get(ruleId);
    if (c == null) {
      throw new IllegalArgumentException("no settings for rule " + ruleId);
    }
    return c;
  }

  public Set<String> ruleIds() {
    return rules.keySet();
  }

  /** The effective settings, in the shape of rules.yaml. */
  public JsonObject toJson() {
    return effective.copy();
  }

  private static List<String> check(JsonObject doc) {
    Set<String> errors = new LinkedHashSet<>();
    OutputUnit result = VALIDATOR.validate(doc);
    if (!Boolean.TRUE.equals(result.getValid())) {
      List<OutputUnit> units = result.getErrors() == null || result.getErrors().isEmpty()
          ? List.of(result) : result.getErrors();
      for (OutputUnit unit : units) {
        String message = describe(unit);
        if (message != null) {
          errors.add(message);
        }
      }
      if (errors.isEmpty()) {
        errors.add("settings: do not match the rule settings schema");
      }
    }
    Object zone = doc.getValue("timeZone");
    if (zone instanceof String z) {
      try {
        ZoneId.of(z);
      } catch (DateTimeException e) {
        errors.add("timeZone: unknown time zone '" + z + "' (expected an IANA id such as Europe/Berlin)");
      }
    }
    return new ArrayList<>(errors);
  }

  private static String describe(OutputUnit unit) {
    String location = unit.getKeywordLocation() == null ? "" : unit.getKeywordLocation();
    if (location.startsWith("#")) {
      location = location.substring(1);
    }
    String keyword = location.substring(location.lastIndexOf('/') + 1);
    String field = field(unit.getInstanceLocation());
    Object limit = schemaValue(location);
    String where = field.isEmpty() ? "settings" : field;
    return switch (keyword) {
      case "properties", "items", "$ref", "allOf", "anyOf", "oneOf" -> null;
      case "additionalProperties" -> {
        // the unit names the property; the validator also reports declared properties whose value is invalid,
        // and entries of a map (vendorIds) whose own errors are reported by their keyword
        Object declared = schemaValue(location.substring(0, location.lastIndexOf('/')) + "/properties");
        String name = field.substring(field.lastIndexOf('.') + 1);
        if (!Boolean.FALSE.equals(limit) || (declared instanceof JsonObject props && props.containsKey(name))) {
          yield null;
        }
        String parent = field.contains(".") ? field.substring(0, field.lastIndexOf('.')) : "";
        yield field + ": unknown " + (parent.equals("rules") && declared instanceof JsonObject props
            ? "rule (expected one of " + String.join(", ", props.fieldNames()) + ")" : "setting");
      }
      case "type" -> where + ": must be " + article(limit);
      case "enum" -> where + ": must be one of " + (limit instanceof JsonArray a
          ? String.join(", ", a.stream().map(String::valueOf).toList()) : "the allowed values");
      case "minimum" -> where + ": must be at least " + limit;
      case "maximum" -> where + ": must be at most " + limit;
      case "minLength" -> where + ": must have at least " + limit + " characters";
      case "maxLength" -> where + ": must have at most " + limit + " characters";
      case "minItems" -> where + ": must have at least " + limit + " items";
      case "maxItems" -> where + ": must have at most " + limit + " items";
      case "maxProperties" -> where + ": must have at most " + limit + " entries";
      default -> where + ": " + lower(unit.getError());
    };
  }

  private static String article(Object type) {
    String t = String.valueOf(type);
    return switch (t) {
      case "integer" -> "an integer";
      case "object" -> "an object";
      case "array" -> "a list";
      case "boolean" -> "true or false";
      default -> "a " + t;
    };
  }

  private static Object schemaValue(String pointer) {
    Object at = SCHEMA;
    for (String part : pointer.split("/")) {
      if (part.isEmpty()) {
        continue;
      }
      if (at instanceof JsonObject o) {
        at = o.getValue(part);
      } else if (at instanceof JsonArray a && part.chars().allMatch(Character::isDigit)) {
        at = a.getValue(Integer.parseInt(part));
      } else {
        return null;
      }
    }
    return at;
  }

  private static String field(String instanceLocation) {
    if (instanceLocation == null) {
      return "";
    }
    String path = instanceLocation.startsWith("#") ? instanceLocation.substring(1) : instanceLocation;
    if (path.startsWith("/")) {
      path = path.substring(1);
    }
    return path.replace('/', '.');
  }

  private static String lower(String s) {
    return s == null || s.isEmpty() ? "invalid" : Character.toLowerCase(s.charAt(0)) + s.substring(1);
  }

  private static Object toJson(Object yaml) {
    if (yaml instanceof Map<?, ?> map) {
      JsonObject o = new JsonObject();
      map.forEach((k, v) -> o.put(String.valueOf(k), toJson(v)));
      return o;
    }
    if (yaml instanceof List<?> list) {
      JsonArray a = new JsonArray();
      list.forEach(v -> a.add(toJson(v)));
      return a;
    }
    return yaml;
  }

  private static byte[] read(String resource) {
    try (InputStream in = RuleSettings.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + resource);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
