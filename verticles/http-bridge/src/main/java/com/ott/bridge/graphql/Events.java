package com.ott.bridge.graphql;

import com.ott.bridge.graphql.ErrorCodes.ApiException;
import com.ott.contract.Addresses;
import graphql.schema.DataFetchingEnvironment;
import graphql.schema.idl.RuntimeWiring;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Events: {@code Query.event} (stored metadata only; personal fields are protected and need an audited unprotect,
 * which this API does not offer) and the {@code ingestEvents} mutation, which hands the batch to ingestion exactly
 * as {@code POST /api/v2/events} does, so validation and the result are the REST ones.
 */
final class Events {
  private final Bus bus;
  private final long maxBatchBytes;

  Events(Bus bus, long maxBatchBytes) {
    this.bus = bus;
    this.maxBatchBytes = maxBatchBytes;
  }

  void wire(RuntimeWiring.Builder wiring) {
    wiring.type("Query", t -> t.dataFetcher("event", env -> Loaders.<String>of(env, Loaders.EVENT).load((String) env.getArgument("id"))));
    wiring.type("Mutation", t -> t.dataFetcher("ingestEvents", this::ingest));
    wiring.type("Event", t -> t
        .dataFetcher("id", env -> Alerts.json(env).getString("eventId"))
        .dataFetcher("contentId", env -> payload(env).getValue("contentId"))
        .dataFetcher("country", env -> payload(env).getValue("country")));
  }

  private CompletableFuture<JsonObject> ingest(DataFetchingEnvironment env) {
    List<Object> events = env.getArgument("events");
    Buffer body = new JsonArray(Scalars.toJsonList(events)).toBuffer();
    if (body.length() > maxBatchBytes) {
      throw new ApiException(ApiError.PAYLOAD_TOO_LARGE, "a batch is at most " + maxBatchBytes + " bytes");
    }
    DeliveryOptions options = new DeliveryOptions()
        .addHeader("tenant-id", Caller.of(env).tenantId())
        .addHeader("content-type", "application/json");
    return bus.request(Addresses.INGEST_HTTP_BATCH, body, options);
  }

  private static JsonObject payload(DataFetchingEnvironment env) {
    Object p = Alerts.json(env).getValue("payload");
    if (p instanceof JsonObject j) {
      return j;
    }
    if (p instanceof java.util.Map<?, ?> m) {
      @SuppressWarnings("unchecked")
      java.util.Map<String, Object> map = (java.util.Map<String, Object>) m;
      return new JsonObject(map);
    }
    return new JsonObject();
  }
}
