package com.ott.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.ott.runtime.Postgres;
import com.ott.testkit.TestServices;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Idempotent batch storage on real PostgreSQL. */
class EventRepositoryIT {
  private static Vertx vertx;
  private static Pool pool;
  private static EventRepository repository;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    Postgres.migrate(vertx, TestServices.pgUrl(), "store").await(60, TimeUnit.SECONDS);
    pool = Postgres.pool(vertx, TestServices.pgUrl(), 4);
    // a small chunk so that one batch spans several statements of one transaction
    repository = new EventRepository(pool, 7);
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().await(20, TimeUnit.SECONDS);
  }

  private static JsonArray events(String prefix, int n) {
    JsonArray a = new JsonArray();
    for (int i = 0; i < n; i++) {
      a.add(new JsonObject().put("eventId", prefix + i).put("type", "auth.login")
          .put("occurredAt", "2026-11-25T10:00:0" + (i % 10) + "+01:00").put("accountId", "tk_x")
          .put("attributes", new JsonObject().put("quote", "it's \"quoted\" \\ and unicode é ✓")));
    }
    return a;
  }

  @Test
  void a_batch_is_stored_once_and_replays_are_counted_as_duplicates() throws Exception {
    String tenant = "t-" + UUID.randomUUID();
    EventRepository.StoreResult first = repository.store(tenant, "http", events("e", 30)).await(20, TimeUnit.SECONDS);
    assertThat(first.storedIds()).hasSize(30);
    assertThat(first.duplicates()).isZero();
    JsonArray overlapping = events("e", 30);
    overlapping.addAll(events("f", 5));
    EventRepository.StoreResult second = repository.store(tenant, "kafka", overlapping).await(20, TimeUnit.SECONDS);
    assertThat(second.storedIds()).hasSize(5).allMatch(id -> id.startsWith("f"));
    assertThat(second.duplicates()).isEqualTo(30);
    assertThat(repository.count(tenant).await(10, TimeUnit.SECONDS)).isEqualTo(35);
  }

  @Test
  void payload_and_event_time_are_kept_exactly() throws Exception {
    String tenant = "t-" + UUID.randomUUID();
    repository.store(tenant, "http", events("p", 1)).await(20, TimeUnit.SECONDS);
    var row = Postgres.inTenant(pool, tenant, conn -> conn
            .preparedQuery("SELECT payload, occurred_at FROM events WHERE tenant_id = $1 AND event_id = 'p0'")
            .execute(Tuple.of(tenant))).await(10, TimeUnit.SECONDS).iterator().next();
    JsonObject payload = (JsonObject) row.getValue(0);
    assertThat(payload.getJsonObject("attributes").getString("quote")).isEqualTo("it's \"quoted\" \\ and unicode é ✓");
    assertThat(row.getOffsetDateTime(1).toInstant().toString()).isEqualTo("2026-11-25T09:00:00Z");
  }

  @Test
  void the_same_event_id_in_two_tenants_is_two_events() throws Exception {
    String a = "t-" + UUID.randomUUID();
    String b = "t-" + UUID.randomUUID();
    repository.store(a, "http", events("same", 3)).await(20, TimeUnit.SECONDS);
    assertThat(repository.store(b, "http", events("same", 3)).await(20, TimeUnit.SECONDS).storedIds()).hasSize(3);
  }

  @Test
  void migrations_run_twice_without_harm() throws Exception {
    assertThat(Postgres.migrate(vertx, TestServices.pgUrl(), "store").await(60, TimeUnit.SECONDS)).isZero();
  }
}
