package com.ott.rules.engine;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/** Rule state in memory, with the same expiry and timer semantics as Redis: for unit tests. */
public final class InMemoryRuleState implements RuleState {
  private record Entry(String value, long expiresAt) {}

  private final Map<String, Entry> entries = new ConcurrentHashMap<>();
  private final Map<String, Map<String, Long>> timers = new ConcurrentHashMap<>();
  private final LongSupplier clock;

  public InMemoryRuleState() {
    this(System::currentTimeMillis);
  }

  /** With a processing-time clock for expiry (tests move it to see records expire). */
  public InMemoryRuleState(LongSupplier clock) {
    this.clock = clock;
  }

  @Override
  public Future<Map<String, String>> getAll(String tenantId, Collection<String> keys) {
    long now = clock.getAsLong();
    Map<String, String> out = new HashMap<>();
    for (String key : keys) {
      Entry e = entries.get(tenantId + ":" + key);
      if (e != null && e.expiresAt > now) {
        out.put(key, e.value);
      }
    }
    return Future.succeededFuture(out);
  }

  @Override
  public Future<Void> apply(String tenantId, StateChanges changes) {
    long now = clock.getAsLong();
    changes.writes().forEach((key, write) -> {
      if (write.value() == null) {
        entries.remove(tenantId + ":" + key);
      } else {
        entries.put(tenantId + ":" + key, new Entry(write.value(), now + write.ttlMillis()));
      }
    });
    Map<String, Long> t = timers.computeIfAbsent(tenantId, k -> new ConcurrentHashMap<>());
    changes.timers().forEach((member, due) -> {
      if (due < 0) {
        t.remove(member);
      } else {
        t.put(member, due);
      }
    });
    return Future.succeededFuture();
  }

  @Override
  public Future<List<String>> dueTimers(String tenantId, long upToMillis, int limit) {
    List<Map.Entry<String, Long>> due = new ArrayList<>();
    timers.getOrDefault(tenantId, Map.of()).forEach((member, at) -> {
      if (at <= upToMillis) {
        due.add(Map.entry(member, at));
      }
    });
    due.sort(Map.Entry.<String, Long>comparingByValue().thenComparing(Map.Entry.comparingByKey()));
    return Future.succeededFuture(due.stream().limit(limit).map(Map.Entry::getKey).toList());
  }

  /** Number of live keys of a tenant (tests check that state stays bounded). */
  public int size(String tenantId) {
    long now = clock.getAsLong();
    String prefix = tenantId + ":";
    return (int) entries.entrySet().stream()
        .filter(e -> e.getKey().startsWith(prefix) && e.getValue().expiresAt > now).count();
  }
}
