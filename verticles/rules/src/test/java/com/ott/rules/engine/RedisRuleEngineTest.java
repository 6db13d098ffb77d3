package com.ott.rules.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.ott.contract.traffic.TrafficOptions;
import com.ott.rules.reference.InMemoryReferenceData;
import com.ott.rules.reference.RedisReferenceData;
import com.ott.rules.testing.RedisSupport;
import com.ott.rules.testing.Traffic;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RedisRuleEngineTest {
  private static final TrafficOptions BUSY = TrafficOptions.defaults().withAccounts(300).withViolationRate(0.03);
  private static RedisSupport redis;
  private static Traffic traffic;

  @BeforeAll
  static void setUp() {
    redis = new RedisSupport();
    traffic = new Traffic(21, 20_000, BUSY);
  }

  @AfterAll
  static void close() {
    redis.close();
  }

  private static Map<String, Severity> alerts(List<Finding> findings) {
    Map<String, Severity> out = new TreeMap<>();
    findings.forEach(f -> out.merge(f.dedupKey(), f.severity(), Severity::max));
    return out;
  }

  private RuleEngine redisEngine(Redis client, String tenant) {
    RedisReferenceData reference = new RedisReferenceData(client);
    traffic.loadReference(reference, tenant);
    return new RuleEngine(reference, new RedisRuleState(client), RuleSettings.defaults());
  }

  @Test
  void stateInRedisGivesTheSameAlertsAsStateInMemory() {
    String tenant = RedisSupport.tenant("same");
    try {
      List<Finding> onRedis = Traffic.run(redisEngine(redis.redis, tenant), tenant, traffic.events, 1_000, true);
      InMemoryReferenceData reference = new InMemoryReferenceData();
      traffic.loadReference(reference, "mem");
      List<Finding> inMemory = Traffic.run(new RuleEngine(reference, new InMemoryRuleState(), RuleSettings.defaults()),
          "mem", traffic.events, 1_000, true);
      assertThat(alerts(onRedis)).isNotEmpty().isEqualTo(alerts(inMemory.stream()
          .map(f -> new Finding(tenant, f.ruleId(), f.severity(), f.subject(), f.eventId(), f.occurredAt(),
              f.dedupKey(), f.windowStart(), f.evidence(), f.explanation())).toList()));
    } finally {
      redis.drop(tenant);
    }
  }

  @Test
  void aRestartedEngineContinuesWhereItStopped() {
    String whole = RedisSupport.tenant("whole");
    String restarted = RedisSupport.tenant("restart");
    try {
      Map<String, Severity> expected =
          alerts(Traffic.run(redisEngine(redis.redis, whole), whole, traffic.events, 1_000, true));

      int half = traffic.events.size() / 2;
      List<Finding> found = new ArrayList<>(
          Traffic.run(redisEngine(redis.redis, restarted), restarted, traffic.events.subList(0, half), 1_000, false));
      // a new engine with its own connection: nothing carried over but what is in Redis
      Redis other = Redis.createClient(redis.vertx, new RedisOptions()
          .setConnectionString(com.ott.testkit.TestServices.redisUrl()));
      try {
        RuleEngine second = new RuleEngine(new RedisReferenceData(other), new RedisRuleState(other),
            RuleSettings.defaults());
        found.addAll(Traffic.run(second, restarted, traffic.events.subList(half, traffic.events.size()), 1_000, true));
      } finally {
        com.ott.rules.testing.RuleHarness.await(other.close());
      }
      assertThat(alerts(found)).isEqualTo(expected);
    } finally {
      redis.drop(whole);
      redis.drop(restarted);
    }
  }

  @Test
  void everyStateKeyExpires() {
    String tenant = RedisSupport.tenant("expiry");
    try {
      Traffic.run(redisEngine(redis.redis, tenant), tenant, traffic.events.subList(0, 10_000), 1_000, false);
      List<String> keys = redis.keys("ott:rules:" + tenant + ":*");
      assertThat(keys).hasSizeGreaterThan(100).anyMatch(k -> k.endsWith(":timers"));
      assertThat(keys).allSatisfy(k -> assertThat(redis.pttl(k)).as(k).isPositive());
    } finally {
      redis.drop(tenant);
    }
  }
}
