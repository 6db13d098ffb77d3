package com.ott.store.alerts;

import com.ott.contract.Failures;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The position after an alert in list order: {@code (firstSeenAt, alertId)}, sent to
 * clients as base64url of {@code {"v":1,"t":"<firstSeenAt>","id":"<alertId>"}}. Clients
 * treat it as opaque; a cursor that does not decode to exactly that is refused with 400.
 */
public record AlertCursor(Instant firstSeenAt, UUID alertId) {
  public static final int MAX_LENGTH = 256;
  private static final Pattern BASE64URL = Pattern.compile("[A-Za-z0-9_-]+");
  private static final String INVALID = "cursor: not a cursor returned by this API";

  public String encode() {
    String json = new JsonObject().put("v", 1).put("t", firstSeenAt.toString()).put("id", alertId.toString()).encode();
    return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  /** The cursor, or a 400 rejection naming the field. */
  public static AlertCursor decode(String text) {
    if (text == null || text.isEmpty() || text.length() > MAX_LENGTH || !BASE64URL.matcher(text).matches()) {
      throw Failures.reject(Failures.BAD_REQUEST, INVALID);
    }
    try {
      Object decoded = Json.decodeValue(new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8));
      if (!(decoded instanceof JsonObject json) || !Integer.valueOf(1).equals(json.getValue("v")) || json.size() != 3
          || !(json.getValue("t") instanceof String t) || !(json.getValue("id") instanceof String id)) {
        throw Failures.reject(Failures.BAD_REQUEST, INVALID);
      }
      Instant at = Times.parse(t);
      UUID alertId = AlertIds.parse(id);
      if (at == null || alertId == null) {
        throw Failures.reject(Failures.BAD_REQUEST, INVALID);
      }
      return new AlertCursor(at, alertId);
    } catch (IllegalArgumentException | DecodeException | ClassCastException e) {
      throw Failures.reject(Failures.BAD_REQUEST, INVALID);
    }
  }
}
