package com.ott.rules;

import com.ott.contract.AlertAddresses;
import com.ott.contract.EncryptionAddresses;
import com.ott.contract.Failures;
import com.ott.contract.RulesAddresses;
import com.ott.contract.ScoringAddresses;
import com.ott.contract.SharedJson;
import com.ott.rules.engine.Finding;
import com.ott.rules.engine.InvalidSettingsException;
import com.ott.rules.engine.RedisRuleState;
import com.ott.rules.engine.RuleEngine;
import com.ott.rules.engine.RuleSettings;
import com.ott.rules.reference.Account;
import com.ott.rules.reference.RedisReferenceData;
import com.ott.rules.reference.ReferenceBodies;
import com.ott.runtime.OttConfig;
import com.ott.runtime.ProcessRuntime;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.RedisOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The compliance rule engine on the bus: evaluates newly stored events with
 * Redis-backed state, raises findings as alerts, keeps each tenant's reference
 * data and rule settings, and periodically advances the event-time watermark so
 * rules that wait for late events decide for accounts that went quiet.
 */
public class RulesVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(RulesVerticle.class);

  private Redis redis;
  private RuleEngine engine;
  private RuleSettings defaults;
  private boolean tokenizeAccounts;
  private long watermarkTimer = -1;
  private final Map<String, Long> activeTenants = new ConcurrentHashMap<>();

  @Override
  public Future<?> start() throws Exception {
    String url = OttConfig.section(config(), "redis").getString("url", "");
    if (url.isBlank()) {
      return Future.failedFuture("Redis is not configured: set redis.url (OTT_REDIS_URL); the rules keep their state there");
    }
    Path rulesFile = Path.of("conf", "rules.yaml");
    defaults = Files.isReadable(rulesFile) ? RuleSettings.load(rulesFile) : RuleSettings.defaults();
    tokenizeAccounts = OttConfig.section(config(), "encryption").getBoolean("enabled", true);
    redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(url).setMaxPoolSize(16).setMaxWaitingHandlers(4096));
    engine = new RuleEngine(new RedisReferenceData(redis), new RedisRuleState(redis), defaults);
    ProcessRuntime.of(vertx).readiness().register("redis", () -> RedisAPI.api(redis).ping(List.of()));
    registerMetrics(ProcessRuntime.of(vertx).meters());

    handle(RulesAddresses.EVALUATE, this::evaluate);
    handle(RulesAddresses.PUT_CATALOG, this::putCatalog);
    handle(RulesAddresses.PUT_ACCOUNTS, this::putAccounts);
    handle(RulesAddresses.GET_SETTINGS, this::getSettings);
    handle(RulesAddresses.PUT_SETTINGS, this::putSettings);
    long everyMs = OttConfig.section(config(), "rules").getLong("watermarkEveryMs", 15_000L);
    watermarkTimer = vertx.setPeriodic(everyMs, t -> advanceWatermarks());
    return Future.succeededFuture();
  }

  private Future<JsonObject> evaluate(JsonObject body) {
    String tenantId = required(body, "tenantId");
    JsonArray events = body.getJsonArray("events", new JsonArray());
    List<JsonObject> list = new ArrayList<>(events.size());
    for (int i = 0; i < events.size(); i++) {
      list.add(events.getJsonObject(i));
    }
    activeTenants.put(tenantId, System.currentTimeMillis());
    return engine.evaluate(tenantId, list).compose(findings -> raise(tenantId, findings)
        .map(x -> new JsonObject().put("evaluated", list.size()).put("findings", findings.size())));
  }

  /** Findings become alerts; the alert store de-duplicates them on their dedupKey. */
  private Future<Void> raise(String tenantId, List<Finding> findings) {
    if (findings.isEmpty()) {
      return Future.succeededFuture();
    }
    JsonArray json = new JsonArray();
    JsonArray points = new JsonArray();
    findings.forEach(f -> {
      json.add(f.toJson());
      points.add(new JsonObject().put("ruleId", f.ruleId()).put("occurredAt", String.valueOf(f.occurredAt())));
    });
    // violations per rule are series the anomaly scorer watches
    vertx.eventBus().publish(ScoringAddresses.OBSERVE_BATCH, new JsonObject().put("tenantId", tenantId).put("findings", points));
    return vertx.eventBus().request(AlertAddresses.RAISE, new JsonObject().put("tenantId", tenantId).put("findings", json),
            SharedJson.options(vertx, 30_000))
        .mapEmpty();
  }

  private void advanceWatermarks() {
    long now = System.currentTimeMillis();
    activeTenants.entrySet().removeIf(e -> now - e.getValue() > 3_600_000L);
    for (String tenantId : activeTenants.keySet()) {
      // a minute of grace for batches still on their way
      engine.advanceWatermark(tenantId, Instant.ofEpochMilli(now - 60_000))
          .compose(findings -> raise(tenantId, findings))
          .onFailure(err -> LOG.warn("advancing the watermark of tenant {} failed: {}", tenantId, err.getMessage()));
    }
  }

  private Future<JsonObject> putCatalog(JsonObject body) {
    String tenantId = required(body, "tenantId");
    ReferenceBodies.Parsed<com.ott.rules.reference.Title> parsed = ReferenceBodies.titles(entries(body));
    if (!parsed.valid()) {
      return Future.failedFuture(invalid(parsed.errors()));
    }
    return engine.referenceData().upsertTitles(tenantId, parsed.entries()).map(n -> new JsonObject().put("upserted", n));
  }

  /** Accounts are keyed by the token the rules see, so clear account ids are tokenised first. */
  private Future<JsonObject> putAccounts(JsonObject body) {
    String tenantId = required(body, "tenantId");
    ReferenceBodies.Parsed<Account> parsed = ReferenceBodies.accounts(entries(body));
    if (!parsed.valid()) {
      return Future.failedFuture(invalid(parsed.errors()));
    }
    Future<List<Account>> keyed = tokenizeAccounts ? tokenized(tenantId, parsed.entries()) : Future.succeededFuture(parsed.entries());
    return keyed.compose(accounts -> engine.referenceData().upsertAccounts(tenantId, accounts))
        .map(n -> new JsonObject().put("upserted", n));
  }

  private Future<List<Account>> tokenized(String tenantId, List<Account> accounts) {
    JsonArray ids = new JsonArray();
    accounts.forEach(a -> ids.add(a.accountId()));
    return vertx.eventBus().<JsonObject>request(EncryptionAddresses.TOKENIZE,
            new JsonObject().put("tenantId", tenantId).put("field", "accountId").put("values", ids))
        .map(reply -> {
          JsonArray tokens = reply.body().getJsonArray("tokens");
          List<Account> out = new ArrayList<>(accounts.size());
          for (int i = 0; i < accounts.size(); i++) {
            Account a = accounts.get(i);
            out.add(new Account(tokens.getString(i), a.plan(), a.maxStreams(), a.residence(), a.profiles()));
          }
          return out;
        });
  }

  private Future<JsonObject> getSettings(JsonObject body) {
    String tenantId = required(body, "tenantId");
    return engine.referenceData().ruleOverrides(tenantId).compose(overrides -> engine.settings(tenantId)
        .map(effective -> new JsonObject().put("overrides", overrides == null ? new JsonObject() : overrides)
            .put("effective", effective.toJson())));
  }

  private Future<JsonObject> putSettings(JsonObject body) {
    String tenantId = required(body, "tenantId");
    Object raw = body.getValue("overrides");
    if (!(raw instanceof JsonObject overrides)) {
      return Future.failedFuture(Failures.reject(Failures.BAD_REQUEST, "the body must be a JSON object of rule settings"));
    }
    List<String> errors = RuleSettings.validate(overrides);
    if (!errors.isEmpty()) {
      return Future.failedFuture(invalid(new JsonArray(errors)));
    }
    try {
      defaults.withOverrides(overrides);
    } catch (InvalidSettingsException e) {
      return Future.failedFuture(Failures.reject(Failures.BAD_REQUEST, e.getMessage()));
    }
    return engine.referenceData().putRuleOverrides(tenantId, overrides).compose(x -> getSettings(body));
  }

  private static JsonArray entries(JsonObject body) {
    Object raw = body.getValue("entries");
    if (!(raw instanceof JsonArray array)) {
      throw Failures.reject(Failures.BAD_REQUEST, "the body must be a JSON array of entries");
    }
    return array;
  }

  /** A 400 whose message is the JSON list of errors, so the gateway can put it in the problem document. */
  private static Failures.Rejection invalid(JsonArray errors) {
    return Failures.reject(Failures.BAD_REQUEST, new JsonObject().put("invalid", errors).encode());
  }

  private static String required(JsonObject body, String field) {
    Object v = body.getValue(field);
    if (!(v instanceof String s) || s.isBlank()) {
      throw Failures.reject(Failures.BAD_REQUEST, field + ": required");
    }
    return s;
  }

  private void handle(String address, Function<JsonObject, Future<JsonObject>> action) {
    vertx.eventBus().<JsonObject>consumer(address, (Message<JsonObject> msg) -> {
      Future<JsonObject> result;
      try {
        result = action.apply(msg.body() == null ? new JsonObject() : msg.body());
      } catch (Failures.Rejection r) {
        result = Future.failedFuture(r);
      }
      result.onSuccess(msg::reply).onFailure(err -> Failures.replyFailure(msg, err));
    });
  }

  private void registerMetrics(MeterRegistry meters) {
    FunctionCounter.builder("ott_rules_events_evaluated", engine, e -> e.counters().events()).register(meters);
    FunctionCounter.builder("ott_rules_events_late", engine, e -> e.counters().lateEvents())
        .description("events later than the allowed lateness").register(meters);
    for (var rule : RuleEngine.allRules()) {
      FunctionCounter.builder("ott_rules_findings", engine, e -> e.counters().findings(rule.id()))
          .tag("rule", rule.id()).register(meters);
    }
  }

  @Override
  public Future<?> stop() {
    if (watermarkTimer >= 0) {
      vertx.cancelTimer(watermarkTimer);
    }
    if (redis != null) {
      redis.close();
    }
    return Future.succeededFuture();
  }
}
