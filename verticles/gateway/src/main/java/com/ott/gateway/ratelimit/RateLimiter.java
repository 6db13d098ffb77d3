package com.ott.gateway.ratelimit;

import com.ott.gateway.circuit.BreakerSettings;
import com.ott.gateway.circuit.CircuitOpen;
import com.ott.gateway.circuit.ServiceBreaker;
import com.ott.runtime.ProcessRuntime;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-tenant request rate limiting shared by every gateway instance: a GCRA token bucket whose whole state is one
 * Redis key per tenant ({@code ott:ratelimit:{tenantId}}), checked and advanced by one Lua script
 * ({@code gcra.lua}) so that check-and-increment is atomic and all instances see one bucket on Redis's clock.
 * A bucket holds {@code burst} requests and refills at {@code requestsPerSecond}, so over any long interval a
 * tenant gets {@code burst + rate × seconds} requests, whatever the number of instances.
 *
 * <p>When Redis is unreachable or slow (no answer within {@code redisTimeoutMs}, 1 s by default) the limiter
 * <b>fails open to a local limit</b>: each instance applies the same bucket in memory ({@link LocalBuckets}), so
 * requests are still answered and still limited, at most N times the tier's rate with N instances, instead of
 * either refusing every request (an outage of a cache would become an outage of the API) or letting floods through
 * unlimited. Redis calls go through a circuit breaker ({@link ServiceBreaker} "redis"): after
 * {@code gateway.circuitBreaker.maxFailures} failures (refused connections, timeouts) within 10 s Redis is left
 * alone for {@code redisRetryMs}, every decision is local at once, then one request probes Redis again.
 * Decisions are counted in {@code ott_ratelimit_decisions_total{store=redis|local, outcome=allowed|limited}}.
 */
public final class RateLimiter {
  private static final Logger LOG = LoggerFactory.getLogger(RateLimiter.class);
  private static final String SCRIPT = readScript();
  private static final String SCRIPT_SHA = sha1(SCRIPT);

  /** A tier's rate: {@code burst} requests at once, refilled at {@code requestsPerSecond}. */
  public record Limit(long requestsPerSecond, long burst) {
    public Limit {
      if (requestsPerSecond < 1 || burst < 1) {
        throw new IllegalArgumentException("requestsPerSecond and burst must be >= 1");
      }
    }

    double intervalMicros() {
      return 1_000_000.0 / requestsPerSecond;
    }
  }

  /**
   * The answer for one request. {@code limit} is the bucket size (burst), {@code remaining} the requests left
   * now, {@code resetSeconds} until the bucket is full again, {@code retryAfterSeconds} until the next request
   * can pass (0 when allowed); {@code shared} is false when the local fallback decided; {@code decidedAtMicros}
   * is when it was decided on the clock of the deciding store.
   */
  public record Decision(boolean allowed, long limit, long remaining, long resetSeconds, long retryAfterSeconds,
      boolean shared, long decidedAtMicros) {

    static Decision of(boolean allowed, Limit limit, long remaining, long retryAfterMicros, long resetMicros, boolean shared,
        long decidedAtMicros) {
      return new Decision(allowed, limit.burst(), Math.max(0, Math.min(remaining, limit.burst())),
          ceilSeconds(resetMicros), allowed ? 0 : Math.max(1, ceilSeconds(retryAfterMicros)), shared, decidedAtMicros);
    }

    private static long ceilSeconds(long micros) {
      return micros <= 0 ? 0 : (micros + 999_999) / 1_000_000;
    }
  }

  private final Redis redis;
  private final long redisTimeoutMs;
  private final ServiceBreaker breaker;
  private final LocalBuckets local = new LocalBuckets();
  private final Counter[] decisions = new Counter[4];
  private volatile long lastWarning;

  /** A limiter with a Redis breaker of its own, left open {@code redisRetryMs}. */
  public RateLimiter(Vertx vertx, Redis redis, long redisTimeoutMs, long redisRetryMs) {
    this(vertx, redis, redisTimeoutMs,
        new ServiceBreaker(vertx, "redis", BreakerSettings.DEFAULTS.withResetTimeoutMs(redisRetryMs), err -> true));
  }

