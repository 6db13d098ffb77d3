package com.ott.rules.engine;

import io.vertx.core.Future;
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
 * Rule state in Redis under {@code ott:rules:<tenantId>:<key>}; every key has an expiry
 * (records with their own, the timer set {@code ott:rules:<tenantId>:timers} one refreshed on
 * each write). Reads are MGETs and writes SETs with PX, pipelined in one batch each.
 */
public final class RedisRuleState implements RuleState {
  // MGET and SET batches are split so that no single command grows without bound
  private static final int CHUNK = 512;
  private static final long TIMERS_TTL_MILLIS = 40L * 24 * 3600 * 1000;

  private final Redis redis;

  public RedisRuleState(Redis redis) {
    this.redis = redis;
  }

  public static String prefix(String tenantId) {
    return "ott:rules:" + tenantId + ":";
  }

  @Override
  public Future<Map<String, String>> getAll(String tenantId, Collection<String> keys) {
    if (keys.isEmpty()) {
      return Future.succeededFuture(new HashMap<>());
    }
    String prefix = prefix(tenantId);
    List<String> list = new ArrayList<>(keys);
    List<Request> batch = new ArrayList<>(list.size() / CHUNK + 1);
    for (int i = 0; i < list.size(); i += CHUNK) {
      Request mget = Request.cmd(Command.MGET);
      for (int k = i; k < Math.min(list.size(), i + CHUNK); k++) {
        mget.arg(prefix + list.get(k));
      }
      batch.add(mget);
    }
    return redis.batch(batch).map(responses -> {
      Map<String, String> out = new HashMap<>(list.size() * 2);
      int index = 0;
      for (Response r : responses) {
        for (int k = 0; k < r.size(); k++, index++) {
          Response v = r.get(k);
          if (v != null) {
            out.put(list.get(index), v.toString());
          }
        }
      }
      return out;
    });
  }

  @Override
  public Future<Void> apply(String tenantId, StateChanges changes) {
    if (changes.isEmpty()) {
      return Future.succeededFuture();
    }
    String prefix = prefix(tenantId);
    List<Request> batch = new ArrayList<>(changes.writes().size() + 4);
    List<String> deletes = new ArrayList<>();
    changes.writes().forEach((key, write) -> {
      if (write.value() == null) {
        deletes.add(prefix + key);
      } else {
        batch.add(Request.cmd(Command.SET).arg(prefix + key).arg(write.value()).arg("PX")
            .arg(Math.max(1, write.ttlMillis())));
      }
    });
    for (int i = 0; i < deletes.size(); i += CHUNK) {
      Request del = Request.cmd(Command.DEL);
      deletes.subList(i, Math.min(deletes.size(), i + CHUNK)).forEach(del::arg);
      batch.add(del);
    }
    if (!changes.timers().isEmpty()) {
      String timers = prefix + "timers";
      Request zadd = Request.cmd(Command.ZADD).arg(timers);
      Request zrem = Request.cmd(Command.ZREM).arg(timers);
      int adds = 0;
      int rems = 0;
      for (Map.Entry<String, Long> e : changes.timers().entrySet()) {
        if (e.getValue() < 0) {
          zrem.arg(e.getKey());
          rems++;
        } else {
          zadd.arg(e.getValue()).arg(e.getKey());
          adds++;
        }
      }
      if (adds > 0) {
        batch.add(zadd);
      }
      if (rems > 0) {
        batch.add(zrem);
      }
      batch.add(Request.cmd(Command.PEXPIRE).arg(timers).arg(TIMERS_TTL_MILLIS));
    }
    return redis.batch(batch).mapEmpty();
  }

  @Override
  public Future<List<String>> dueTimers(String tenantId, long upToMillis, int limit) {
    return redis.send(Request.cmd(Command.ZRANGEBYSCORE).arg(prefix(tenantId) + "timers").arg("-inf")
            .arg(upToMillis).arg("LIMIT").arg(0).arg(limit))
        .map(r -> {
          List<String> out = new ArrayList<>(r == null ? 0 : r.size());
          if (r != null) {
            for (Response m : r) {
              out.add(m.toString());
            }
          }
          return out;
        });
  }
}
