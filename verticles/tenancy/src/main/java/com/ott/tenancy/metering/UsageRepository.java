package com.ott.tenancy.metering;

import com.ott.contract.Failures;
import com.ott.runtime.Postgres;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Usage metering per tenant and UTC day, idempotent in the way of Stripe's and Lago's usage APIs: every meter
 * message carries an idempotency key, and the key is enforced when the usage is recorded. One SQL statement
 * (one transaction) inserts the key into {@code usage_meter_keys} and, only if it was new, adds the counts to
 * {@code usage_daily}; a replay of the message finds the key taken and adds nothing. Nothing is deduplicated
 * afterwards. Keys are kept {@code keyRetentionDays} (longer than any sender retries), then pruned.
 *
 * <p>What the gateway sends as idempotency key: a key it generates for one metering attempt and reuses when it
 * retries that same attempt (a reply lost to a timeout must not count twice), never the client's
 * {@code X-Request-Id}, which a client may reuse for different requests.
 * <ul>
 *   <li>API calls are counted in memory and flushed per tenant and day every few seconds with key
 *       {@code api:<gateway instance id>:<flush sequence>}; a failed flush is retried with the same key.
 *   <li>An event batch is metered once per request with key {@code events:<random uuid>} and
 *       {@code eventsAccepted} = the events the store newly stored ({@code stored} in the ingest reply). A replayed
 *       batch stores nothing, so it adds nothing whatever its key: the stored count, not the key, makes replays
 *       free. {@code eventsRejected} = the events refused by validation; {@code bytesStored} = the stored share of
 *       the batch's bytes.
 * </ul>
 */
public final class UsageRepository {
  private static final String FOREIGN_KEY_VIOLATION = "23503";
  private static final int PRUNE_PAGE = 500;

  private final Pool pool;

  public UsageRepository(Pool pool) {
    this.pool = pool;
  }

  /** Adds the counts to the tenant's day unless the key was recorded before; true when they were added. */
  public Future<Boolean> record(String tenantId, String idempotencyKey, LocalDate day, DailyUsage counts) {
    return Postgres.inTenant(pool, tenantId, conn -> conn.preparedQuery("""
            WITH fresh AS (
              INSERT INTO usage_meter_keys (tenant_id, idempotency_key, day) VALUES ($1, $2, $3)
              ON CONFLICT (tenant_id, idempotency_key) DO NOTHING
              RETURNING tenant_id)
            INSERT INTO usage_daily AS u (tenant_id, day, events_accepted, events_rejected, api_calls, bytes_stored)
            SELECT tenant_id, $3, $4, $5, $6, $7 FROM fresh
            ON CONFLICT (tenant_id, day) DO UPDATE SET
              events_accepted = u.events_accepted + EXCLUDED.events_accepted,
              events_rejected = u.events_rejected + EXCLUDED.events_rejected,
              api_calls = u.api_calls + EXCLUDED.api_calls,
              bytes_stored = u.bytes_stored + EXCLUDED.bytes_stored
            RETURNING 1""")
        .execute(Tuple.tuple().addString(tenantId).addString(idempotencyKey).addLocalDate(day)
            .addLong(counts.eventsAccepted()).addLong(counts.eventsRejected()).addLong(counts.apiCalls())
            .addLong(counts.bytesStored())))
        .map(rows -> rows.size() == 1)
        .recover(err -> Future.failedFuture(err instanceof PgException pg && FOREIGN_KEY_VIOLATION.equals(pg.getSqlState())
            ? Failures.reject(Failures.NOT_FOUND, "no tenant " + tenantId)
            : err));
  }

  /** Usage per day in [from, to] (only the days with a row). */
  public Future<Map<LocalDate, DailyUsage>> daily(String tenantId, LocalDate from, LocalDate to) {
    return Postgres.inTenant(pool, tenantId, conn -> conn.preparedQuery("""
            SELECT day, events_accepted, events_rejected, api_calls, bytes_stored FROM usage_daily
            WHERE tenant_id = $1 AND day BETWEEN $2 AND $3""")
            .execute(Tuple.of(tenantId, from, to)))
        .map(rows -> {
          Map<LocalDate, DailyUsage> out = new HashMap<>();
          for (Row r : rows) {
            out.put(r.getLocalDate(0), new DailyUsage(r.getLong(1), r.getLong(2), r.getLong(3), r.getLong(4)));
          }
          return out;
        });
  }

  /** The reply of {@code ott.tenancy.usage}: every day of [from, to], zeros where nothing was metered, and totals. */
  public Future<JsonObject> report(String tenantId, LocalDate from, LocalDate to) {
    return daily(tenantId, from, to).map(byDay -> {
      JsonArray days = new JsonArray();
      DailyUsage totals = DailyUsage.ZERO;
      for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
        DailyUsage u = byDay.getOrDefault(d, DailyUsage.ZERO);
        totals = totals.plus(u);
        days.add(u.toJson().put("day", d.toString()));
      }
      return new JsonObject().put("tenantId", tenantId).put("from", from.toString()).put("to", to.toString())
          .put("days", days).put("totals", totals.toJson());
    });
  }

  /** Bytes retained on {@code day}: those stored in the {@code retentionDays} days up to and including it. */
  public Future<Long> retainedBytes(String tenantId, LocalDate day, int retentionDays) {
    return Postgres.inTenant(pool, tenantId, conn -> conn.preparedQuery("""
            SELECT coalesce(sum(bytes_stored), 0)::bigint FROM usage_daily
            WHERE tenant_id = $1 AND day > $2 AND day <= $3""")
            .execute(Tuple.of(tenantId, day.minusDays(retentionDays), day)))
        .map(rows -> rows.iterator().next().getLong(0));
  }

  /**
   * Drops idempotency keys recorded more than {@code keepDays} ago, tenant by tenant (each as that tenant, under
   * row-level security; the tenant ids come from the directory function {@code ott_tenant_ids}); the number dropped.
   */
  public Future<Integer> pruneKeys(int keepDays) {
    return pruneKeysAfter(keepDays, null, 0);
  }

  private Future<Integer> pruneKeysAfter(int keepDays, String afterTenant, int droppedSoFar) {
    return pool.preparedQuery("SELECT ott_tenant_ids(now(), $1, $2)").execute(Tuple.of(afterTenant, PRUNE_PAGE))
        .compose(rows -> {
          List<String> ids = new ArrayList<>();
          rows.forEach(r -> ids.add(r.getString(0)));
          Future<Integer> chain = Future.succeededFuture(droppedSoFar);
          for (String id : ids) {
            chain = chain.compose(n -> Postgres.inTenant(pool, id, conn -> conn.preparedQuery(
                    "DELETE FROM usage_meter_keys WHERE tenant_id = $1 AND recorded_at < now() - make_interval(days => $2)")
                .execute(Tuple.of(id, keepDays))).map(deleted -> n + deleted.rowCount()));
          }
          return ids.size() < PRUNE_PAGE ? chain : chain.compose(n -> pruneKeysAfter(keepDays, ids.get(ids.size() - 1), n));
        });
  }

  public static LocalDate today() {
    return LocalDate.now(ZoneOffset.UTC);
  }
}
