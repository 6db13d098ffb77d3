package com.ott.tenancy;

import com.ott.contract.Failures;
import com.ott.runtime.Postgres;
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
    return Postgres.inTenant(pool, tenantId, conn -> conn
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
    String tenantId = ApiKeys.newTenantId();
    return Postgres.inTenant(pool, tenantId, conn -> conn.preparedQuery("""
            INSERT INTO tenants (tenant_id, name, tier) VALUES ($1, $2, $3)
            ON CONFLICT (name) DO NOTHING RETURNING tenant_id""")
            .execute(Tuple.of(tenantId, name, tier.name())))
        .compose(inserted -> inserted.size() == 1
            ? Future.succeededFuture(new JsonObject().put("tenantId", tenantId).put("created", true))
            // another tenant's row is invisible here: the directory function answers its id, nothing else
            : pool.preparedQuery("SELECT ott_tenant_named($1)").execute(Tuple.of(name))
                .map(rows -> new JsonObject().put("tenantId", rows.iterator().next().getString(0)).put("created", false)));
  }

  public Future<JsonObject> issueKey(String tenantId) {
    ApiKeys.IssuedKey key = ApiKeys.issue();
    return get(tenantId).compose(t -> Postgres.inTenant(pool, tenantId, conn -> conn
            .preparedQuery("INSERT INTO api_keys (key_id, tenant_id, key_hash) VALUES ($1, $2, $3)")
            .execute(Tuple.of(key.keyId(), tenantId, ApiKeys.hash(key.apiKey()))))
        .map(x -> new JsonObject().put("tenantId", tenantId).put("keyId", key.keyId()).put("apiKey", key.apiKey())));
  }

  /**
   * The tenant of a key hash; fails 401 for an unknown or revoked key. Before authentication no tenant is known:
   * the directory function {@code ott_api_key_owner} finds the key by its hash (only the key's holder can compute
   * it) and answers ids only; the tenant's tier is then read as that tenant.
   */
  public Future<JsonObject> resolve(String keyHash) {
    return pool.preparedQuery("SELECT key_id, tenant_id FROM ott_api_key_owner($1)")
        .execute(Tuple.of(keyHash))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.failedFuture(Failures.reject(Failures.UNAUTHORIZED, "unknown or revoked API key"));
          }
          Row key = rows.iterator().next();
          String tenantId = key.getString(1);
          return Postgres.inTenant(pool, tenantId, conn -> conn.preparedQuery("SELECT tier FROM tenants WHERE tenant_id = $1")
                  .execute(Tuple.of(tenantId)))
              .compose(tenant -> tenant.size() == 0
                  ? Future.failedFuture(Failures.reject(Failures.UNAUTHORIZED, "unknown or revoked API key"))
                  : Future.succeededFuture(new JsonObject().put("keyId", key.getString(0)).put("tenantId", tenantId)
                      .put("tier", tenant.iterator().next().getString(0))));
        });
  }

  public Future<JsonObject> get(String tenantId) {
    return Postgres.inTenant(pool, tenantId, conn -> conn.preparedQuery("SELECT tenant_id, name, tier FROM tenants WHERE tenant_id = $1")
            .execute(Tuple.of(tenantId)))
        .compose(rows -> one(rows, "no tenant " + tenantId));
  }

  /** {@code {tenantId, personalFields:[...]}}: the fields the tenant marks personal beyond the default ones. */
  public Future<JsonObject> personalFields(String tenantId) {
    return Postgres.inTenant(pool, tenantId, conn -> conn.preparedQuery("SELECT personal_fields FROM tenants WHERE tenant_id = $1")
            .execute(Tuple.of(tenantId)))
        .compose(rows -> rows.size() == 0
            ? Future.failedFuture(Failures.reject(Failures.NOT_FOUND, "no tenant " + tenantId))
            : Future.succeededFuture(personalFieldsJson(tenantId, rows.iterator().next().getArrayOfStrings(0))));
  }

  /** Replaces the fields the tenant marks personal (already validated); answers like {@link #personalFields}. */
  public Future<JsonObject> setPersonalFields(String tenantId, java.util.List<String> fields) {
    return Postgres.inTenant(pool, tenantId, conn -> conn.preparedQuery(
                "UPDATE tenants SET personal_fields = $2 WHERE tenant_id = $1 RETURNING personal_fields")
            .execute(Tuple.tuple().addString(tenantId).addArrayOfString(fields.toArray(new String[0]))))
        .compose(rows -> rows.size() == 0
            ? Future.failedFuture(Failures.reject(Failures.NOT_FOUND, "no tenant " + tenantId))
            : Future.succeededFuture(personalFieldsJson(tenantId, rows.iterator().next().getArrayOfStrings(0))));
  }

  private static JsonObject personalFieldsJson(String tenantId, String[] fields) {
    return new JsonObject().put("tenantId", tenantId)
        .put("personalFields", new io.vertx.core.json.JsonArray(fields == null ? java.util.List.of() : java.util.List.of(fields)));
  }

  /** Removes the tenant; its API keys go with it (ON DELETE CASCADE). */
  public Future<JsonObject> delete(String tenantId) {
    return Postgres.inTenant(pool, tenantId, conn -> conn.preparedQuery("DELETE FROM tenants WHERE tenant_id = $1")
            .execute(Tuple.of(tenantId)))
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
