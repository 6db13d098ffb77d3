package com.ott.rules.engine;

import com.ott.contract.EventType;
import com.ott.rules.reference.Maturity;
import com.ott.rules.reference.NetworkPrefix;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * The fields of a schema-v2 event the rules read, parsed once. {@code account}, {@code device}
 * and {@code ip} hold pseudonymised tokens when the encryption stage is on; {@code ipNet} is
 * then the token of the IP's network prefix.
 */
public record RuleEvent(EventType type, String eventId, long time, String account, String profileId,
    Maturity profileMaturity, String device, String session, String ip, String ipNet, String country, String content,
    Boolean vpn, Double adDurationSec, Boolean adPersonalized, JsonObject consent, Boolean pinVerified,
    Boolean captions, String thirdParty, Boolean personalIds) {

  public Instant occurredAt() {
    return Instant.ofEpochMilli(time);
  }

  /** The network prefix: {@code ipNet}, or (encryption off) the IPv4 /24 or IPv6 /48 of the clear {@code ip}. */
  public String network() {
    return ipNet != null ? ipNet : NetworkPrefix.of(ip);
  }

  public boolean is(Boolean flag) {
    return Boolean.TRUE.equals(flag);
  }

  /**
   * The event's fields, or null when it lacks a known type, an id or a parseable occurredAt, or
   * a field has the wrong type.
   */
  public static RuleEvent from(JsonObject json) {
    try {
      return parse(json);
    } catch (ClassCastException | DateTimeParseException e) {
      return null;
    }
  }

  private static RuleEvent parse(JsonObject json) {
    EventType type = EventType.fromWire(json.getString("type"));
    String eventId = json.getString("eventId");
    String occurredAt = json.getString("occurredAt");
    if (type == null || eventId == null || occurredAt == null) {
      return null;
    }
    long time = EventTime.parseMillis(occurredAt);
    Object duration = json.getValue("adDurationSec");
    return new RuleEvent(type, eventId, time, json.getString("accountId"), json.getString("profileId"),
        Maturity.parse(json.getString("profileMaturity")), json.getString("deviceId"), json.getString("sessionId"),
        json.getString("ip"), json.getString("ipNet"), json.getString("country"), json.getString("contentId"),
        json.getBoolean("vpn"),
        duration instanceof Number n ? n.doubleValue() : null, json.getBoolean("adPersonalized"),
        json.getJsonObject("consent"), json.getBoolean("pinVerified"), json.getBoolean("captions"),
        json.getString("thirdParty"), json.getBoolean("personalIds"));
  }
}
