package com.ott.gateway;

import com.ott.contract.Addresses;
import com.ott.contract.ApiKeyHash;
import com.ott.contract.Failures;
import com.ott.gateway.circuit.CircuitOpen;
import com.ott.gateway.circuit.Downstream;
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
 * the gateway. An API key has the full access of its tenant: role {@link Role#ADMIN},
 * its key id as the actor of what it does.
 */
final class ApiKeyAuth implements Handler<RoutingContext> {
  static final String TENANT = "tenantId";
  /** Who acts (recorded in audits): the API key id or the JWT subject. */
  static final String ACTOR = "actor";
  private static final int MAX_CACHED = 50_000;
  private static final int MAX_KEY_LENGTH = 512;

  private record Cached(JsonObject principal, long expiresAt) {}

  private final Downstream downstream;
  private final long ttlMs;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();

  ApiKeyAuth(Vertx vertx, long ttlMs) {
    this(vertx, Downstream.shared(vertx), ttlMs);
  }

  ApiKeyAuth(Vertx vertx, Downstream downstream, long ttlMs) {
    this.downstream = downstream;
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
      authenticated(ctx, cached.principal());
      return;
    }
    resolve(hash).onComplete(ar -> {
      if (ar.succeeded()) {
        if (cache.size() >= MAX_CACHED) {
          cache.clear();
        }
        cache.put(hash, new Cached(ar.result(), System.currentTimeMillis() + ttlMs));
        authenticated(ctx, ar.result());
      } else {
        int status = Failures.statusOf(ar.cause());
        if (status == 401) {
          ctx.response().putHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
          Problems.send(ctx, 401, "unknown or revoked API key");
        } else {
          ctx.response().putHeader("Retry-After", CircuitOpen.retryAfter(ar.cause(), 5));
          Problems.send(ctx, 503, "cannot check credentials right now, retry later");
        }
      }
    });
  }

  private static void authenticated(RoutingContext ctx, JsonObject principal) {
    ctx.put(TENANT, principal.getString("tenantId"));
    ctx.put("keyId", principal.getString("keyId"));
    ctx.put(ACTOR, principal.getString("keyId"));
    ctx.put(Role.KEY, Role.ADMIN);
    ctx.next();
  }

  private Future<JsonObject> resolve(String hash) {
    return downstream.ask(Addresses.TENANCY_RESOLVE_KEY, new JsonObject().put("keyHash", hash));
  }

  static String credential(RoutingContext ctx) {
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
