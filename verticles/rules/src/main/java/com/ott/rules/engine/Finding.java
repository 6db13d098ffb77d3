package com.ott.rules.engine;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * A rule violation found in one event. The store turns findings into alerts: findings
 * with the same {@code dedupKey} (rule + subject + window) update one alert.
 *
 * @param windowStart start of the alert window the finding falls in (event time), or null
 *     when the window is the subject itself (a playback session)
 * @param evidence rule-specific values (counts, thresholds, countries); never clear personal data
 * @param explanation a sentence for humans, without personal data
 */
public record Finding(String tenantId, String ruleId, Severity severity, Subject subject, String eventId,
    Instant occurredAt, String dedupKey, Instant windowStart, JsonObject evidence, String explanation) {

  /** The dedup key of a rule, subject and window: {@code ruleId|subject|window}. */
  public static String dedupKey(String ruleId, Subject subject, Instant windowStart) {
    return ruleId + "|" + subject.key() + "|" + (windowStart == null ? "session" : windowStart.toString());
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("tenantId", tenantId)
        .put("ruleId", ruleId)
        .put("severity", severity.name())
        .put("subject", subject.toJson())
        .put("eventId", eventId)
        .put("occurredAt", occurredAt.toString())
        .put("dedupKey", dedupKey);
    if (windowStart != null) {
      json.put("windowStart", windowStart.toString());
    }
    return json.put("evidence", evidence).put("explanation", explanation);
  }
}
