package com.ott.tenancy.billing;

import com.ott.contract.Failures;
import com.ott.runtime.Postgres;
import com.ott.tenancy.metering.DailyUsage;
import com.ott.tenancy.metering.UsageRepository;
import com.ott.tenancy.tiers.Meter;
import com.ott.tenancy.tiers.TierCatalog;
import com.ott.tenancy.tiers.TierChanges;
import com.ott.tenancy.tiers.TierDefinition;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Monthly invoices: a draft of the current month on demand, and the closing of past months into the stored
 * invoice history. Closing is idempotent (one row per tenant and month, first write wins), so the periodic job
 * can run on every tenancy instance and after restarts. A month closes only {@code closeGrace} after it ended,
 * so usage of its last minutes, metered a little later, is still on it.
 */
public final class MonthlyBilling {
  private static final Logger LOG = LoggerFactory.getLogger(MonthlyBilling.class);
  private static final int CLOSE_BATCH = 200;
  private static final int HISTORY_LIMIT = 120;

  private final Pool pool;
  private final Supplier<TierCatalog> catalog;
  private final UsageRepository usage;
  private final TierChanges tiers;
  private final Duration closeGrace;
  private final Clock clock;

  public MonthlyBilling(Pool pool, Supplier<TierCatalog> catalog, UsageRepository usage, TierChanges tiers,
      Duration closeGrace, Clock clock) {
    this.pool = pool;
    this.catalog = catalog;
    this.usage = usage;
    this.tiers = tiers;
    this.closeGrace = closeGrace;
    this.clock = clock;
  }

  private YearMonth currentMonth() {
    return YearMonth.now(clock.withZone(ZoneOffset.UTC));
  }

  /** True once {@code month} ended at least the grace period ago. */
  boolean closable(YearMonth month) {
    OffsetDateTime end = month.plusMonths(1).atDay(1).atStartOfDay().atOffset(ZoneOffset.UTC);
    return !OffsetDateTime.now(clock).isBefore(end.plus(closeGrace));
  }

  /** The reply of {@code ott.tenancy.invoices}. */
  public Future<JsonObject> invoices(String tenantId, YearMonth month) {
    JsonObject reply = new JsonObject().put("tenantId", tenantId).put("currency", catalog.get().currency());
    if (month == null) {
      return tiers.tierOf(tenantId)
          .compose(t -> Postgres.inTenant(pool, tenantId, conn -> conn
              .preparedQuery("SELECT invoice FROM invoices WHERE tenant_id = $1 ORDER BY month DESC LIMIT $2")
              .execute(Tuple.of(tenantId, HISTORY_LIMIT))))
          .compose(rows -> {
            JsonArray list = new JsonArray();
            for (Row r : rows) {
              list.add(r.getJsonObject(0));
            }
            return draft(tenantId, currentMonth()).map(d -> {
              list.add(d);
              return reply.put("invoices", list);
            });
          });
    }
    if (month.isAfter(currentMonth())) {
      return Future.failedFuture(Failures.reject(Failures.BAD_REQUEST, "month: " + month + " has not started yet"));
    }
    return stored(tenantId, month).compose(found -> {
      if (found != null) {
        return Future.succeededFuture(found);
      }
      return closable(month) ? close(tenantId, month) : draft(tenantId, month);
    }).map(invoice -> reply.put("invoices", new JsonArray().add(invoice)));
  }

  /** The invoice of the month computed now, not stored. */
  public Future<JsonObject> draft(String tenantId, YearMonth month) {
    return compute(tenantId, month).map(invoice -> invoice.toJson().put("tenantId", tenantId).put("status", "draft"));
  }

  /** Closes the month for the tenant (stores its invoice unless one is stored) and answers the stored invoice. */
  public Future<JsonObject> close(String tenantId, YearMonth month) {
    return compute(tenantId, month).compose(invoice -> {
      JsonObject body = invoice.toJson().put("tenantId", tenantId).put("status", "closed");
      return Postgres.inTenant(pool, tenantId, conn -> conn.preparedQuery("""
              INSERT INTO invoices (tenant_id, month, currency, total, invoice) VALUES ($1, $2, $3, $4, $5)
              ON CONFLICT (tenant_id, month) DO NOTHING""")
              .execute(Tuple.of(tenantId, month.atDay(1), invoice.currency(), invoice.total(), body)))
          .compose(x -> stored(tenantId, month));
    });
  }

  /**
   * Closes {@code month} for every tenant that existed in it and has no stored invoice for it yet, in batches;
   * the number closed. Refuses a month that is not over. Works tenant by tenant: the directory function
   * {@code ott_tenant_ids} lists the tenants (ids only), each is then read and billed as itself.
   */
  public Future<Integer> closeMonth(YearMonth month) {
    if (!closable(month)) {
      return Future.failedFuture(new IllegalStateException(month + " cannot be closed before its grace period ends"));
    }
    return closeBatch(month, null, 0);
  }

