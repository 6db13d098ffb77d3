package com.ott.encryption;

import com.ott.contract.EventFields;
import com.ott.contract.Failures;
import com.ott.contract.TenancyAddresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The fields each tenant marks personal (the default ones plus those tenancy holds for it), remembered for a
 * while and forgotten as soon as tenancy publishes that the tenant changed. When tenancy cannot answer the batch
 * fails (503, the client retries): a field the tenant marked personal is never stored in clear for want of a
 * lookup. A tenant tenancy does not know has the default fields only.
 */
final class TenantPersonalFields {
  private static final long LOOKUP_TIMEOUT_MS = 5_000;

  private final Vertx vertx;
  private final long ttlMillis;
  private final Map<String, Entry> cache = new ConcurrentHashMap<>();

  private record Entry(Future<List<String>> fields, long loadedAtMillis) {}

  TenantPersonalFields(Vertx vertx, long ttlMillis) {
    this.vertx = vertx;
    this.ttlMillis = ttlMillis;
  }

  /** The tenant's personal fields, in the order they are protected. */
  Future<List<String>> of(String tenantId) {
    long now = System.currentTimeMillis();
    Entry cached = cache.get(tenantId);
    if (cached != null && now - cached.loadedAtMillis() < ttlMillis) {
      return cached.fields();
    }
    Future<List<String>> fields = vertx.eventBus()
        .<JsonObject>request(TenancyAddresses.PERSONAL_FIELDS, new JsonObject().put("tenantId", tenantId),
            new DeliveryOptions().setSendTimeout(LOOKUP_TIMEOUT_MS))
        .map(reply -> {
          Object named = reply.body().getValue("personalFields");
          return EventFields.personalFields(named instanceof JsonArray a ? a.getList() : null);
        })
        .recover(err -> {
          if (err instanceof ReplyException r && r.failureCode() == Failures.NOT_FOUND) {
            return Future.succeededFuture(EventFields.personalFields(null));
          }
          return Future.failedFuture(Failures.reject(Failures.UNAVAILABLE, "the fields tenant " + tenantId
              + " marks personal could not be read (" + err.getMessage() + "); nothing was stored, retry later"));
        });
    Entry entry = new Entry(fields, now);
    cache.put(tenantId, entry);
    fields.onFailure(err -> cache.remove(tenantId, entry));
    return fields;
  }

  /** Tenancy said the tenant changed: the next batch asks again. */
  void forget(String tenantId) {
    cache.remove(tenantId);
  }
}
