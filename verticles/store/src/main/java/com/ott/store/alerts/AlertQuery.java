package com.ott.store.alerts;

import com.ott.contract.Failures;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A page of a tenant's alerts, newest first: optional filters on one status, severity
 * and rule, firstSeenAt in [from, to), at most {@code limit} items after {@code cursor}.
 */
public record AlertQuery(AlertStatus status, Severity severity, String ruleId, Instant from, Instant to,
                         int limit, AlertCursor cursor) {
  public static final int DEFAULT_LIMIT = 50;
  public static final int MAX_LIMIT = 500;

  public static AlertQuery all(int limit) {
    return new AlertQuery(null, null, null, null, null, limit, null);
  }

  public AlertQuery after(AlertCursor next) {
    return new AlertQuery(status, severity, ruleId, from, to, limit, next);
  }

  /** Reads the bus request; a bad field is a 400 whose message starts with the field name. */
  public static AlertQuery fromJson(JsonObject body) {
    List<String> errors = new ArrayList<>();
    AlertStatus status = null;
    Object s = body.getValue("status");
    if (s != null) {
      status = s instanceof String text ? AlertStatus.parse(text) : null;
      if (status == null) {
        errors.add("status: one of OPEN, ACKNOWLEDGED, RESOLVED");
      }
    }
    Severity severity = null;
    Object sev = body.getValue("severity");
    if (sev != null) {
      severity = sev instanceof String text ? Severity.parse(text) : null;
      if (severity == null) {
        errors.add("severity: one of LOW, MEDIUM, HIGH");
      }
    }
    String ruleId = null;
    Object rule = body.getValue("ruleId");
    if (rule != null) {
      if (rule instanceof String text && Finding.RULE_ID.matcher(text).matches()) {
        ruleId = text;
      } else {
        errors.add("ruleId: a rule id (letters, digits, '.', '_', ':' or '-', at most 128)");
      }
    }
    Instant from = time(body, "from", errors);
    Instant to = time(body, "to", errors);
    if (from != null && to != null && !to.isAfter(from)) {
      errors.add("to: must be after from");
    }
    int limit = DEFAULT_LIMIT;
    Object l = body.getValue("limit");
    if (l != null) {
      if (l instanceof Integer || l instanceof Long) {
        long n = ((Number) l).longValue();
        limit = n >= 1 && n <= MAX_LIMIT ? (int) n : -1;
      } else {
        limit = -1;
      }
      if (limit < 0) {
        errors.add("limit: an integer from 1 to " + MAX_LIMIT);
      }
    }
    AlertCursor cursor = null;
    Object c = body.getValue("cursor");
    if (c != null) {
      try {
        cursor = AlertCursor.decode(c instanceof String text ? text : null);
      } catch (Failures.Rejection r) {
        errors.add(r.getMessage());
      }
    }
    if (!errors.isEmpty()) {
      throw Failures.reject(Failures.BAD_REQUEST, String.join("; ", errors));
    }
    return new AlertQuery(status, severity, ruleId, from, to, limit, cursor);
  }

  private static Instant time(JsonObject body, String field, List<String> errors) {
    Object v = body.getValue(field);
    if (v == null) {
      return null;
    }
    Instant t = v instanceof String text ? Times.parse(text) : null;
    if (t == null) {
      errors.add(field + ": an RFC 3339 timestamp with offset, e.g. 2026-01-31T00:00:00Z");
    }
    return t;
  }
}
