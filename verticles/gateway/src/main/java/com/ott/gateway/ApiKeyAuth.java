package com.ott.gateway;

import com.ott.contract.Addresses;
import com.ott.contract.ApiKeyHash;
import com.ott.contract.Failures;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolves {@code X-API-Key} or {@code Authorization: Bearer <key>} to exactly one
 * tenant through tenancy, caching answers briefly. Only a hash of the key leaves
 * the gateway.
 */
final class ApiKeyAuth implements Handler<RoutingContext> {
  static final String TENANT = "tenantId";
  private static final int MAX_CACHED = 50_000;
  private static final int MAX_KEY_LENGTH = 512;

  private record Cached(JsonObject principal, long expiresAt) {}

  private final Vertx vertx;
  private final long ttlMs;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();

  ApiKeyAuth(Vertx vertx, long ttlMs) {
    this.vertx = vertx;
    this.ttlMs = ttlMs;
    vertx.eventBus().<JsonObject>consumer(Addresses.TENANCY_INVALIDATED, msg -> {
      String hash = msg.body().getString("keyHash");
      String tenant = msg.body().getString("tenantId");
      if (hash != null) {
        cache.remove(hash);
      }
      if (tenant != null) {
        cache.values().removeIf(c -> tenant.equals(c.principal().getString("tenantId")));
      }
    });
  }

  @Override
  public void handle(RoutingContext ctx) {
    String key = credential(ctx);
    if (key == null) {
      ctx.response().putHeader("WWW-Authenticate", "Bearer");
      Problems.send(ctx, 401, "send an API key in X-API-Key or Authorization: Bearer");
      return;
    }
    if (key.length() > MAX_KEY_LENGTH) {
      Problems.send(ctx, 401, "unknown or revoked API key");
      return;
    }
    String hash = ApiKeyHash.of(key);
    Cached cached = cache.get(hash);
    if (cached != null && cached.expiresAt() > System.currentTimeMillis()) {
      ctx.put(TENANT, cached.principal().getString("tenantId"));
      ctx.put("keyId", cached.principal().getString("keyId"));
      ctx.next();
      return;
    }
    resolve(hash).onComplete(ar -> {
      if (ar.succeeded()) {
        if (cache.size() >= MAX_CACHED) {
          cache.clear();
        }
        cache.put(hash, new Cached(ar.result(), System.currentTimeMillis() + ttlMs));
        ctx.put(TENANT, ar.result().getString("tenantId"));
        ctx.put("keyId", ar.result().getString("keyId"));
        ctx.next();
      } else {
        int status = Failures.statusOf(ar.cause());
        if (status == 401) {
          ctx.response().putHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
          Problems.send(ctx, 401, "unknown or revoked API key");
        } else {
          ctx.response().putHeader("Retry-After", "5");
          Problems.send(ctx, 503, "cannot check credentials right now, retry later");
        }
      }
    });
  }

  private Future<JsonObject> resolve(String hash) {
    return vertx.eventBus().<JsonObject>request(Addresses.TENANCY_RESOLVE_KEY, new JsonObject().put("keyHash", hash))
        .map(m -> m.body());
  }

  private static String credential(RoutingContext ctx) {
    String key = ctx.request().getHeader("X-API-Key");
    if (key != null && !key.isBlank()) {
      return key.trim();
    }
    String auth = ctx.request().getHeader("Authorization");
    if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
      String token = auth.substring(7).trim();
      return token.isEmpty() ? null : token;
    }
    return null;
  }
}
