package com.ott.rules.reference;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Reference data held in memory: for unit tests and single-process tools. */
public final class InMemoryReferenceData implements ReferenceData {
  private final Map<String, Map<String, Title>> titles = new ConcurrentHashMap<>();
  private final Map<String, Map<String, Account>> accounts = new ConcurrentHashMap<>();
  private final Map<String, JsonObject> overrides = new ConcurrentHashMap<>();

  @Override
  public Future<ReferenceSnapshot> snapshot(String tenantId, Collection<String> contentIds, Collection<String> accountIds) {
    Map<String, Title> t = titles.getOrDefault(tenantId, Map.of());
    Map<String, Account> a = accounts.getOrDefault(tenantId, Map.of());
    Map<String, Title> outTitles = new HashMap<>();
    for (String id : contentIds) {
      Title title = t.get(id);
      if (title != null) {
        outTitles.put(id, title);
      }
    }
    Map<String, Account> outAccounts = new HashMap<>();
    for (String id : accountIds) {
      Account account = a.get(id);
      if (account != null) {
        outAccounts.put(id, account);
      }
    }
    JsonObject o = overrides.get(tenantId);
    return Future.succeededFuture(new ReferenceSnapshot(outTitles, outAccounts, o == null ? null : o.copy()));
  }

  @Override
  public Future<Integer> upsertTitles(String tenantId, List<Title> list) {
    Map<String, Title> t = titles.computeIfAbsent(tenantId, k -> new ConcurrentHashMap<>());
    list.forEach(title -> t.put(title.contentId(), title));
    return Future.succeededFuture(list.size());
  }

  @Override
  public Future<Integer> upsertAccounts(String tenantId, List<Account> list) {
    Map<String, Account> a = accounts.computeIfAbsent(tenantId, k -> new ConcurrentHashMap<>());
    list.forEach(account -> a.put(account.accountId(), account));
    return Future.succeededFuture(list.size());
  }

  @Override
  public Future<JsonObject> ruleOverrides(String tenantId) {
    JsonObject o = overrides.get(tenantId);
    return Future.succeededFuture(o == null ? null : o.copy());
  }

  @Override
  public Future<Void> putRuleOverrides(String tenantId, JsonObject o) {
    if (o == null) {
      overrides.remove(tenantId);
    } else {
      overrides.put(tenantId, o.copy());
    }
    return Future.succeededFuture();
  }
}
