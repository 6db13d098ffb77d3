package com.ott.rules.engine;

import static com.ott.rules.testing.RuleHarness.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.ott.rules.testing.RedisSupport;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RedisRuleStateTest {
  private static RedisSupport redis;
  private static RedisRuleState state;

  @BeforeAll
  static void connect() {
    redis = new RedisSupport();
    state = new RedisRuleState(redis.redis);
  }

  @AfterAll
  static void close() {
    redis.close();
  }

  @Test
  void recordsAreWrittenWithTheirExpiryAndReadBackInOneBatch() {
    String tenant = RedisSupport.tenant("state");
    try {
      await(state.apply(tenant, new StateChanges(Map.of(
          "cs:a1", new StateChanges.Write("{\"x\":1}", 60_000),
          "cs:a2", new StateChanges.Write("{\"x\":2}", 3_600_000)), Map.of())));
      Map<String, String> read = await(state.getAll(tenant, List.of("cs:a1", "cs:a2", "cs:missing")));
      assertThat(read).containsExactlyInAnyOrderEntriesOf(Map.of("cs:a1", "{\"x\":1}", "cs:a2", "{\"x\":2}"));
      assertThat(redis.pttl("ott:rules:" + tenant + ":cs:a1")).isBetween(1L, 60_000L);
      assertThat(redis.pttl("ott:rules:" + tenant + ":cs:a2")).isBetween(60_001L, 3_600_000L);

      java.util.HashMap<String, StateChanges.Write> delete = new java.util.HashMap<>();
      delete.put("cs:a1", new StateChanges.Write(null, 0));
      await(state.apply(tenant, new StateChanges(delete, Map.of())));
      assertThat(await(state.getAll(tenant, List.of("cs:a1", "cs:a2")))).containsOnlyKeys("cs:a2");
    } finally {
      redis.drop(tenant);
    }
  }

  @Test
  void manyKeysAreReadInChunks() {
    String tenant = RedisSupport.tenant("chunks");
    try {
      java.util.Map<String, StateChanges.Write> writes = new java.util.LinkedHashMap<>();
      for (int i = 0; i < 2000; i++) {
        writes.put("k:" + i, new StateChanges.Write(Integer.toString(i), 60_000));
      }
      await(state.apply(tenant, new StateChanges(writes, Map.of())));
      Map<String, String> read = await(state.getAll(tenant, writes.keySet()));
      assertThat(read).hasSize(2000).containsEntry("k:1999", "1999");
    } finally {
      redis.drop(tenant);
    }
  }

  @Test
  void timersComeDueInEventTimeOrderAndCanBeCleared() {
    String tenant = RedisSupport.tenant("timers");
    try {
      await(state.apply(tenant, new StateChanges(Map.of(), Map.of("cs|a", 3000L, "cn|b", 1000L, "cs|c", 2000L))));
      assertThat(await(state.dueTimers(tenant, 2500, 10))).containsExactly("cn|b", "cs|c");
      assertThat(await(state.dueTimers(tenant, 5000, 1))).containsExactly("cn|b");
      await(state.apply(tenant, new StateChanges(Map.of(), Map.of("cn|b", -1L, "cs|c", 4000L))));
      assertThat(await(state.dueTimers(tenant, 5000, 10))).containsExactly("cs|a", "cs|c");
      assertThat(redis.pttl("ott:rules:" + tenant + ":timers")).isPositive();
    } finally {
      redis.drop(tenant);
    }
  }

  @Test
  void tenantsDoNotSeeEachOthersState() {
    String one = RedisSupport.tenant("one");
    String two = RedisSupport.tenant("two");
    try {
      await(state.apply(one, new StateChanges(Map.of("cs:a", new StateChanges.Write("1", 60_000)), Map.of("cs|a", 1L))));
      assertThat(await(state.getAll(two, List.of("cs:a")))).isEmpty();
      assertThat(await(state.dueTimers(two, Long.MAX_VALUE, 10))).isEmpty();
    } finally {
      redis.drop(one);
      redis.drop(two);
    }
  }
}
