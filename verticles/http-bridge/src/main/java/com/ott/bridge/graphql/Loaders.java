package com.ott.bridge.graphql;

import com.ott.contract.Addresses;
import com.ott.contract.AlertAddresses;
import com.ott.contract.Failures;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.dataloader.BatchLoader;
import org.dataloader.DataLoader;
import org.dataloader.DataLoaderFactory;
import org.dataloader.DataLoaderOptions;
import org.dataloader.DataLoaderRegistry;

/**
 * The per-operation DataLoaders: fields of many parents (each alert's audit trail and evidence events, the
 * tenant) are collected while a level of the query resolves and loaded together, each distinct key once, instead
 * of one request per parent as it is met. The bus has no multi-id address for audits or events yet, so a batch of
 * k distinct keys is k concurrent requests dispatched at once (one round trip of latency), bounded by
 * {@code maxBatch} and by the query's complexity limit.
 */
final class Loaders {
  static final String AUDIT = "audit";
  static final String EVENT = "event";
  static final String TENANT = "tenant";

  /** An alert's audit trail, newest {@code last} entries. */
  record AuditKey(String alertId, int last) {}

  private Loaders() {}

  static DataLoaderRegistry registry(Bus bus, String tenantId, int maxBatch) {
    DataLoaderOptions options = DataLoaderOptions.newOptions().setMaxBatchSize(maxBatch).build();
    BatchLoader<AuditKey, JsonObject> audits = keys -> all(keys, k -> bus.<JsonObject>request(AlertAddresses.AUDIT,
        new JsonObject().put("tenantId", tenantId).put("alertId", k.alertId()).put("limit", k.last())));
    BatchLoader<String, JsonObject> events = keys -> all(keys, id -> bus.<JsonObject>request(Addresses.STORE_GET_EVENT,
        new JsonObject().put("tenantId", tenantId).put("eventId", id)).exceptionally(err -> notFoundAsNull(err)));
    BatchLoader<String, JsonObject> tenants = keys -> all(keys, id -> bus.<JsonObject>request(Addresses.TENANCY_GET_TENANT,
        new JsonObject().put("tenantId", id)));
    DataLoaderRegistry registry = new DataLoaderRegistry();
    registry.register(AUDIT, DataLoaderFactory.newDataLoader(audits, options));
    registry.register(EVENT, DataLoaderFactory.newDataLoader(events, options));
    registry.register(TENANT, DataLoaderFactory.newDataLoader(tenants, options));
    return registry;
  }

  static <K> DataLoader<K, JsonObject> of(graphql.schema.DataFetchingEnvironment env, String name) {
    return env.getDataLoader(name);
  }

  private static <K> CompletableFuture<List<JsonObject>> all(List<K> keys,
      java.util.function.Function<K, CompletableFuture<JsonObject>> load) {
    List<CompletableFuture<JsonObject>> futures = new ArrayList<>(keys.size());
    for (K key : keys) {
      futures.add(load.apply(key));
    }
    return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).thenApply(x -> {
      List<JsonObject> values = new ArrayList<>(futures.size());
      futures.forEach(f -> values.add(f.join()));
      return values;
    });
  }

  private static JsonObject notFoundAsNull(Throwable err) {
    Throwable cause = err instanceof java.util.concurrent.CompletionException && err.getCause() != null ? err.getCause() : err;
    if (Failures.statusOf(cause) == Failures.NOT_FOUND) {
      return null;
    }
    throw err instanceof RuntimeException r ? r : new java.util.concurrent.CompletionException(cause);
  }
}
