package com.ott.bridge.auth;

import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * Where callers put their API key (or token): {@code x-api-key: <key>} or {@code authorization: Bearer <key>} in
 * HTTP headers, in bridge frame headers and in the GraphQL {@code connection_init} payload, or
 * {@code ?access_token=<key>} on the SockJS URL. Names are case-insensitive; the key itself is opaque here.
 */
public final class Credentials {
  public static final int MAX_LENGTH = 512;

  private Credentials() {}

  public static String fromHeaders(MultiMap headers) {
    if (headers == null) {
      return null;
    }
    return pick(headers.get("x-api-key"), headers.get("authorization"));
  }

  /** From a JSON object of names to values: bridge frame headers or a connection_init payload. */
  public static String fromJson(JsonObject json) {
    if (json == null) {
      return null;
    }
    String key = null;
    String authorization = null;
    for (Map.Entry<String, Object> e : json) {
      if (!(e.getValue() instanceof String value)) {
        continue;
      }
      if (e.getKey().equalsIgnoreCase("x-api-key")) {
        key = value;
      } else if (e.getKey().equalsIgnoreCase("authorization")) {
        authorization = value;
      }
    }
    return pick(key, authorization);
  }

  private static String pick(String key, String authorization) {
    if (key != null && !key.isBlank()) {
      return key.trim();
    }
    if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      String token = authorization.substring(7).trim();
      return token.isEmpty() ? null : token;
    }
    return null;
  }

  /** The {@code access_token} query parameter of a URI, or null. */
  public static String fromQuery(String uri) {
    if (uri == null) {
      return null;
    }
    int q = uri.indexOf('?');
    if (q < 0) {
      return null;
    }
    for (String pair : uri.substring(q + 1).split("&")) {
      if (pair.startsWith("access_token=")) {
        String value = java.net.URLDecoder.decode(pair.substring("access_token=".length()), java.nio.charset.StandardCharsets.UTF_8);
        return value.isBlank() ? null : value.trim();
      }
    }
    return null;
  }
}
