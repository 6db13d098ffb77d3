package com.ott.rules.reference;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;

/**
 * A catalogue entry. {@code territories} null means licensed everywhere ("*");
 * the availability window is [availableFrom, availableUntil), either end open when null.
 */
public record Title(String contentId, String title, String rating, Set<String> territories,
    Instant availableFrom, Instant availableUntil, boolean requiresCaptions, boolean kidsContent,
    boolean blockAnonymizers) {

  public Maturity tier() {
    return Maturity.ofRating(rating);
  }

  public boolean licensedIn(String country) {
    return territories == null || (country != null && territories.contains(country));
  }

  public boolean availableAt(long epochMillis) {
    return (availableFrom == null || epochMillis >= availableFrom.toEpochMilli())
        && (availableUntil == null || epochMillis < availableUntil.toEpochMilli());
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("contentId", contentId).put("title", title).put("rating", rating)
        .put("territories", territories == null ? "*" : new JsonArray(new java.util.ArrayList<>(new TreeSet<>(territories))));
    if (availableFrom != null) {
      json.put("availableFrom", availableFrom.toString());
    }
    if (availableUntil != null) {
      json.put("availableUntil", availableUntil.toString());
    }
    return json.put("requiresCaptions", requiresCaptions).put("kidsContent", kidsContent)
        .put("blockAnonymizers", blockAnonymizers);
  }

  /** A title from its stored (already validated) JSON. */
  public static Title fromJson(JsonObject json) {
    Object territories = json.getValue("territories");
    Set<String> codes = null;
    if (territories instanceof JsonArray array) {
      codes = new java.util.HashSet<>();
      for (Object code : array) {
        codes.add(String.valueOf(code));
      }
    }
    return new Title(json.getString("contentId"), json.getString("title"), json.getString("rating"), codes,
        instant(json.getString("availableFrom")), instant(json.getString("availableUntil")),
        json.getBoolean("requiresCaptions", false), json.getBoolean("kidsContent", false),
        json.getBoolean("blockAnonymizers", false));
  }

  private static Instant instant(String s) {
    return s == null ? null : Instant.parse(s);
  }
}
