package com.ott.runtime;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The product configuration: {@code conf/application.yaml} (or the file named by
 * {@code OTT_CONFIG}, or the copy on the classpath), with every leaf overridable
 * by an environment variable {@code OTT_<PATH>} (e.g. {@code pg.url} -> {@code OTT_PG_URL}).
 */
public final class OttConfig {
  private OttConfig() {}

  /** Loads the defaults and applies the process environment. */
  public static JsonObject load() {
    return load(System.getenv());
  }

  public static JsonObject load(Map<String, String> env) {
    JsonObject config = readDefaults(env.get("OTT_CONFIG"));
    applyOverrides(config, "OTT", env);
    return config;
  }

  /** Reads YAML text into JSON. */
  public static JsonObject parseYaml(String yaml) {
    Object tree = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
    if (tree == null) {
      return new JsonObject();
    }
    if (!(tree instanceof Map<?, ?> map)) {
      throw new IllegalArgumentException("configuration root must be a mapping");
    }
    return new JsonObject(toStringKeys(map));
  }

  /** Overrides every leaf whose environment variable is set, converting to the default's type. */
  public static void applyOverrides(JsonObject node, String prefix, Map<String, String> env) {
    for (String key : node.fieldNames()) {
      String name = prefix + "_" + key.toUpperCase(Locale.ROOT);
      Object value = node.getValue(key);
      if (value instanceof JsonObject child) {
        applyOverrides(child, name, env);
      } else if (env.containsKey(name)) {
        node.put(key, convert(env.get(name), value, name));
      }
    }
  }

  private static Object convert(String raw, Object current, String name) {
    try {
      if (current instanceof Boolean) {
        if (!raw.equalsIgnoreCase("true") && !raw.equalsIgnoreCase("false")) {
          throw new IllegalArgumentException("expected true or false");
        }
        return Boolean.parseBoolean(raw);
      }
      if (current instanceof Integer) {
        return Integer.parseInt(raw.trim());
      }
      if (current instanceof Long) {
        return Long.parseLong(raw.trim());
      }
      if (current instanceof Double || current instanceof Float) {
        return Double.parseDouble(raw.trim());
      }
      if (current instanceof JsonArray) {
        return new JsonArray(java.util.Arrays.asList((Object[]) raw.split(",")));
      }
      return raw;
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("environment variable " + name + ": cannot use '" + raw + "': " + e.getMessage(), e);
    }
  }

  private static JsonObject readDefaults(String explicitPath) {
    try {
      if (explicitPath != null && !explicitPath.isBlank()) {
        return parseYaml(Files.readString(Path.of(explicitPath)));
      }
      Path local = Path.of("conf", "application.yaml");
      if (Files.isReadable(local)) {
        return parseYaml(Files.readString(local));
      }
      try (InputStream in = OttConfig.class.getResourceAsStream("/conf/application.yaml")) {
        if (in == null) {
          throw new IllegalStateException("no conf/application.yaml in the working directory nor on the classpath; set OTT_CONFIG");
        }
        return parseYaml(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot read configuration: " + e.getMessage(), e);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> toStringKeys(Map<?, ?> map) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : map.entrySet()) {
      Object v = e.getValue();
      if (v instanceof Map<?, ?> m) {
        v = toStringKeys(m);
      } else if (v instanceof java.util.List<?> list) {
        v = list.stream().map(x -> x instanceof Map<?, ?> m2 ? toStringKeys(m2) : x).toList();
      }
      out.put(String.valueOf(e.getKey()), v);
    }
    return out;
  }

  /** The section at a dotted path, empty when absent. */
  public static JsonObject section(JsonObject config, String path) {
    JsonObject node = config;
    for (String part : path.split("\\.")) {
      JsonObject next = node.getJsonObject(part);
      if (next == null) {
        return new JsonObject();
      }
      node = next;
    }
    return node;
  }
}
