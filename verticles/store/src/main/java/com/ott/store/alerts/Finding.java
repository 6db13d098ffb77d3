package com.ott.store.alerts;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One finding of the rules engine or the anomaly scorer (the JSON contract of
 * {@code ott.alerts.raise}), checked field by field before it may touch an alert.
 */
public record Finding(String ruleId, Severity severity, JsonObject subject, String eventId, Instant occurredAt,
                      String dedupKey, JsonObject values, String explanation, String traceId) {

  static final Pattern RULE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
  static final int MAX_DEDUP_KEY = 1024;
  static final int MAX_EVENT_ID = 128;
  static final int MAX_EXPLANATION = 4000;
  static final int MAX_TRACE_ID = 128;
  static final int MAX_JSON_BYTES = 16 * 1024;

  /** A parsed finding, or the reasons it was refused. */
  public record Parsed(Finding finding, List<String> errors) {}

  /** Parses a finding of {@code tenantId}: a finding naming another tenant is refused, never re-homed. */
  public static Parsed parse(Object raw, String tenantId) {
    List<String> errors = new ArrayList<>();
    if (!(raw instanceof JsonObject json)) {
      return new Parsed(null, List.of("a finding must be a JSON object"));
    }
    Object tenant = json.getValue("tenantId");
    if (tenant != null && !tenantId.equals(tenant)) {
      errors.add("tenantId: differs from the batch's tenant");
    }
    String ruleId = string(json, "ruleId", errors, true, 128);
    if (ruleId != null && !RULE_ID.matcher(ruleId).matches()) {
      errors.add("ruleId: letters, digits, '.', '_', ':' or '-'");
    }
    Severity severity = null;
    Object sev = json.getValue("severity");
    if (sev instanceof String s) {
      severity = Severity.parse(s);
    }
    if (severity == null) {
      errors.add("severity: one of LOW, MEDIUM, HIGH");
    }
    JsonObject subject = object(json, "subject", errors);
    String eventId = string(json, "eventId", errors, false, MAX_EVENT_ID);
    Instant occurredAt = null;
    Object at = json.getValue("occurredAt");
    if (at instanceof String s) {
      occurredAt = Times.parse(s);
    }
    if (occurredAt == null) {
      errors.add("occurredAt: required, an RFC 3339 timestamp");
    }
    String dedupKey = string(json, "dedupKey", errors, true, MAX_DEDUP_KEY);
    JsonObject values = values(json, errors);
    String explanation = string(json, "explanation", errors, false, MAX_EXPLANATION);
    String traceId = string(json, "traceId", errors, false, MAX_TRACE_ID);
    if (!errors.isEmpty()) {
      return new Parsed(null, errors);
    }
    return new Parsed(new Finding(ruleId, severity, subject, eventId, occurredAt, dedupKey, values,
        explanation == null ? "" : explanation, traceId), List.of());
  }

  /** Evidence values: {@code evidence.values}, else {@code evidence} itself (the rules engine's shape), else {@code values}. */
  private static JsonObject values(JsonObject json, List<String> errors) {
    Object evidence = json.getValue("evidence");
    Object values;
    if (evidence instanceof JsonObject e) {
      values = e.containsKey("values") ? e.getValue("values") : e;
    } else if (evidence != null) {
      errors.add("evidence: must be an object");
      return null;
    } else {
      values = json.getValue("values");
    }
    if (values == null) {
      return new JsonObject();
    }
    if (!(values instanceof JsonObject v)) {
      errors.add("evidence.values: must be an object");
      return null;
    }
    return checkedJson(v, "evidence.values", errors);
  }

  private static JsonObject object(JsonObject json, String field, List<String> errors) {
    Object v = json.getValue(field);
    if (v == null) {
      return new JsonObject();
    }
    if (!(v instanceof JsonObject o)) {
      errors.add(field + ": must be an object");
      return null;
    }
    return checkedJson(o, field, errors);
  }

  private static JsonObject checkedJson(JsonObject o, String field, List<String> errors) {
    String encoded = o.encode();
    if (encoded.length() > MAX_JSON_BYTES) {
      errors.add(field + ": larger than " + MAX_JSON_BYTES + " bytes");
      return null;
    }
    // PostgreSQL jsonb cannot hold a NUL character
    if (encoded.contains("\\u0000")) {
      errors.add(field + ": must not contain NUL characters");
      return null;
    }
    return o;
  }

  private static String string(JsonObject json, String field, List<String> errors, boolean required, int max) {
    Object v = json.getValue(field);
    if (v == null) {
      if (required) {
        errors.add(field + ": required");
      }
      return null;
    }
    if (!(v instanceof String s) || (required && s.isBlank())) {
      errors.add(field + ": must be a non-empty string");
      return null;
    }
    if (s.length() > max) {
      errors.add(field + ": longer than " + max + " characters");
      return null;
    }
    if (s.indexOf('\u0000') >= 0) {
      // PostgreSQL text cannot hold NUL
      errors.add(field + ": must not contain NUL characters");
      return null;
    }
    return s;
  }
}
