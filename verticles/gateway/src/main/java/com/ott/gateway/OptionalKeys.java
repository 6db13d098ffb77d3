package com.ott.gateway;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Gateway settings that {@code conf/application.yaml} does not list ({@code auth.jwtSecret},
 * {@code auth.jwtPublicKey}, {@code http.gateway.corsOrigins}, ...). OttConfig overrides only the leaves the YAML
 * declares, so for these the environment variable of the contract ({@code OTT_AUTH_JWTSECRET}, ...) is read here
 * when the configuration does not hold the key.
 */
final class OptionalKeys {
  private OptionalKeys() {}

  static String text(JsonObject config, String path) {
    return text(config, path, System.getenv());
  }

  static String text(JsonObject config, String path, Map<String, String> env) {
    Object value = at(config, path);
    if (value == null) {
      value = env.get("OTT_" + path.replace('.', '_').toUpperCase(Locale.ROOT));
    }
    if (value instanceof JsonArray list) {
      return String.join(",", list.stream().map(String::valueOf).toList());
    }
    return value == null ? "" : value.toString().trim();
  }

  /** A comma-separated list (or a YAML list), blanks dropped. */
  static List<String> list(JsonObject config, String path) {
    return Arrays.stream(text(config, path).split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  private static Object at(JsonObject config, String path) {
    String[] parts = path.split("\\.");
    JsonObject node = config;
    for (int i = 0; i < parts.length - 1 && node != null; i++) {
      node = node.getJsonObject(parts[i]);
    }
    return node == null ? null : node.getValue(parts[parts.length - 1]);
  }
}
