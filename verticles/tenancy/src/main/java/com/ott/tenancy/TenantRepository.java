package com.ott.tenancy;

import com.ott.contract.Failures;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;

/** Tenants and their API keys in PostgreSQL. */
public final class TenantRepository {
  private static final String UNIQUE_VIOLATION = "23505";

  private final Pool pool;

  public TenantRepository(Pool pool) {
    this.pool = pool;
  }

  /** Creates a tenant with its first API key; fails 409 when the name is taken. */
  public Future<JsonObject> create(String name, Tier tier) {
    String tenantId = ApiKeys.newTenantId();
    ApiKeys.IssuedKey key = ApiKeys.issue();
    return pool.withTransaction(conn -> conn
            .preparedQuery("INSERT INTO tenants (tenant_id, name, tier) VALUES ($1, $2, $3)")
            .execute(Tuple.of(tenantId, name, tier.name()))
            .compose(x -> conn.preparedQuery("INSERT INTO api_keys (key_id, tenant_id, key_hash) VALUES ($1, $2, $3)")
                .execute(Tuple.of(key.keyId(), tenantId, ApiKeys.hash(key.apiKey())))))
        .recover(err -> Future.failedFuture(isUniqueViolation(err)
            ? Failures.reject(Failures.CONFLICT, "a tenant named '" + name + "' already exists")
            : err))
        .map(x -> new JsonObject().put("tenantId", tenantId).put("name", name).put("tier", tier.name())
            .put("keyId", key.keyId()).put("apiKey", key.apiKey()));
  }

  /** The tenant of that name, created (without a key) when missing. */
  public Future<JsonObject> ensure(String name, Tier tier) {
    return pool.preparedQuery("""
            INSERT INTO tenants (tenant_id, name, tier) VALUES ($1, $2, $3)
            ON CONFLICT (name) DO NOTHING RETURNING tenant_id""")
        .execute(Tuple.of(ApiKeys.newTenantId(), name, tier.name()))
        .compose(inserted -> inserted.size() == 1
            ? Future.succeededFuture(new JsonObject().put("tenantId", inserted.iterator().next().getString(0)).put("created", true))
            : pool.preparedQuery("SELECT tenant_id FROM tenants WHERE name = $1").execute(Tuple.of(name))
                .map(rows -> new JsonObject().put("tenantId", rows.iterator().next().getString(0)).put("created", false)));
  }

  public Future<JsonObject> issueKey(String tenantId) {
    ApiKeys.IssuedKey key = ApiKeys.issue();
    return get(tenantId).compose(t -> pool
        .preparedQuery("INSERT INTO api_keys (key_id, tenant_id, key_hash) VALUES ($1, $2, $3)")
        .execute(Tuple.of(key.keyId(), tenantId, ApiKeys.hash(key.apiKey())))
        .map(x -> new JsonObject().put("tenantId", tenantId).put("keyId", key.keyId()).put("apiKey", key.apiKey())));
  }

  /** The tenant of a key hash; fails 401 for an unknown or revoked key. */
  public Future<JsonObject> resolve(String keyHash) {
    return pool.preparedQuery("""
            SELECT k.key_id, t.tenant_id, t.tier FROM api_keys k JOIN tenants t USING (tenant_id)
            WHERE k.key_hash = $1 AND k.revoked_at IS NULL""")
        .execute(Tuple.of(keyHash))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.failedFuture(Failures.reject(Failures.UNAUTHORIZED, "unknown or revoked API key"));
          }
          Row r = rows.iterator().next();
          return Future.succeededFuture(new JsonObject()
              .put("keyId", r.getString(0)).put("tenantId", r.getString(1)).put("tier", r.getString(2)));
        });
  }

  public Future<JsonObject> get(String tenantId) {
    return pool.preparedQuery("SELECT tenant_id, name, tier FROM tenants WHERE tenant_id = $1")
        .execute(Tuple.of(tenantId))
        .compose(rows -> one(rows, "no tenant " + tenantId));
  }

  /** Removes the tenant; its API keys go with it (ON DELETE CASCADE). */
  public Future<JsonObject> delete(String tenantId) {
    return pool.preparedQuery("DELETE FROM tenants WHERE tenant_id = $1").execute(Tuple.of(tenantId))
        .compose(rows -> rows.rowCount() == 0
            ? Future.failedFuture(Failures.reject(Failures.NOT_FOUND, "no tenant " + tenantId))
            : Future.succeededFuture(new JsonObject().put("tenantId", tenantId).put("deleted", true)));
  }

  private static Future<JsonObject> one(RowSet<Row> rows, String notFound) {
    if (rows.size() == 0) {
      return Future.failedFuture(Failures.reject(Failures.NOT_FOUND, notFound));
    }
    Row r = rows.iterator().next();
    return Future.succeededFuture(new JsonObject()
        .put("tenantId", r.getString(0)).put("name", r.getString(1)).put("tier", r.getString(2)));
  }

  private static boolean isUniqueViolation(Throwable err) {
    return err instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState());
  }
}
