package com.ott.rules.engine;

import com.ott.rules.reference.ReferenceSnapshot;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/** What a rule sees besides the event: tenant, settings, reference data and the batch's working state. */
public final class RuleContext {
  private final String tenantId;
  private final RuleSettings settings;
  private final ReferenceSnapshot reference;
  private WorkingState state;

  public RuleContext(String tenantId, RuleSettings settings, ReferenceSnapshot reference, WorkingState state) {
    this.tenantId = tenantId;
    this.settings = settings;
    this.reference = reference;
    this.state = state;
  }

  public String tenantId() {
    return tenantId;
  }

  public RuleSettings settings() {
    return settings;
  }

  public RuleConfig config(String ruleId) {
    return settings.rule(ruleId);
  }

  public ReferenceSnapshot reference() {
    return reference;
  }

  public WorkingState state() {
    return state;
  }

  void state(WorkingState state) {
    this.state = state;
  }

  /** The alert window of a rule holding that event time. */
  public Instant window(String ruleId, long epochMillis) {
    return Windows.bucket(epochMillis, config(ruleId).alertWindowSeconds());
  }

  public Finding finding(String ruleId, Severity severity, Subject subject, String eventId, long epochMillis,
      Instant windowStart, JsonObject evidence, String explanation) {
    return new Finding(tenantId, ruleId, severity, subject, eventId, Instant.ofEpochMilli(epochMillis),
        Finding.dedupKey(ruleId, subject, windowStart), windowStart, evidence, explanation);
  }
}
