package com.ott.bridge.graphql;

import graphql.ExecutionResult;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

/**
 * graphql-transport-ws {@code next} messages written by the bridge itself for shared subscriptions: the result of an
 * event encoded once ({@link #payload}), each subscriber's message only that payload behind its own prefix. The text
 * is what vertx-web-graphql's handler writes for a result.
 */
final class NextMessages {
  private NextMessages() {}

  /** The start of every {@code next} message of the subscription {@code id}, up to its payload. */
  static String prefix(String id) {
    return "{\"id\":" + Json.encode(id) + ",\"type\":\"next\",\"payload\":";
  }

  /** An event's result as the payload of a {@code next} message. */
  static String payload(ExecutionResult result) {
    return new JsonObject(result.toSpecification()).encode();
  }

  static String message(String prefix, String payload) {
    return prefix + payload + "}";
  }
}
