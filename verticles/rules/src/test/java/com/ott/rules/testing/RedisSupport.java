package com.ott.rules.testing;

import com.ott.testkit.TestServices;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** The real Redis of the tests (testkit), one client per test class, and tenant ids no other run uses. */
public final class RedisSupport implements AutoCloseable {
  public final Vertx vertx = Vertx.vertx();
  public final Redis redis = Redis.createClient(vertx, new RedisOptions()
      .setConnectionString(TestServices.redisUrl()).setMaxPoolSize(4).setMaxPoolWaiting(1024));

  public static String tenant(String purpose) {
    return "test-" + purpose + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** Every key under a pattern, by SCAN. */
  public List<String> keys(String pattern) {
    List<String> keys = new ArrayList<>();
    String cursor = "0";
    do {
      Response r = RuleHarness.await(redis.send(Request.cmd(Command.SCAN).arg(cursor).arg("MATCH").arg(pattern)
          .arg("COUNT").arg(1000)));
      cursor = r.get(0).toString();
      for (Response k : r.get(1)) {
        keys.add(k.toString());
      }
    } while (!cursor.equals("0"));
    return keys;
  }

  public long pttl(String key) {
    return RuleHarness.await(redis.send(Request.cmd(Command.PTTL).arg(key))).toLong();
  }

  /** Removes what a test tenant left (state and reference data). */
  public void drop(String tenant) {
    List<String> keys = new ArrayList<>(keys("ott:rules:" + tenant + ":*"));
    keys.addAll(keys("ott:ref:" + tenant + ":*"));
    for (int i = 0; i < keys.size(); i += 500) {
      Request del = Request.cmd(Command.DEL);
      keys.subList(i, Math.min(keys.size(), i + 500)).forEach(del::arg);
      RuleHarness.await(redis.send(del));
    }
  }

  @Override
  public void close() {
    RuleHarness.await(redis.close());
    RuleHarness.await(vertx.close());
  }
}
