package com.ott.rules.testing;

import com.ott.rules.engine.Finding;
import com.ott.rules.engine.InMemoryRuleState;
import com.ott.rules.engine.RuleEngine;
import com.ott.rules.engine.RuleSettings;
import com.ott.rules.engine.Severity;
import com.ott.rules.reference.InMemoryReferenceData;
import com.ott.rules.reference.ReferenceBodies;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The engine on in-memory reference data and state, for rule scenarios: feed events in an
 * arrival order, one batch each or together, and read the findings of one rule.
 */
public final class RuleHarness {
  public static final String TENANT = "tenant-test";

  public final InMemoryReferenceData reference = new InMemoryReferenceData();
  public final InMemoryRuleState state = new InMemoryRuleState();
  public final RuleEngine engine = new RuleEngine(reference, state, RuleSettings.defaults());
  private final List<Finding> findings = new ArrayList<>();

  public RuleHarness titles(JsonObject... entries) {
    ReferenceBodies.Parsed<com.ott.rules.reference.Title> parsed = ReferenceBodies.titles(new JsonArray(List.of(entries)));
    if (!parsed.valid()) {
      throw new IllegalArgumentException(parsed.errors().encode());
    }
    await(reference.upsertTitles(TENANT, parsed.entries()));
    return this;
  }

  public RuleHarness accounts(JsonObject... entries) {
    ReferenceBodies.Parsed<com.ott.rules.reference.Account> parsed =
        ReferenceBodies.accounts(new JsonArray(List.of(entries)));
    if (!parsed.valid()) {
      throw new IllegalArgumentException(parsed.errors().encode());
    }
    await(reference.upsertAccounts(TENANT, parsed.entries()));
    return this;
  }

  public RuleHarness overrides(JsonObject overrides) {
    List<String> errors = RuleSettings.validate(overrides);
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException(errors.toString());
    }
    await(reference.putRuleOverrides(TENANT, overrides));
    return this;
  }

  /** Evaluates the events as one batch; returns (and keeps) the findings. */
  public List<Finding> batch(JsonObject... events) {
    List<Finding> f = await(engine.evaluate(TENANT, List.of(events)));
    findings.addAll(f);
    return f;
  }

  /** Evaluates each event as its own batch, in the order given (the arrival order). */
  public List<Finding> arrive(List<JsonObject> events) {
    List<Finding> all = new ArrayList<>();
    for (JsonObject e : events) {
      all.addAll(batch(e));
    }
    return all;
  }

  public List<Finding> arrive(JsonObject... events) {
    return arrive(List.of(events));
  }

  /** Lets every pending decision be taken (as if a long time passed). */
  public List<Finding> flush() {
    List<Finding> f = await(engine.advanceWatermark(TENANT, Instant.parse("2100-01-01T00:00:00Z")));
    findings.addAll(f);
    return f;
  }

  /** Every finding so far of that rule. */
  public List<Finding> of(String ruleId) {
    return findings.stream().filter(f -> f.ruleId().equals(ruleId)).toList();
  }

  /** The alerts so far of that rule: dedup key to highest severity. */
  public Map<String, Severity> alerts(String ruleId) {
    Map<String, Severity> out = new TreeMap<>();
    of(ruleId).forEach(f -> out.merge(f.dedupKey(), f.severity(), Severity::max));
    return out;
  }

  public static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(30, java.util.concurrent.TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public static JsonObject title(String contentId, String rating, Object territories) {
    return new JsonObject().put("contentId", contentId).put("title", "Title " + contentId).put("rating", rating)
        .put("territories", territories);
  }

  public static JsonObject account(String accountId, String residence) {
    return new JsonObject().put("accountId", accountId).put("residence", residence);
  }
}
