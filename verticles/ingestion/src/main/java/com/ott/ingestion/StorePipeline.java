package com.ott.ingestion;

import com.ott.contract.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Sends accepted events on to be stored and answers once they are durable. */
public final class StorePipeline {
  private final Vertx vertx;
  private final DeliveryOptions options;

  public StorePipeline(Vertx vertx, long timeoutMs) {
    this.vertx = vertx;
    this.options = new DeliveryOptions().setSendTimeout(timeoutMs);
  }

  /** {@code {stored, duplicates, storedIds}} once the events are committed. */
  public Future<JsonObject> persist(String tenantId, String source, JsonArray events) {
    if (events.isEmpty()) {
      return Future.succeededFuture(new JsonObject().put("stored", 0).put("duplicates", 0).put("storedIds", new JsonArray()));
    }
    JsonObject message = new JsonObject().put("tenantId", tenantId).put("source", source).put("events", events);
    return vertx.eventBus().<JsonObject>request(Addresses.STORE_EVENTS, message, options).map(m -> m.body());
  }
}
