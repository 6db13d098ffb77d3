package com.ott.ingestion;

import com.ott.contract.Addresses;
import com.ott.contract.EncryptionAddresses;
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
  private final boolean encrypt;

  public StorePipeline(Vertx vertx, long timeoutMs, boolean encrypt) {
    this.vertx = vertx;
    this.options = new DeliveryOptions().setSendTimeout(timeoutMs);
    this.encrypt = encrypt;
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
            new JsonObject().put("tenantId", tenantId).put("source", source).put("events", stored), options))
        .map(m -> m.body());
  }
}
