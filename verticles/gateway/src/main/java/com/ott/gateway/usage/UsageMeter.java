package com.ott.gateway.usage;

import com.ott.contract.Failures;
import com.ott.contract.TenancyAddresses;
import com.ott.gateway.circuit.Downstream;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Meters a tenant's usage into tenancy ({@code ott.tenancy.meter}) the way its idempotency rules expect:
 * <ul>
 *   <li>as a route handler (after authentication and the rate limit), it counts API calls per tenant and UTC day
 *       in memory and flushes them every {@code flushMs} with key {@code api:<instance id>:<sequence>}. A flush
 *       that fails is sent again with the same key at the next flush, so a reply lost after tenancy recorded it
 *       is not counted twice;
 *   <li>{@link #recordBatch} meters one event batch with a fresh key {@code events:<uuid>} (retried with that
 *       key), counting the events newly stored, so a replayed batch (stored 0) adds nothing.
 * </ul>
 * The client's {@code X-Request-Id} is never the key: a client may reuse it for different requests.
 */
public final class UsageMeter implements Handler<RoutingContext> {
  private static final Logger LOG = LoggerFactory.getLogger(UsageMeter.class);
  private static final String TENANT = "tenantId";
  private static final int MAX_PENDING = 10_000;
  private static final int BATCH_ATTEMPTS = 4;

  private record DayKey(String tenantId, LocalDate day) {}

  private final Vertx vertx;
  private final Downstream downstream;
  private final String instanceId = UUID.randomUUID().toString();
  private final AtomicLong sequence = new AtomicLong();
  private final Map<DayKey, LongAdder> calls = new ConcurrentHashMap<>();
  private final Map<String, JsonObject> unsent = new ConcurrentHashMap<>();
  private final DeliveryOptions delivery = new DeliveryOptions().setSendTimeout(10_000);
  private final long timerId;

  public UsageMeter(Vertx vertx, long flushMs) {
    this(vertx, Downstream.shared(vertx), flushMs);
  }

  /** Meters into tenancy through {@code downstream} (its tenancy breaker). */
  public UsageMeter(Vertx vertx, Downstream downstream, long flushMs) {
    this.vertx = vertx;
    this.downstream = downstream;
    this.timerId = vertx.setPeriodic(flushMs, id -> flush());
  }

  @Override
  public void handle(RoutingContext ctx) {
    String tenantId = ctx.get(TENANT);
    if (tenantId != null) {
      calls.computeIfAbsent(new DayKey(tenantId, LocalDate.now(ZoneOffset.UTC)), k -> new LongAdder()).increment();
    }
    ctx.next();
  }

  /** Sends the API calls counted so far, and the flushes that failed before; completes when all were answered. */
  public Future<Void> flush() {
    for (DayKey key : new ArrayList<>(calls.keySet())) {
      LongAdder adder = calls.remove(key);
      long n = adder == null ? 0 : adder.sumThenReset();
      if (n > 0) {
        String idempotencyKey = "api:" + instanceId + ":" + sequence.incrementAndGet();
        unsent.put(idempotencyKey, new JsonObject().put(TENANT, key.tenantId()).put("idempotencyKey", idempotencyKey)
            .put("day", key.day().toString()).put("apiCalls", n));
      }
    }
    if (unsent.size() > MAX_PENDING) {
      LOG.error("metering: {} API-call flushes could not be delivered to tenancy; dropping the oldest", unsent.size());
      unsent.keySet().stream().sorted().limit(unsent.size() - MAX_PENDING).toList().forEach(unsent::remove);
    }
    List<Future<?>> sends = new ArrayList<>();
    for (Map.Entry<String, JsonObject> e : unsent.entrySet()) {
      sends.add(downstream.request(TenancyAddresses.METER, e.getValue(), delivery)
          .onSuccess(reply -> unsent.remove(e.getKey()))
          .onFailure(err -> {
            if (Failures.statusOf(err) < 500) {
              // refused as such (say, the tenant was deleted): sending it again cannot help
              unsent.remove(e.getKey());
              LOG.warn("metering: flush {} refused: {}", e.getKey(), err.getMessage());
            } else {
              LOG.warn("metering: flush {} failed, will retry: {}", e.getKey(), err.getMessage());
            }
          }));
    }
    return Future.join(sends).<Void>mapEmpty().otherwiseEmpty();
  }

  /**
   * Meters one event batch from the ingest reply: {@code eventsAccepted} = {@code stored} (new events only),
   * {@code eventsRejected} = the rejected entries, {@code bytesStored} = the stored events' share of
   * {@code batchBytes}. Completes with tenancy's answer ({@code recorded}) or fails after a few retries.
   */
  public Future<Boolean> recordBatch(String tenantId, JsonObject ingestReply, long batchBytes) {
    long stored = ingestReply.getLong("stored", ingestReply.getLong("accepted", 0L));
    long rejected = ingestReply.getJsonArray("rejected") == null ? 0 : ingestReply.getJsonArray("rejected").size();
    long accepted = ingestReply.getLong("accepted", stored);
    long total = accepted + rejected;
    long bytes = total == 0 ? 0 : Math.round((double) batchBytes * stored / total);
    JsonObject meter = new JsonObject().put(TENANT, tenantId).put("idempotencyKey", "events:" + UUID.randomUUID())
        .put("day", LocalDate.now(ZoneOffset.UTC).toString())
        .put("eventsAccepted", stored).put("eventsRejected", rejected).put("bytesStored", bytes);
    return send(meter, 1);
  }

  private Future<Boolean> send(JsonObject meter, int attempt) {
    return downstream.<JsonObject>request(TenancyAddresses.METER, meter, delivery)
        .map(reply -> reply.body().getBoolean("recorded"))
        .recover(err -> {
          if (attempt >= BATCH_ATTEMPTS || Failures.statusOf(err) < 500) {
            LOG.error("metering: batch {} of tenant {} not recorded: {}", meter.getString("idempotencyKey"),
                meter.getString(TENANT), err.getMessage());
            return Future.failedFuture(err);
          }
          // the same key on every attempt: a retry after a lost reply is not counted twice
          long delay = 500L << attempt;
          return vertx.timer(delay).compose(x -> send(meter, attempt + 1));
        });
  }

  /** Stops the periodic flush and sends what is left. */
  public Future<Void> close() {
    vertx.cancelTimer(timerId);
    return flush();
  }
}
