package com.ott.gateway.circuit;

import com.ott.contract.Failures;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How the gateway talks to the rest of the product: every bus request goes through the breaker of the service
 * that owns its address ({@code ott.<service>.<action>}): ingestion, tenancy, rules, alerts (with reports),
 * encryption and store. One instance per Vert.x instance, shared by every gateway verticle instance in it, so a
 * breaker sees the whole process's traffic.
 *
 * <p>A failed call counts against its service when the service did not answer (no consumer, timeout) or
 * answered 5xx; an answer such as 400, 401 or 404 is the service working.
 */
public final class Downstream implements Shareable {
  private static final String SHARED = "ott.gateway.downstream";
  /** Services named by a bus address segment other than their own name. */
  private static final Map<String, String> SERVICE_OF_SEGMENT = Map.of("ingest", "ingestion", "reports", "alerts");
  private static final List<String> SERVICES = List.of("ingestion", "tenancy", "rules", "alerts", "encryption", "store");

  private final Vertx vertx;
  private final BreakerSettings settings;
  private final Map<String, ServiceBreaker> breakers = new ConcurrentHashMap<>();

  private Downstream(Vertx vertx, BreakerSettings settings) {
    this.vertx = vertx;
    this.settings = settings;
    SERVICES.forEach(this::breaker);
  }

  /** The process's instance, made from {@code gateway.circuitBreaker} of {@code config} by the first caller. */
  public static Downstream shared(Vertx vertx, JsonObject config) {
    synchronized (Downstream.class) {
      LocalMap<String, Downstream> map = vertx.sharedData().getLocalMap(SHARED);
      Downstream d = map.get(SHARED);
      if (d == null) {
        d = new Downstream(vertx, BreakerSettings.from(config));
        map.put(SHARED, d);
      }
      return d;
    }
  }

  /** The process's instance (default settings when nothing configured one first). */
  public static Downstream shared(Vertx vertx) {
    return shared(vertx, new JsonObject());
  }

  public BreakerSettings settings() {
    return settings;
  }

  /** The breaker of a service, made on first use. */
  public ServiceBreaker breaker(String service) {
    return breakers.computeIfAbsent(service, s -> new ServiceBreaker(vertx, s, settings, Downstream::isUnavailable));
  }

  /**
   * The breaker of Redis, the rate limiter's store, made on first use: every failure counts (a timeout, a refused
   * connection), and it stays open {@code retryMs} ({@code gateway.rateLimit.redisRetryMs}).
   */
  public ServiceBreaker redisBreaker(long retryMs) {
    return breakers.computeIfAbsent("redis", s -> new ServiceBreaker(vertx, s, settings.withResetTimeoutMs(retryMs), err -> true));
  }

  /** A bus request waiting at most {@code timeoutMs} of the settings. */
  public <T> Future<Message<T>> request(String address, Object body) {
    return request(address, body, new DeliveryOptions().setSendTimeout(settings.timeoutMs()));
  }

  /** A bus request with its own options (and so its own deadline, the send timeout). */
  public <T> Future<Message<T>> request(String address, Object body, DeliveryOptions options) {
    return breaker(serviceOf(address)).execute(() -> vertx.eventBus().<T>request(address, body, options));
  }

  /** The body of the reply to a JSON request, waiting at most {@code timeoutMs} of the settings. */
  public Future<JsonObject> ask(String address, JsonObject body) {
    return this.<JsonObject>request(address, body).map(Message::body);
  }

  /** {@code ott.tenancy.resolve-key} -> tenancy, {@code ott.ingest.http-batch} -> ingestion. */
  static String serviceOf(String address) {
    String[] parts = address.split("\\.", 3);
    if (parts.length < 3 || !parts[0].equals("ott")) {
      throw new IllegalArgumentException("not a service address of the product: " + address);
    }
    return SERVICE_OF_SEGMENT.getOrDefault(parts[1], parts[1]);
  }

  static boolean isUnavailable(Throwable failure) {
    return Failures.statusOf(failure) >= 500;
  }
}
