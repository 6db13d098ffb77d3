package com.ott.ingestion;

import com.ott.contract.Addresses;
import com.ott.contract.EncryptionAddresses;
import com.ott.contract.RulesAddresses;
import com.ott.contract.ScoringAddresses;
import com.ott.contract.SharedJson;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Sends accepted events on: through the encryption stage (personal fields become
 * tokens and ciphertext) when it is enabled, then to storage; answers once they
 * are durable. With encryption enabled nothing reaches storage in clear: if the
 * stage is unavailable the batch fails and the client retries.
 */
public final class StorePipeline {
  private final Vertx vertx;
  private final DeliveryOptions options;
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(StorePipeline.class);

  private final boolean encrypt;
  private final boolean rules;
  private final io.micrometer.core.instrument.Counter evaluationFailures;

  public StorePipeline(Vertx vertx, long timeoutMs, boolean encrypt, boolean rules) {
    this.vertx = vertx;
    this.options = SharedJson.options(vertx, timeoutMs);
    this.encrypt = encrypt;
    this.rules = rules;
    this.evaluationFailures = io.micrometer.core.instrument.Counter.builder("ott_rules_evaluation_failed")
        .description("batches of stored events the rules could not evaluate")
        .register(com.ott.runtime.ProcessRuntime.of(vertx).meters());
  }

  /** {@code {stored, duplicates, storedIds}} once the events are committed. */
  public Future<JsonObject> persist(String tenantId, String source, JsonArray events) {
    if (events.isEmpty()) {
      return Future.succeededFuture(new JsonObject().put("stored", 0).put("duplicates", 0).put("storedIds", new JsonArray()));
    }
    Future<JsonArray> protectedEvents = encrypt
        ? vertx.eventBus().<JsonObject>request(EncryptionAddresses.PROTECT,
                new JsonObject().put("tenantId", tenantId).put("events", events), options)
            .map(m -> m.body().getJsonArray("events"))
        : Future.succeededFuture(events);
    return protectedEvents.compose(stored -> vertx.eventBus().<JsonObject>request(Addresses.STORE_EVENTS,
            new JsonObject().put("tenantId", tenantId).put("source", source).put("events", stored), options)
        .map(m -> {
          evaluate(tenantId, stored, m.body().getJsonArray("storedIds"));
          return m.body();
        }));
  }

  /** Event counts per type feed the anomaly scorer's series (published: nobody waits for it). */
  private void observe(String tenantId, JsonArray fresh) {
    JsonArray points = new JsonArray();
    for (int i = 0; i < fresh.size(); i++) {
      JsonObject e = fresh.getJsonObject(i);
      points.add(new JsonObject().put("type", e.getString("type")).put("occurredAt", e.getString("occurredAt")));
    }
    vertx.eventBus().publish(ScoringAddresses.OBSERVE_BATCH, new JsonObject().put("tenantId", tenantId).put("events", points));
  }

  /**
   * Hands the newly stored events to the rules, after the client's answer is on
   * its way: replays store nothing new, so they raise no second alert.
   */
  private void evaluate(String tenantId, JsonArray stored, JsonArray storedIds) {
    if (!rules || storedIds == null || storedIds.isEmpty()) {
      return;
    }
    JsonArray fresh;
    if (storedIds.size() == stored.size()) {
      fresh = stored;
    } else {
      java.util.Set<Object> ids = new java.util.HashSet<>(storedIds.getList());
      fresh = new JsonArray();
      for (int i = 0; i < stored.size(); i++) {
        JsonObject e = stored.getJsonObject(i);
        if (ids.contains(e.getString("eventId"))) {
          fresh.add(e);
        }
      }
    }
    observe(tenantId, fresh);
    vertx.eventBus().request(RulesAddresses.EVALUATE, new JsonObject().put("tenantId", tenantId).put("events", fresh), options)
        .onFailure(err -> {
          evaluationFailures.increment();
          LOG.warn("rule evaluation of {} events of tenant {} failed: {}", fresh.size(), tenantId, err.getMessage());
        });
  }
}
