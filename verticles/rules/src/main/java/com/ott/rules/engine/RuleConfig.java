package com.ott.rules.engine;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** The effective settings of one rule for one tenant (defaults merged with the tenant's overrides). */
public final class RuleConfig {
  private final String ruleId;
  private final JsonObject values;
  private final boolean enabled;
  private final Severity severity;
  private final long alertWindowSeconds;

  RuleConfig(String ruleId, JsonObject values) {
    this.ruleId = ruleId;
    this.values = values;
    this.enabled = values.getBoolean("enabled", true);
    this.severity = Severity.valueOf(values.getString("severity", "MEDIUM"));
    this.alertWindowSeconds = values.getLong("alertWindowSeconds", 86400L);
  }

  public String ruleId() {
    return ruleId;
  }

  public boolean enabled() {
    return enabled;
  }

  public Severity severity() {
    return severity;
  }

  public long alertWindowSeconds() {
    return alertWindowSeconds;
  }

  public int integer(String name) {
    return values.getInteger(name);
  }

  public double number(String name) {
    return values.getNumber(name).doubleValue();
  }

  public boolean flag(String name) {
    return values.getBoolean(name);
  }

  public Severity severity(String name) {
    return Severity.valueOf(values.getString(name));
  }

  public List<Integer> integers(String name) {
    JsonArray array = values.getJsonArray(name);
    List<Integer> out = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      out.add(array.getInteger(i));
    }
    return out;
  }

  public JsonObject object(String name) {
    JsonObject o = values.getJsonObject(name);
    return o == null ? new JsonObject() : o;
  }

  public JsonObject toJson() {
    return values.copy();
  }
}