  public RateLimiter(Vertx vertx, Redis redis, long redisTimeoutMs, ServiceBreaker breaker) {
    this.redis = redis;
    this.redisTimeoutMs = redisTimeoutMs;
    this.breaker = breaker;
    MeterRegistry meters = ProcessRuntime.of(vertx).meters();
    String[][] tags = {{"redis", "allowed"}, {"redis", "limited"}, {"local", "allowed"}, {"local", "limited"}};
    for (int i = 0; i < tags.length; i++) {
      decisions[i] = Counter.builder("ott.ratelimit.decisions")
          .description("Rate limit decisions, by where they were taken and their outcome")
          .tag("store", tags[i][0]).tag("outcome", tags[i][1]).register(meters);
    }
  }

  /**
   * A limiter on its own Redis client for {@code redisUrl} ({@code redis://host:port}), waiting at most
   * {@code redisTimeoutMs} for an answer and retrying Redis {@code redisRetryMs} after an outage.
   */
  public static RateLimiter create(Vertx vertx, String redisUrl, long redisTimeoutMs, long redisRetryMs) {
    return new RateLimiter(vertx, client(vertx, redisUrl), redisTimeoutMs, redisRetryMs);
  }

  /** As {@link #create(Vertx, String, long, long)}, with Redis behind {@code breaker} (shared by the process). */
  public static RateLimiter create(Vertx vertx, String redisUrl, long redisTimeoutMs, ServiceBreaker breaker) {
    return new RateLimiter(vertx, client(vertx, redisUrl), redisTimeoutMs, breaker);
  }

  private static Redis client(Vertx vertx, String redisUrl) {
    return Redis.createClient(vertx, new RedisOptions().setConnectionString(redisUrl)
        .setMaxPoolSize(16).setMaxPoolWaiting(4096).setMaxWaitingHandlers(8192));
  }

  /** {@link #create(Vertx, String, long, long)} with a 1 s timeout and a retry after 1 s. */
  public static RateLimiter create(Vertx vertx, String redisUrl) {
    return create(vertx, redisUrl, 1000, 1000);
  }

  public static String key(String tenantId) {
    // braces: a hash tag, so the key stays on one slot in a Redis cluster
    return "ott:ratelimit:{" + tenantId + "}";
  }

  /** Takes one request from the tenant's bucket; never fails (see the class comment for Redis failures). */
  public Future<Decision> acquire(String tenantId, Limit limit) {
    return breaker.execute(() -> evaluate(tenantId, limit).timeout(redisTimeoutMs, TimeUnit.MILLISECONDS))
        .map(r -> Decision.of(r.get(0).toLong() == 1, limit, r.get(1).toLong(), r.get(2).toLong(), r.get(3).toLong(), true,
            r.get(4).toLong()))
        .recover(err -> {
          long now = System.currentTimeMillis();
          if (!(err instanceof CircuitOpen) && now - lastWarning > 10_000) {
            lastWarning = now;
            LOG.warn("rate limiting falls back to per-instance limits: Redis failed: {}", err.getMessage());
          }
          return Future.succeededFuture(local.acquire(tenantId, limit, nowMicros()));
        })
        .map(this::count);
  }

  private Future<Response> evaluate(String tenantId, Limit limit) {
    String interval = String.format(Locale.ROOT, "%.6f", limit.intervalMicros());
    Request evalsha = Request.cmd(Command.EVALSHA).arg(SCRIPT_SHA).arg(1).arg(key(tenantId))
        .arg(interval).arg(limit.burst()).arg(1);
    return redis.send(evalsha).recover(err -> {
      // a restarted or flushed Redis has forgotten the script: send it whole once, which caches it again
      if (err.getMessage() != null && err.getMessage().startsWith("NOSCRIPT")) {
        return redis.send(Request.cmd(Command.EVAL).arg(SCRIPT).arg(1).arg(key(tenantId))
            .arg(interval).arg(limit.burst()).arg(1));
      }
      return Future.failedFuture(err);
    });
  }

  private Decision count(Decision d) {
    decisions[(d.shared() ? 0 : 2) + (d.allowed() ? 0 : 1)].increment();
    return d;
  }

  private static long nowMicros() {
    return System.currentTimeMillis() * 1000;
  }

  public Future<Void> close() {
    return redis.close();
  }

  private static String readScript() {
    try (InputStream in = RateLimiter.class.getResourceAsStream("gcra.lua")) {
      if (in == null) {
        throw new IllegalStateException("gcra.lua is missing from the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String sha1(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
