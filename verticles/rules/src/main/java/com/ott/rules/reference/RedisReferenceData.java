package com.ott.rules.reference;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reference data in Redis, per tenant: hashes {@code ott:ref:<tenantId>:catalog} and
 * {@code ott:ref:<tenantId>:accounts} (id to JSON) and the string {@code ott:ref:<tenantId>:rules}.
 * These keys do not expire: they are configuration, replaced only by the PUT endpoints.
 */
public final class RedisReferenceData implements ReferenceData {
  private final Redis redis;

  public RedisReferenceData(Redis redis) {
    this.redis = redis;
  }

  static String prefix(String tenantId) {
    return "ott:ref:" + tenantId + ":";
  }

  @Override
  public Future<ReferenceSnapshot> snapshot(String tenantId, Collection<String> contentIds, Collection<String> accountIds) {
    List<Request> batch = new ArrayList<>(3);
    List<String> contents = new ArrayList<>(contentIds);
    List<String> accounts = new ArrayList<>(accountIds);
    if (!contents.isEmpty()) {
      Request r = Request.cmd(Command.HMGET).arg(prefix(tenantId) + "catalog");
      contents.forEach(r::arg);
      batch.add(r);
    }
    if (!accounts.isEmpty()) {
      Request r = Request.cmd(Command.HMGET).arg(prefix(tenantId) + "accounts");
      accounts.forEach(r::arg);
      batch.add(r);
    }
    batch.add(Request.cmd(Command.GET).arg(prefix(tenantId) + "rules"));
    return redis.batch(batch).map(responses -> {
      int i = 0;
      Map<String, Title> titles = new HashMap<>();
      if (!contents.isEmpty()) {
        Response r = responses.get(i++);
        for (int k = 0; k < contents.size(); k++) {
          Response v = r.get(k);
          if (v != null) {
            titles.put(contents.get(k), Title.fromJson(new JsonObject(v.toString())));
          }
        }
      }
      Map<String, Account> accountMap = new HashMap<>();
      if (!accounts.isEmpty()) {
        Response r = responses.get(i++);
        for (int k = 0; k < accounts.size(); k++) {
          Response v = r.get(k);
          if (v != null) {
            accountMap.put(accounts.get(k), Account.fromJson(new JsonObject(v.toString())));
          }
        }
      }
      Response rules = responses.get(i);
      return new ReferenceSnapshot(titles, accountMap, rules == null ? null : new JsonObject(rules.toString()));
    });
  }

  @Override
  public Future<Integer> upsertTitles(String tenantId, List<Title> titles) {
    if (titles.isEmpty()) {
      return Future.succeededFuture(0);
    }
    Request r = Request.cmd(Command.HSET).arg(prefix(tenantId) + "catalog");
    titles.forEach(t -> r.arg(t.contentId()).arg(t.toJson().encode()));
    return redis.send(r).map(titles.size());
  }

  @Override
  public Future<Integer> upsertAccounts(String tenantId, List<Account> accounts) {
    if (accounts.isEmpty()) {
      return Future.succeededFuture(0);
    }
    Request r = Request.cmd(Command.HSET).arg(prefix(tenantId) + "accounts");
    accounts.forEach(a -> r.arg(a.accountId()).arg(a.toJson().encode()));
    return redis.send(r).map(accounts.size());
  }

  @Override
  public Future<JsonObject> ruleOverrides(String tenantId) {
    return redis.send(Request.cmd(Command.GET).arg(prefix(tenantId) + "rules"))
        .map(r -> r == null ? null : new JsonObject(r.toString()));
  }

  @Override
  public Future<Void> putRuleOverrides(String tenantId, JsonObject overrides) {
    Request r = overrides == null
        ? Request.cmd(Command.DEL).arg(prefix(tenantId) + "rules")
        : Request.cmd(Command.SET).arg(prefix(tenantId) + "rules").arg(overrides.encode());
    return redis.send(r).mapEmpty();
  }
}
