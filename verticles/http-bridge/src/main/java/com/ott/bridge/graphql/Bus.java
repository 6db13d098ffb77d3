package com.ott.bridge.graphql;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.CompletableFuture;

/** Requests to the verticles behind the API; failures keep their {@link com.ott.contract.Failures} codes. */
final class Bus {
  private final Vertx vertx;
  private final DeliveryOptions delivery;

  Bus(Vertx vertx, long timeoutMs) {
    this.vertx = vertx;
    this.delivery = new DeliveryOptions().setSendTimeout(timeoutMs);
  }

  <T> CompletableFuture<T> request(String address, Object body) {
    return vertx.eventBus().<T>request(address, body, delivery).map(m -> m.body()).toCompletionStage().toCompletableFuture();
  }

  <T> CompletableFuture<T> request(String address, Object body, DeliveryOptions options) {
    return vertx.eventBus().<T>request(address, body, new DeliveryOptions(options).setSendTimeout(delivery.getSendTimeout()))
        .map(m -> m.body()).toCompletionStage().toCompletableFuture();
  }
}