  private Future<Integer> closeBatch(YearMonth month, String afterTenant, int closedSoFar) {
    return pool.preparedQuery("SELECT ott_tenant_ids($1, $2, $3)")
        .execute(Tuple.of(month.plusMonths(1).atDay(1).atStartOfDay().atOffset(ZoneOffset.UTC), afterTenant, CLOSE_BATCH))
        .compose(rows -> {
          List<String> ids = new ArrayList<>();
          rows.forEach(r -> ids.add(r.getString(0)));
          Future<Integer> chain = Future.succeededFuture(closedSoFar);
          for (String id : ids) {
            chain = chain.compose(n -> stored(id, month)
                .compose(found -> found != null ? Future.succeededFuture(n) : close(id, month).map(x -> n + 1))
                .recover(err -> {
                  LOG.warn("billing: closing {} for tenant {} failed: {}", month, id, err.getMessage());
                  return Future.succeededFuture(n);
                }));
          }
          return ids.size() < CLOSE_BATCH ? chain : chain.compose(n -> closeBatch(month, ids.get(ids.size() - 1), n));
        });
  }

  /** Runs the closing of the previous month now and every {@code checkMs}, and prunes old idempotency keys. */
  public long startClosing(Vertx vertx, long checkMs, int keyRetentionDays) {
    Runnable round = () -> {
      YearMonth previous = currentMonth().minusMonths(1);
      if (closable(previous)) {
        closeMonth(previous).onSuccess(n -> {
          if (n > 0) {
            LOG.info("billing: closed {} for {} tenants", previous, n);
          }
        }).onFailure(err -> LOG.warn("billing: closing {} failed: {}", previous, err.getMessage()));
      }
      usage.pruneKeys(keyRetentionDays).onFailure(err -> LOG.warn("metering: pruning keys failed: {}", err.getMessage()));
    };
    vertx.setTimer(1, id -> round.run());
    return vertx.setPeriodic(checkMs, id -> round.run());
  }

  /** The reply of {@code ott.tenancy.quota-status}: month-to-date usage against the tenant's current tier. */
  public Future<JsonObject> quotaStatus(String tenantId) {
    LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
    YearMonth month = YearMonth.from(today);
    TierCatalog tiersNow = catalog.get();
    return tiers.tierOf(tenantId).compose(tier -> {
      TierDefinition def = tiersNow.of(tier);
      return usage.daily(tenantId, month.atDay(1), today)
          .compose(days -> usage.retainedBytes(tenantId, today, def.dataRetentionDays()).map(retained -> {
            DailyUsage sum = days.values().stream().reduce(DailyUsage.ZERO, DailyUsage::plus);
            long[] used = {sum.eventsAccepted(), sum.apiCalls(), retained};
            Meter[] meters = {Meter.EVENTS, Meter.API_CALLS, Meter.STORAGE};
            JsonObject limits = new JsonObject();
            JsonArray hard = new JsonArray();
            JsonArray exceeded = new JsonArray();
            for (int i = 0; i < meters.length; i++) {
              limits.put(meters[i].quota(), def.included(meters[i]));
              if (def.isHardQuota(meters[i])) {
                hard.add(meters[i].quota());
                if (used[i] >= def.included(meters[i])) {
                  exceeded.add(new JsonObject().put("quota", meters[i].quota()).put("limit", def.included(meters[i]))
                      .put("used", used[i]));
                }
              }
            }
            return new JsonObject().put("tenantId", tenantId).put("tier", tier.name()).put("month", month.toString())
                .put("resetsAt", month.plusMonths(1).atDay(1).atStartOfDay().atOffset(ZoneOffset.UTC).toString())
                .put("used", new JsonObject().put("eventsAccepted", used[0]).put("apiCalls", used[1]).put("retainedBytes", used[2]))
                .put("limits", limits).put("hardQuotas", hard).put("exceeded", exceeded);
          }));
    });
  }

  private Future<InvoiceCalculator.Invoice> compute(String tenantId, YearMonth month) {
    TierCatalog tiersNow = catalog.get();
    return tiers.history(tenantId).compose(history -> {
      var tierByDay = TierTimeline.days(month, history.createdAt(), history.current(), history.changes());
      if (tierByDay.isEmpty()) {
        return Future.failedFuture(Failures.reject(Failures.NOT_FOUND,
            "no invoice for " + month + ": the tenant was created later"));
      }
      LocalDate end = month.atEndOfMonth();
      int retention = tiersNow.of(tierByDay.get(tierByDay.lastKey())).dataRetentionDays();
      return usage.daily(tenantId, month.atDay(1), end)
          .compose(byDay -> usage.retainedBytes(tenantId, end, retention)
              .map(retained -> InvoiceCalculator.calculate(month, tierByDay, byDay, retained, tiersNow)));
    });
  }

  private Future<JsonObject> stored(String tenantId, YearMonth month) {
    return Postgres.inTenant(pool, tenantId, conn -> conn
            .preparedQuery("SELECT invoice, closed_at FROM invoices WHERE tenant_id = $1 AND month = $2")
            .execute(Tuple.of(tenantId, month.atDay(1))))
        .map(rows -> {
          if (rows.size() == 0) {
            return null;
          }
          Row r = rows.iterator().next();
          return r.getJsonObject(0).put("closedAt", r.getOffsetDateTime(1).withOffsetSameInstant(ZoneOffset.UTC).toString());
        });
  }
}
