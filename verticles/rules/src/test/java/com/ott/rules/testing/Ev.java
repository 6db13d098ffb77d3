package com.ott.rules.testing;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/** Schema-v2 events for tests, as the rules receive them (already validated). */
public final class Ev {
  private static final AtomicLong IDS = new AtomicLong();

  private Ev() {}

  public static JsonObject event(String type, String at) {
    return new JsonObject().put("eventId", "e-" + IDS.incrementAndGet()).put("type", type)
        .put("occurredAt", Instant.parse(at).toString());
  }

  public static JsonObject start(String at, String account, String device, String session, String content,
      String country) {
    return event("playback.start", at).put("accountId", account).put("deviceId", device).put("sessionId", session)
        .put("contentId", content).put("country", country);
  }

  public static JsonObject heartbeat(String at, String account, String device, String session, String content) {
    return event("playback.heartbeat", at).put("accountId", account).put("deviceId", device)
        .put("sessionId", session).put("contentId", content);
  }

  public static JsonObject stop(String at, String account, String device, String session, String content) {
    return event("playback.stop", at).put("accountId", account).put("deviceId", device).put("sessionId", session)
        .put("contentId", content);
  }

  public static JsonObject ad(String at, String account, String content, double seconds, boolean personalized,
      boolean personalIds, String thirdParty) {
    return event("ad.impression", at).put("accountId", account).put("contentId", content)
        .put("adDurationSec", seconds).put("adPersonalized", personalized).put("personalIds", personalIds)
        .put("thirdParty", thirdParty);
  }

  public static JsonObject beacon(String at, String account, String thirdParty, boolean personalIds) {
    return event("tracking.beacon", at).put("accountId", account).put("thirdParty", thirdParty)
        .put("personalIds", personalIds);
  }

  public static JsonObject consent(String at, String account, JsonObject consent) {
    return event("consent.update", at).put("accountId", account).put("consent", consent);
  }

  /** The same event with another id (a different occurrence of the same kind). */
  public static JsonObject copy(JsonObject e) {
    return e.copy().put("eventId", "e-" + IDS.incrementAndGet());
  }
}
