package com.ott.bridge.auth;

import com.ott.contract.Addresses;
import com.ott.contract.ApiKeyHash;
import com.ott.contract.Failures;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolves an API key to the one tenant it names, through tenancy ({@link Addresses#TENANCY_RESOLVE_KEY}), as the
 * gateway does: only the key's hash leaves the bridge, answers are cached briefly and dropped when tenancy
 * publishes {@link Addresses#TENANCY_INVALIDATED}. Fails with a {@link Failures.Rejection} 401 for a missing,
 * unknown or revoked key and 503 when tenancy cannot answer.
 */
public final class TenantResolver {
  private static final int MAX_CACHED = 50_000;

  private record Cached(Principal principal, long expiresAt) {}

  private final Vertx vertx;
  private final long ttlMs;
  private final DeliveryOptions delivery;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();

  public TenantResolver(Vertx vertx, long ttlMs, long timeoutMs) {
    this.vertx = vertx;
    this.ttlMs = ttlMs;
    this.delivery = new DeliveryOptions().setSendTimeout(timeoutMs);
    vertx.eventBus().<JsonObject>consumer(Addresses.TENANCY_INVALIDATED, msg -> {
      String hash = msg.body().getString("keyHash");
      String tenant = msg.body().getString("tenantId");
      if (hash != null) {
        cache.remove(hash);
      }
      if (tenant != null) {
        cache.values().removeIf(c -> tenant.equals(c.principal().tenantId()));
      }
    });
  }

  public Future<Principal> resolve(String key) {
    if (key == null) {
      return Future.failedFuture(Failures.reject(Failures.UNAUTHORIZED,
          "send an API key in x-api-key or authorization: Bearer"));
    }
    if (key.length() > Credentials.MAX_LENGTH) {
      return Future.failedFuture(Failures.reject(Failures.UNAUTHORIZED, "unknown or revoked API key"));
    }
    String hash = ApiKeyHash.of(key);
    Cached cached = cache.get(hash);
    long now = System.currentTimeMillis();
    if (cached != null && cached.expiresAt() > now) {
      return Future.succeededFuture(cached.principal());
    }
    return vertx.eventBus().<JsonObject>request(Addresses.TENANCY_RESOLVE_KEY, new JsonObject().put("keyHash", hash), delivery)
        .transform(ar -> {
          if (ar.failed()) {
            int status = Failures.statusOf(ar.cause());
            return Future.failedFuture(status == Failures.UNAUTHORIZED
                ? Failures.reject(Failures.UNAUTHORIZED, "unknown or revoked API key")
                : Failures.reject(Failures.UNAVAILABLE, "cannot check credentials right now, retry later"));
          }
          JsonObject body = ar.result().body();
          Principal principal = new Principal(body.getString("tenantId"), body.getString("keyId"));
          if (cache.size() >= MAX_CACHED) {
            cache.clear();
          }
          cache.put(hash, new Cached(principal, System.currentTimeMillis() + ttlMs));
          return Future.succeededFuture(principal);
        });
  }
}
