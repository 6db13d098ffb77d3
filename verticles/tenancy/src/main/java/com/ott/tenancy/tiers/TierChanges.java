package com.ott.tenancy.tiers;

import com.ott.contract.Failures;
import com.ott.runtime.Postgres;
import com.ott.tenancy.Tier;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** A tenant's tier and its history of changes in PostgreSQL. */
public final class TierChanges {
  /** One recorded change. */
  public record Change(Tier from, Tier to, OffsetDateTime at) {}

  /** What billing needs to know of a tenant's tiers: its creation, current tier and changes in time order. */
  public record History(String tenantId, OffsetDateTime createdAt, Tier current, List<Change> changes) {}

  private final Pool pool;

  public TierChanges(Pool pool) {
    this.pool = pool;
  }

  /**
   * Sets the tenant's tier and records the change with its time, in one transaction (the row lock orders
   * concurrent changes). Changing to the tier it already has records nothing.
   */
  public Future<JsonObject> change(String tenantId, Tier tier) {
    return Postgres.inTenant(pool, tenantId, conn -> conn
        .preparedQuery("SELECT tier FROM tenants WHERE tenant_id = $1 FOR UPDATE")
        .execute(Tuple.of(tenantId))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.failedFuture(Failures.reject(Failures.NOT_FOUND, "no tenant " + tenantId));
          }
          String previous = rows.iterator().next().getString(0);
          JsonObject reply = new JsonObject().put("tenantId", tenantId).put("tier", tier.name()).put("previousTier", previous);
          if (previous.equals(tier.name())) {
            return Future.succeededFuture(reply.put("changed", false));
          }
          return conn.preparedQuery("UPDATE tenants SET tier = $2 WHERE tenant_id = $1")
              .execute(Tuple.of(tenantId, tier.name()))
              .compose(x -> conn.preparedQuery("""
                      INSERT INTO tier_changes (tenant_id, from_tier, to_tier) VALUES ($1, $2, $3)
                      RETURNING changed_at""")
                  .execute(Tuple.of(tenantId, previous, tier.name())))
              .map(inserted -> reply.put("changed", true)
                  .put("changedAt", inserted.iterator().next().getOffsetDateTime(0).withOffsetSameInstant(ZoneOffset.UTC).toString()));
        }));
  }

  /** The tenant's current tier; fails 404 when unknown. */
  public Future<Tier> tierOf(String tenantId) {
    return Postgres.inTenant(pool, tenantId, conn -> conn.preparedQuery("SELECT tier FROM tenants WHERE tenant_id = $1")
            .execute(Tuple.of(tenantId)))
        .compose(rows -> rows.size() == 0
            ? Future.failedFuture(Failures.reject(Failures.NOT_FOUND, "no tenant " + tenantId))
            : Future.succeededFuture(Tier.valueOf(rows.iterator().next().getString(0))));
  }

  public Future<History> history(String tenantId) {
    return Postgres.inTenant(pool, tenantId, conn -> conn.preparedQuery("SELECT tier, created_at FROM tenants WHERE tenant_id = $1")
        .execute(Tuple.of(tenantId))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.failedFuture(Failures.reject(Failures.NOT_FOUND, "no tenant " + tenantId));
          }
          Row tenant = rows.iterator().next();
          return conn.preparedQuery("""
                  SELECT from_tier, to_tier, changed_at FROM tier_changes
                  WHERE tenant_id = $1 ORDER BY changed_at, change_id""")
              .execute(Tuple.of(tenantId))
              .map(changes -> {
                List<Change> list = new ArrayList<>();
                for (Row r : changes) {
                  list.add(new Change(Tier.valueOf(r.getString(0)), Tier.valueOf(r.getString(1)), r.getOffsetDateTime(2)));
                }
                return new History(tenantId, tenant.getOffsetDateTime(1), Tier.valueOf(tenant.getString(0)), list);
              });
        }));
  }
}
