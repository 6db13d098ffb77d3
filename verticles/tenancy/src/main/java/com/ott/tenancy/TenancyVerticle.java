package com.ott.tenancy;

import com.ott.contract.Addresses;
import com.ott.contract.Failures;
import com.ott.runtime.OttConfig;
import com.ott.runtime.Postgres;
import com.ott.runtime.ProcessRuntime;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.util.function.Function;

/** Tenants and API keys: consumes the {@code ott.tenancy.*} addresses. */
public class TenancyVerticle extends VerticleBase {
  private static final int MAX_NAME = 100;

  private Pool pool;
  private TenantRepository tenants;

  @Override
  public Future<?> start() {
    JsonObject pg = OttConfig.section(config(), "pg");
    String url = pg.getString("url");
    pool = Postgres.pool(vertx, url, Math.max(2, pg.getInteger("poolSize", 8) / 2));
    tenants = new TenantRepository(pool);
    ProcessRuntime.of(vertx).readiness().register("postgresql", () -> Postgres.ping(pool));
    return Postgres.migrate(vertx, url, "tenancy").compose(applied -> {
      handle(Addresses.TENANCY_RESOLVE_KEY, body -> tenants.resolve(required(body, "keyHash")));
      handle(Addresses.TENANCY_CREATE_TENANT, body -> tenants.create(validName(body), validTier(body)));
      handle(Addresses.TENANCY_ENSURE_TENANT, body -> tenants.ensure(validName(body), validTier(body)));
      handle(Addresses.TENANCY_ISSUE_KEY, body -> tenants.issueKey(required(body, "tenantId")));
      handle(Addresses.TENANCY_GET_TENANT, body -> tenants.get(required(body, "tenantId")));
      return Future.succeededFuture();
    });
  }

  private void handle(String address, Function<JsonObject, Future<JsonObject>> action) {
    vertx.eventBus().<JsonObject>consumer(address, (Message<JsonObject> msg) -> {
      Future<JsonObject> result;
      try {
        result = action.apply(msg.body() == null ? new JsonObject() : msg.body());
      } catch (Failures.Rejection r) {
        result = Future.failedFuture(r);
      }
      result.onSuccess(msg::reply).onFailure(err -> Failures.replyFailure(msg, err));
    });
  }

  private static String required(JsonObject body, String field) {
    Object v = body.getValue(field);
    if (!(v instanceof String s) || s.isBlank()) {
      throw Failures.reject(Failures.BAD_REQUEST, field + ": required");
    }
    return s;
  }

  private static String validName(JsonObject body) {
    String name = required(body, "name").trim();
    if (name.length() > MAX_NAME || !name.matches("[\\p{L}\\p{N} ._-]+")) {
      throw Failures.reject(Failures.BAD_REQUEST,
          "name: 1 to " + MAX_NAME + " letters, digits, spaces, '.', '_' or '-'");
    }
    return name;
  }

  private static Tier validTier(JsonObject body) {
    Object raw = body.getValue("tier", "FREE");
    Tier tier = raw instanceof String s ? Tier.parse(s) : null;
    if (tier == null) {
      throw Failures.reject(Failures.BAD_REQUEST, "tier: one of FREE, STANDARD, PREMIUM, ENTERPRISE");
    }
    return tier;
  }

  @Override
  public Future<?> stop() {
    return pool == null ? Future.succeededFuture() : pool.close();
  }
}
