package com.ott.gateway.ratelimit;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Answers of tenancy per tenant, kept {@code ttlMs}. Concurrent misses of one tenant share one lookup, and an
 * expired answer is still used when a fresh lookup fails (tenancy briefly unavailable).
 */
final class TenantCache {
  private static final int MAX_TENANTS = 50_000;

  private record Entry(JsonObject value, long fetchedAt) {}

  private final long ttlMs;
  private final Function<String, Future<JsonObject>> loader;
  private final Map<String, Entry> entries = new ConcurrentHashMap<>();
  private final Map<String, Future<JsonObject>> loading = new ConcurrentHashMap<>();

  TenantCache(long ttlMs, Function<String, Future<JsonObject>> loader) {
    this.ttlMs = ttlMs;
    this.loader = loader;
  }

  Future<JsonObject> get(String tenantId) {
    Entry e = entries.get(tenantId);
    long now = System.currentTimeMillis();
    if (e != null && now - e.fetchedAt() < ttlMs) {
      return Future.succeededFuture(e.value());
    }
    Future<JsonObject> pending = loading.get(tenantId);
    if (pending != null) {
      return pending;
    }
    Future<JsonObject> lookup = loader.apply(tenantId)
        .map(value -> {
          if (entries.size() >= MAX_TENANTS) {
            entries.clear();
          }
          entries.put(tenantId, new Entry(value, System.currentTimeMillis()));
          return value;
        })
        .recover(err -> {
          Entry stale = entries.get(tenantId);
          return stale != null ? Future.succeededFuture(stale.value()) : Future.failedFuture(err);
        });
    loading.put(tenantId, lookup);
    lookup.onComplete(ar -> loading.remove(tenantId, lookup));
    return lookup;
  }

  void invalidate(String tenantId) {
    entries.remove(tenantId);
  }
}
