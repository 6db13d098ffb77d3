package com.ott.rules.reference;

import static com.ott.rules.testing.RuleHarness.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.ott.rules.testing.RedisSupport;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RedisReferenceDataTest {
  private static RedisSupport redis;
  private static RedisReferenceData reference;

  @BeforeAll
  static void connect() {
    redis = new RedisSupport();
    reference = new RedisReferenceData(redis.redis);
  }

  @AfterAll
  static void close() {
    redis.close();
  }

  @Test
  void upsertedTitlesAndAccountsAreReadBackByIdInOneSnapshot() {
    String tenant = RedisSupport.tenant("ref");
    try {
      List<Title> titles = ReferenceBodies.titles(new JsonArray()
          .add(new JsonObject().put("contentId", "c1").put("title", "One").put("rating", "PG").put("territories", "*"))
          .add(new JsonObject().put("contentId", "c2").put("title", "Two").put("rating", "R")
              .put("territories", new JsonArray().add("US")))).entries();
      List<Account> accounts = ReferenceBodies.accounts(new JsonArray()
          .add(new JsonObject().put("accountId", "tok-1").put("maxStreams", 2).put("residence", "FR")
              .put("profiles", new JsonObject().put("kid", "OLDER_KIDS")))).entries();
      assertThat(await(reference.upsertTitles(tenant, titles))).isEqualTo(2);
      assertThat(await(reference.upsertAccounts(tenant, accounts))).isEqualTo(1);
      ReferenceSnapshot snap = await(reference.snapshot(tenant, List.of("c1", "c2", "c3"), List.of("tok-1", "tok-2")));
      assertThat(snap.titles()).containsOnlyKeys("c1", "c2");
      assertThat(snap.title("c2")).isEqualTo(titles.get(1));
      assertThat(snap.account("tok-1")).isEqualTo(accounts.get(0));
      assertThat(snap.account("tok-2")).isNull();
      assertThat(snap.ruleOverrides()).isNull();
      // upsert replaces
      Title renamed = new Title("c1", "One (restored)", "PG", null, null, null, false, false, false);
      await(reference.upsertTitles(tenant, List.of(renamed)));
      assertThat(await(reference.snapshot(tenant, List.of("c1"), List.of())).title("c1").title())
          .isEqualTo("One (restored)");
    } finally {
      redis.drop(tenant);
    }
  }

  @Test
  void ruleOverridesAreStoredPerTenant() {
    String tenant = RedisSupport.tenant("ref");
    try {
      JsonObject overrides = new JsonObject().put("rules",
          new JsonObject().put("captions_missing", new JsonObject().put("enabled", false)));
      await(reference.putRuleOverrides(tenant, overrides));
      assertThat(await(reference.ruleOverrides(tenant))).isEqualTo(overrides);
      assertThat(await(reference.snapshot(tenant, List.of(), List.of())).ruleOverrides()).isEqualTo(overrides);
      assertThat(await(reference.ruleOverrides(RedisSupport.tenant("other")))).isNull();
      await(reference.putRuleOverrides(tenant, null));
      assertThat(await(reference.ruleOverrides(tenant))).isNull();
    } finally {
      redis.drop(tenant);
    }
  }
}
