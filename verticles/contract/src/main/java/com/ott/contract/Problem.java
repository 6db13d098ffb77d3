package com.ott.contract;

import io.vertx.core.json.JsonObject;

/** RFC 9457 problem documents: every error the product returns has this shape. */
public final class Problem {
  private Problem() {}

  public static final String MEDIA_TYPE = "application/problem+json";
  private static final String TYPE_BASE = "https://ott-compliance.dev/problems/";

  public static JsonObject of(int status, String title, String detail) {
    JsonObject p = new JsonObject()
        .put("type", TYPE_BASE + slug(title))
        .put("title", title)
        .put("status", status);
    if (detail != null && !detail.isBlank()) {
      p.put("detail", detail);
    }
    return p;
  }

  public static String titleFor(int status) {
    return switch (status) {
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 406 -> "Not Acceptable";
      case 409 -> "Conflict";
      case 410 -> "Gone";
      case 413 -> "Payload Too Large";
      case 415 -> "Unsupported Media Type";
      case 422 -> "Unprocessable Content";
      case 429 -> "Too Many Requests";
      case 503 -> "Service Unavailable";
      case 504 -> "Gateway Timeout";
      default -> status >= 500 ? "Internal Server Error" : "Error";
    };
  }

  private static String slug(String title) {
    return title.toLowerCase().replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
  }
}
