package com.ott.bridge;

import com.ott.bridge.eventbus.EventBusBridge;
import com.ott.bridge.graphql.GraphQLApi;
import com.ott.runtime.OttConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** The bridge's configuration: {@code http.bridge} (listener) and {@code bridge} (behaviour), with their defaults. */
record BridgeSettings(
    JsonObject listener,
    int port,
    String host,
    long keyCacheMs,
    long requestTimeoutMs,
    long heartbeatMs,
    long sessionTimeoutMs,
    List<String> allowedOrigins,
    int replayEntries,
    long replayAgeMs,
    EventBusBridge.Settings eventBus,
    GraphQLApi.Settings graphql) {

  static BridgeSettings of(JsonObject config) {
    JsonObject http = OttConfig.section(config, "http.bridge");
    JsonObject bridge = OttConfig.section(config, "bridge");
    JsonObject replay = OttConfig.section(bridge, "replay");
    JsonObject gql = OttConfig.section(bridge, "graphql");
    long requestTimeoutMs = bridge.getLong("requestTimeoutMs", 15_000L);
    int maxQueuedFrames = bridge.getInteger("maxQueuedFrames", 1000);
    long maxQueuedBytes = bridge.getLong("maxQueuedBytes", 1_048_576L);
    return new BridgeSettings(
        http,
        http.getInteger("port", 8081),
        http.getString("host", "0.0.0.0"),
        OttConfig.section(config, "auth").getLong("keyCacheSeconds", 30L) * 1000,
        requestTimeoutMs,
        bridge.getLong("heartbeatMs", 25_000L),
        bridge.getLong("sessionTimeoutMs", 10_000L),
        origins(bridge.getValue("allowedOrigins")),
        replay.getInteger("maxEntries", 10_000),
        replay.getLong("maxAgeSeconds", 120L) * 1000,
        new EventBusBridge.Settings(bridge.getLong("pingTimeoutMs", 30_000L), maxQueuedFrames, maxQueuedBytes,
            bridge.getInteger("maxRegistrationsPerSocket", 8)),
        new GraphQLApi.Settings(gql.getInteger("maxDepth", 10), gql.getInteger("maxComplexity", 2000),
            gql.getInteger("maxFirst", 100), gql.getInteger("maxBatch", 100), maxQueuedFrames, maxQueuedBytes,
            requestTimeoutMs, OttConfig.section(config, "ingest").getLong("maxBatchBytes", 10_485_760L),
            gql.getBoolean("graphiql", false)));
  }

  private static List<String> origins(Object value) {
    List<String> out = new ArrayList<>();
    if (value instanceof JsonArray a) {
      a.forEach(v -> out.add(String.valueOf(v)));
    } else if (value instanceof String s) {
      for (String part : s.split(",")) {
        out.add(part);
      }
    }
    return out;
  }
}
