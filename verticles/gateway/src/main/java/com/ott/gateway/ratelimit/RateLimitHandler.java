package com.ott.gateway.ratelimit;

import com.ott.contract.Addresses;
import com.ott.contract.Failures;
import com.ott.contract.TenancyAddresses;
import com.ott.gateway.circuit.CircuitOpen;
import com.ott.gateway.circuit.Downstream;
import com.ott.runtime.OttConfig;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enforces the caller's tier, after authentication (it reads the tenant from {@code ctx.get("tenantId")}):
 * <ol>
 *   <li>the request rate through {@link RateLimiter}: every response it passes carries {@code RateLimit-Limit}
 *       (bucket size), {@code RateLimit-Remaining}, {@code RateLimit-Reset} (seconds until the bucket is full)
 *       and {@code RateLimit-Policy}; over the rate it answers 429 with {@code Retry-After} and a problem
 *       document of type {@code too-many-requests};
 *   <li>the monthly hard quotas (a tier's quotas without overage price, see {@code conf/tiers.yaml}) against
 *       metered usage: API calls for every request, events and retained storage for event batches
 *       ({@code POST /api/v{n}/events}). A used-up quota answers 429 with {@code Retry-After} until the month
 *       ends (UTC) and a problem of type {@code monthly-quota-exceeded} naming the quota, its limit and use.
 *       Reading usage and invoices stays possible then, so a blocked tenant can see why.
 * </ol>
 * Tier limits come from {@code ott.tenancy.tier-of} and quota states from {@code ott.tenancy.quota-status}, each
 * cached briefly per tenant and dropped on {@code ott.tenancy.invalidated}, so a tier change or an edited tiers
 * file applies within seconds. Metered usage trails by the meter flush interval plus the cache time, so a quota
 * can be overshot by what one tenant sends in those seconds. If tenancy cannot tell the quota state, the request
 * passes (quotas are monthly; seconds do not matter); if it cannot tell the tier and nothing is cached, 503.
 * Tenancy is asked through its circuit breaker ({@link Downstream}), Redis through the limiter's own.
 */
public final class RateLimitHandler implements Handler<RoutingContext> {
  private static final Logger LOG = LoggerFactory.getLogger(RateLimitHandler.class);
  private static final String TENANT = "tenantId";
  private static final Pattern EVENTS_PATH = Pattern.compile("/api/v\\d+/events/?");
  private static final Pattern ACCOUNT_READ_PATH = Pattern.compile("/api/v\\d+/(usage|invoices)/?");

  private final RateLimiter limiter;
  private final TenantCache tiers;
  private final TenantCache quotas;

  public RateLimitHandler(Vertx vertx, RateLimiter limiter, long tierCacheMs, long quotaCacheMs) {
    this(vertx, Downstream.shared(vertx), limiter, tierCacheMs, quotaCacheMs);
  }

  public RateLimitHandler(Vertx vertx, Downstream downstream, RateLimiter limiter, long tierCacheMs, long quotaCacheMs) {
    this.limiter = limiter;
    DeliveryOptions lookup = new DeliveryOptions().setSendTimeout(5000);
    this.tiers = new TenantCache(tierCacheMs, tenantId -> downstream
        .<JsonObject>request(TenancyAddresses.TIER_OF, new JsonObject().put(TENANT, tenantId), lookup).map(m -> m.body()));
    this.quotas = new TenantCache(quotaCacheMs, tenantId -> downstream
        .<JsonObject>request(TenancyAddresses.QUOTA_STATUS, new JsonObject().put(TENANT, tenantId), lookup).map(m -> m.body()));
    vertx.eventBus().<JsonObject>consumer(Addresses.TENANCY_INVALIDATED, msg -> {
      String tenantId = msg.body() == null ? null : msg.body().getString(TENANT);
      if (tenantId != null) {
        tiers.invalidate(tenantId);
        quotas.invalidate(tenantId);
      }
    });
  }

  /**
   * The handler for a gateway configuration: Redis from {@code redis.url}; optional section
   * {@code gateway.rateLimit}: {@code tierCacheMs} (10000), {@code quotaCacheMs} (5000), {@code redisTimeoutMs}
   * (1000), {@code redisRetryMs} (1000).
   */
  public static RateLimitHandler create(Vertx vertx, JsonObject config) {
    return create(vertx, config, Downstream.shared(vertx, config));
  }

  /** As {@link #create(Vertx, JsonObject)}; the Redis breaker is the process's, shared by its gateway instances. */
  public static RateLimitHandler create(Vertx vertx, JsonObject config, Downstream downstream) {
    JsonObject settings = OttConfig.section(config, "gateway.rateLimit");
    String redisUrl = OttConfig.section(config, "redis").getString("url", "");
    if (redisUrl.isBlank()) {
      throw new IllegalStateException("rate limiting needs Redis: set redis.url (OTT_REDIS_URL)");
    }
    long redisTimeoutMs = settings.getLong("redisTimeoutMs", 1000L);
    long redisRetryMs = settings.getLong("redisRetryMs", 1000L);
    RateLimiter limiter = RateLimiter.create(vertx, redisUrl, redisTimeoutMs, downstream.redisBreaker(redisRetryMs));
    return new RateLimitHandler(vertx, downstream, limiter,
        settings.getLong("tierCacheMs", 10_000L), settings.getLong("quotaCacheMs", 5_000L));
  }

  @Override
  public void handle(RoutingContext ctx) {
    String tenantId = ctx.get(TENANT);
    if (tenantId == null) {
      // nothing authenticated a tenant (a public or admin route): nothing to limit
      ctx.next();
      return;
    }
    tiers.get(tenantId).onComplete(tier -> {
      if (tier.failed()) {
        LOG.warn("tier of tenant {} unknown: {}", tenantId, tier.cause().getMessage());
        if (Failures.statusOf(tier.cause()) == 404) {
          ProblemReply.send(ctx, 403, "the tenant no longer exists");
        } else {
          ctx.response().putHeader("Retry-After", CircuitOpen.retryAfter(tier.cause(), 5));
          ProblemReply.send(ctx, 503, "cannot check the rate limit right now, retry later");
        }
        return;
      }
      JsonObject t = tier.result();
      RateLimiter.Limit limit = new RateLimiter.Limit(t.getLong("requestsPerSecond"), t.getLong("burst"));
      limiter.acquire(tenantId, limit).onComplete(ar -> {
        if (ar.failed()) {
          LOG.error("rate limiter failed for tenant {}, letting the request pass: {}", tenantId, ar.cause().toString());
          ctx.next();
          return;
        }
        RateLimiter.Decision d = ar.result();
        ctx.response()
            .putHeader("RateLimit-Limit", Long.toString(d.limit()))
            .putHeader("RateLimit-Remaining", Long.toString(d.remaining()))
            .putHeader("RateLimit-Reset", Long.toString(d.resetSeconds()))
            .putHeader("RateLimit-Policy", limit.burst() + ";w=" + windowSeconds(limit) + ";rate=" + limit.requestsPerSecond());
        if (!d.allowed()) {
          ctx.response().putHeader("Retry-After", Long.toString(d.retryAfterSeconds()));
          ProblemReply.send(ctx, 429, "Too Many Requests",
              "tier " + t.getString("tier") + " allows " + limit.requestsPerSecond() + " requests per second with bursts of "
                  + limit.burst() + "; retry after " + d.retryAfterSeconds() + " s",
              new JsonObject().put("tier", t.getString("tier")).put("requestsPerSecond", limit.requestsPerSecond())
                  .put("burst", limit.burst()).put("retryAfterSeconds", d.retryAfterSeconds()));
          return;
        }
        checkQuotas(ctx, tenantId);
      });
    });
  }

  private void checkQuotas(RoutingContext ctx, String tenantId) {
    String path = ctx.request().path();
    if (ctx.request().method() == HttpMethod.GET && ACCOUNT_READ_PATH.matcher(path).matches()) {
      ctx.next();
      return;
    }
    boolean events = ctx.request().method() == HttpMethod.POST && EVENTS_PATH.matcher(path).matches();
    quotas.get(tenantId).onComplete(ar -> {
      if (ar.failed()) {
        LOG.warn("quota state of tenant {} unknown, letting the request pass: {}", tenantId, ar.cause().getMessage());
        ctx.next();
        return;
      }
      JsonObject status = ar.result();
      JsonArray exceeded = status.getJsonArray("exceeded", new JsonArray());
      for (int i = 0; i < exceeded.size(); i++) {
        JsonObject q = exceeded.getJsonObject(i);
        String quota = q.getString("quota");
        if ("apiCallsPerMonth".equals(quota) || events) {
          refuseQuota(ctx, status, q);
          return;
        }
      }
      ctx.next();
    });
  }

  private static void refuseQuota(RoutingContext ctx, JsonObject status, JsonObject quota) {
    String resetsAt = status.getString("resetsAt");
    long retryAfter = Math.max(1, Duration.between(Instant.now(), OffsetDateTime.parse(resetsAt).toInstant()).getSeconds());
    ctx.response().putHeader("Retry-After", Long.toString(retryAfter));
    String what = switch (quota.getString("quota")) {
      case "eventsPerMonth" -> "events per month";
      case "apiCallsPerMonth" -> "API calls per month";
      default -> "bytes of retained storage";
    };
    ProblemReply.send(ctx, 429, "Monthly Quota Exceeded",
        "tier " + status.getString("tier") + " includes " + quota.getLong("limit") + " " + what + " and "
            + quota.getLong("used") + " are used; the quota resets at " + resetsAt
            + " (a higher tier lifts it now)",
        new JsonObject().put("tier", status.getString("tier")).put("quota", quota.getString("quota"))
            .put("limit", quota.getLong("limit")).put("used", quota.getLong("used")).put("resetsAt", resetsAt));
  }

  private static long windowSeconds(RateLimiter.Limit limit) {
    return Math.max(1, (limit.burst() + limit.requestsPerSecond() - 1) / limit.requestsPerSecond());
  }
}
