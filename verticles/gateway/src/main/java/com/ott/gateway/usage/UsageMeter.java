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
 * Meters a tenant's usage into tenancy ({@code ott.tenancy.meter}) the way its idempotency rules expect. API calls
 * (as a route handler, after authentication and the rate limit) and event batches ({@link #recordBatch}: the events
 * newly stored, so a replayed batch, which stores nothing, adds nothing) are counted per tenant and UTC day in
 * memory and flushed every {@code flushMs}, one message per tenant and day with key {@code usage:<instance
 * id>:<sequence>}. A flush that fails is sent again with the same key at the next flush, so a reply lost after
 * tenancy recorded it is not counted twice. Counting in memory keeps metering off each request's path: one small
 * write per tenant and interval instead of a transaction per batch.
 * The client's {@code X-Request-Id} is never the key: a client may reuse it for different requests.
 */
public final class UsageMeter implements Handler<RoutingContext> {
  private static final Logger LOG = LoggerFactory.getLogger(UsageMeter.class);
  private static final String TENANT = "tenantId";
  private static final int MAX_PENDING = 10_000;

  private record DayKey(String tenantId, LocalDate day) {}

  /** What a tenant used on a day since the last flush. */
  private static final class Counts {
    final LongAdder apiCalls = new LongAdder();
    final LongAdder eventsAccepted = new LongAdder();
    final LongAdder eventsRejected = new LongAdder();
    final LongAdder bytesStored = new LongAdder();
  }

  private final Downstream downstream;
  private final String instanceId = UUID.randomUUID().toString();
  private final AtomicLong sequence = new AtomicLong();
  private final Map<DayKey, Counts> counts = new ConcurrentHashMap<>();
  private final Map<String, JsonObject> unsent = new ConcurrentHashMap<>();
  private final DeliveryOptions delivery = new DeliveryOptions().setSendTimeout(10_000);
  private final Vertx vertx;
  private final long timerId;
  // every call comes from the gateway instance's event loop; the adders only make a stray caller safe

  public UsageMeter(Vertx vertx, long flushMs) {
    this(vertx, Downstream.shared(vertx), flushMs);
  }

  /** Meters into tenancy through {@code downstream} (its tenancy breaker). */
  public UsageMeter(Vertx vertx, Downstream downstream, long flushMs) {
    this.vertx = vertx;
    // counted events reach tenancy within flushMs; quotas read tenancy's figures, so they lag by as much
    this.downstream = downstream;
    this.timerId = vertx.setPeriodic(flushMs, id -> flush());
  }

  @Override
  public void handle(RoutingContext ctx) {
    String tenantId = ctx.get(TENANT);
    if (tenantId != null) {
      today(tenantId).apiCalls.increment();
    }
    ctx.next();
  }

  /**
   * Counts one event batch from the ingest reply: {@code eventsAccepted} = {@code stored} (new events only),
   * {@code eventsRejected} = the rejected entries, {@code bytesStored} = the stored events' share of
   * {@code batchBytes}. Reaches tenancy with the next flush.
   */
  public void recordBatch(String tenantId, JsonObject ingestReply, long batchBytes) {
    long stored = ingestReply.getLong("stored", ingestReply.getLong("accepted", 0L));
    long rejected = ingestReply.getJsonArray("rejected") == null ? 0 : ingestReply.getJsonArray("rejected").size();
    long accepted = ingestReply.getLong("accepted", stored);
    long total = accepted + rejected;
    Counts c = today(tenantId);
    c.eventsAccepted.add(stored);
    c.eventsRejected.add(rejected);
    c.bytesStored.add(total == 0 ? 0 : Math.round((double) batchBytes * stored / total));
  }

  private Counts today(String tenantId) {
    return counts.computeIfAbsent(new DayKey(tenantId, LocalDate.now(ZoneOffset.UTC)), k -> new Counts());
  }

  /** Sends what was counted so far, and the flushes that failed before; completes when all were answered. */
  public Future<Void> flush() {
    for (DayKey key : new ArrayList<>(counts.keySet())) {
      Counts c = counts.remove(key);
      if (c == null) {
        continue;
      }
      long calls = c.apiCalls.sumThenReset();
      long accepted = c.eventsAccepted.sumThenReset();
      long rejected = c.eventsRejected.sumThenReset();
      long bytes = c.bytesStored.sumThenReset();
      if (calls + accepted + rejected + bytes > 0) {
        String idempotencyKey = "usage:" + instanceId + ":" + sequence.incrementAndGet();
        unsent.put(idempotencyKey, new JsonObject().put(TENANT, key.tenantId()).put("idempotencyKey", idempotencyKey)
            .put("day", key.day().toString()).put("apiCalls", calls).put("eventsAccepted", accepted)
            .put("eventsRejected", rejected).put("bytesStored", bytes));
      }
    }
    if (unsent.size() > MAX_PENDING) {
      LOG.error("metering: {} flushes could not be delivered to tenancy; dropping the oldest", unsent.size());
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

  /** Stops the periodic flush and sends what is left. */
  public Future<Void> close() {
    vertx.cancelTimer(timerId);
    return flush();
  }
}
