package com.ott.store.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.ott.contract.Failures;
import com.ott.runtime.Postgres;
import com.ott.testkit.TestServices;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Alert storage on real PostgreSQL: dedup, replays, pages, transitions, audit and tenant isolation. */
class AlertRepositoryIT {
  static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  private static Vertx vertx;
  private static Pool pool;
  private static MutableClock clock;
  private static AlertRepository repository;

  /** A clock the test moves, so that audit times are known. */
  static final class MutableClock extends Clock {
    volatile Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    Postgres.migrate(vertx, TestServices.pgUrl(), "store").await(60, TimeUnit.SECONDS);
    pool = Postgres.pool(vertx, TestServices.pgUrl(), 4);
    clock = new MutableClock(T0);
    // a small evidence bound, to see it kept; a small chunk, so that one batch spans statements
    repository = new AlertRepository(pool, clock, 3, 4);
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().await(20, TimeUnit.SECONDS);
  }

  static String tenant() {
    return "t-" + UUID.randomUUID();
  }

  static JsonObject finding(String tenant, String rule, String dedupKey, String eventId, Instant at) {
    return new JsonObject().put("tenantId", tenant).put("ruleId", rule).put("severity", "MEDIUM")
        .put("subject", new JsonObject().put("accountToken", "tk_" + dedupKey.hashCode()))
        .put("eventId", eventId).put("occurredAt", at.toString()).put("dedupKey", dedupKey)
        .put("evidence", new JsonObject().put("values", new JsonObject().put("streams", 5)))
        .put("explanation", "5 live streams, the plan allows 4");
  }

  static Finding parse(JsonObject json) {
    Finding.Parsed parsed = Finding.parse(json, json.getString("tenantId"));
    assertThat(parsed.errors()).isEmpty();
    return parsed.finding();
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.await(20, TimeUnit.SECONDS);
  }

  AlertRepository.RaiseResult raise(String tenant, JsonObject... findings) throws Exception {
    List<Finding> list = new ArrayList<>();
    for (JsonObject f : findings) {
      list.add(parse(f));
    }
    return await(repository.raise(tenant, list));
  }

  static void assertStatus(Future<?> f, int status) {
    assertThatThrownBy(() -> f.await(20, TimeUnit.SECONDS)).isInstanceOfSatisfying(Failures.Rejection.class,
        r -> assertThat(r.status()).isEqualTo(status));
  }

  private long auditRows(String tenantId, String alertId) throws Exception {
    return await(Postgres.inTenant(pool, tenantId, conn -> conn.preparedQuery("SELECT count(*) FROM alert_audit WHERE alert_id = $1")
        .execute(Tuple.of(UUID.fromString(alertId))))).iterator().next().getLong(0);
  }

  @Test
  void findings_with_the_same_dedup_key_update_one_alert() throws Exception {
    String t = tenant();
    AlertRepository.RaiseResult first = raise(t, finding(t, "concurrent_streams", "k1", "e1", T0.plusSeconds(60)));
    assertThat(first.created()).isEqualTo(1);
    String id = first.changes().get(0).alert().getString("alertId");

    // later and earlier findings of the same key: count, both ends of the window, evidence
    AlertRepository.RaiseResult second = raise(t,
        finding(t, "concurrent_streams", "k1", "e2", T0.plusSeconds(120)).put("severity", "HIGH").put("traceId", "tr-2"),
        finding(t, "concurrent_streams", "k1", "e0", T0));
    assertThat(second.created()).isZero();
    assertThat(second.updated()).isEqualTo(1);
    JsonObject alert = second.changes().get(0).alert();
    assertThat(alert.getString("alertId")).isEqualTo(id);
    assertThat(alert.getLong("count")).isEqualTo(3);
    assertThat(alert.getString("firstSeenAt")).isEqualTo(T0.toString());
    assertThat(alert.getString("lastSeenAt")).isEqualTo(T0.plusSeconds(120).toString());
    assertThat(alert.getString("severity")).isEqualTo("HIGH");
    assertThat(alert.getString("traceId")).isEqualTo("tr-2");
    assertThat(alert.getString("status")).isEqualTo("OPEN");
    assertThat(alert.getJsonObject("evidence").getJsonArray("eventIds")).containsExactly("e1", "e0", "e2");
    assertThat(alert.getJsonObject("evidence").getJsonObject("values")).isEqualTo(new JsonObject().put("streams", 5));
    assertThat(await(repository.list(t, AlertQuery.all(50))).items()).hasSize(1);
    assertThat(auditRows(t, id)).isEqualTo(2);
  }

  @Test
  void a_replayed_finding_does_not_increment_the_count() throws Exception {
    String t = tenant();
    JsonObject f1 = finding(t, "geo_restriction", "k", "e1", T0);
    JsonObject f2 = finding(t, "geo_restriction", "k", "e2", T0.plusSeconds(1));
    // the same finding twice in one batch counts once
    AlertRepository.RaiseResult first = raise(t, f1, f2, f1.copy());
    assertThat(first.changes().get(0).alert().getLong("count")).isEqualTo(2);
    String id = first.changes().get(0).alert().getString("alertId");

    AlertRepository.RaiseResult replay = raise(t, f1, f2);
    assertThat(replay.created()).isZero();
    assertThat(replay.updated()).isZero();
    assertThat(replay.unchanged()).isEqualTo(1);
    JsonObject stored = await(repository.get(t, UUID.fromString(id)));
    assertThat(stored.getLong("count")).isEqualTo(2);
    assertThat(stored.getJsonObject("evidence").getJsonArray("eventIds")).containsExactly("e1", "e2");
    assertThat(auditRows(t, id)).isEqualTo(1);

    // a replay mixed with a new finding counts only the new one
    AlertRepository.RaiseResult mixed = raise(t, f1, finding(t, "geo_restriction", "k", "e3", T0.plusSeconds(2)));
    assertThat(mixed.changes().get(0).alert().getLong("count")).isEqualTo(3);
  }

  @Test
  void evidence_keeps_the_last_event_ids_only() throws Exception {
    String t = tenant();
    for (int i = 0; i < 5; i++) {
      raise(t, finding(t, "vpn_playback", "k", "e" + i, T0.plusSeconds(i)));
    }
    JsonObject alert = await(repository.list(t, AlertQuery.all(10))).items().get(0);
    assertThat(alert.getLong("count")).isEqualTo(5);
    assertThat(alert.getJsonObject("evidence").getJsonArray("eventIds")).containsExactly("e2", "e3", "e4");
  }

  @Test
  void findings_without_an_event_id_always_count() throws Exception {
    String t = tenant();
    JsonObject anomaly = finding(t, "anomaly.events.playback.start", "anomaly|series", null, T0)
        .put("subject", new JsonObject().put("series", "events.playback.start"));
    anomaly.remove("eventId");
    raise(t, anomaly);
    AlertRepository.RaiseResult again = raise(t, anomaly.copy().put("occurredAt", T0.plusSeconds(3600).toString()));
    assertThat(again.changes().get(0).alert().getLong("count")).isEqualTo(2);
    assertThat(again.changes().get(0).alert().getJsonObject("evidence").getJsonArray("eventIds")).isEmpty();
  }

  @Test
  void a_finding_after_resolve_opens_a_new_alert_but_a_replay_does_not() throws Exception {
    String t = tenant();
    JsonObject f1 = finding(t, "license_window", "k", "e1", T0);
    String first = raise(t, f1).changes().get(0).alert().getString("alertId");
    await(repository.resolve(t, UUID.fromString(first), "key-1", "licence extended"));

    assertThat(raise(t, f1).changes()).isEmpty();

    AlertRepository.RaiseResult next = raise(t, finding(t, "license_window", "k", "e2", T0.plusSeconds(60)));
    assertThat(next.created()).isEqualTo(1);
    String second = next.changes().get(0).alert().getString("alertId");
    assertThat(second).isNotEqualTo(first);
    assertThat(next.changes().get(0).alert().getLong("count")).isEqualTo(1);
    // the new alert is the live one: further findings go to it
    AlertRepository.RaiseResult more = raise(t, finding(t, "license_window", "k", "e3", T0.plusSeconds(90)));
    assertThat(more.changes().get(0).alert().getString("alertId")).isEqualTo(second);
    assertThat(await(repository.get(t, UUID.fromString(first))).getString("status")).isEqualTo("RESOLVED");
  }

  @Test
  void acknowledge_and_resolve_leave_audit_entries() throws Exception {
    String t = tenant();
    clock.now = T0;
    String id = raise(t, finding(t, "parental_rating", "k", "e1", T0)).changes().get(0).alert().getString("alertId");
    raise(t, finding(t, "parental_rating", "k", "e2", T0.plusSeconds(5)));
    UUID alertId = UUID.fromString(id);

    clock.now = T0.plusSeconds(60);
    AlertRepository.Change ack = await(repository.acknowledge(t, alertId, "key-42", "looking into it"));
    assertThat(ack.alert().getString("status")).isEqualTo("ACKNOWLEDGED");
    assertThat(ack.alert().getString("acknowledgedBy")).isEqualTo("key-42");
    assertThat(ack.alert().getString("acknowledgedAt")).isEqualTo(T0.plusSeconds(60).toString());

    clock.now = T0.plusSeconds(300);
    AlertRepository.Change resolved = await(repository.resolve(t, alertId, "key-43", null));
    assertThat(resolved.alert().getString("status")).isEqualTo("RESOLVED");
    assertThat(resolved.alert().getString("resolvedBy")).isEqualTo("key-43");
    assertThat(resolved.auditId()).isGreaterThan(ack.auditId());
    clock.now = T0;

    JsonArray audit = await(repository.audit(t, alertId, 100)).getJsonArray("items");
    assertThat(audit).hasSize(4);
    JsonObject created = audit.getJsonObject(0);
    assertThat(created.getString("action")).isEqualTo("created");
    assertThat(created.getString("statusBefore")).isNull();
    assertThat(created.getString("statusAfter")).isEqualTo("OPEN");
    assertThat(created.getJsonObject("details").getLong("count")).isEqualTo(1);
    assertThat(audit.getJsonObject(1).getString("action")).isEqualTo("updated");
    assertThat(audit.getJsonObject(1).getJsonObject("details").getLong("count")).isEqualTo(2);
    JsonObject acked = audit.getJsonObject(2);
    assertThat(acked.getString("action")).isEqualTo("acknowledged");
    assertThat(acked.getString("actor")).isEqualTo("key-42");
    assertThat(acked.getString("note")).isEqualTo("looking into it");
    assertThat(acked.getString("statusBefore")).isEqualTo("OPEN");
    assertThat(acked.getString("statusAfter")).isEqualTo("ACKNOWLEDGED");
    assertThat(acked.getString("at")).isEqualTo(T0.plusSeconds(60).toString());
    JsonObject res = audit.getJsonObject(3);
    assertThat(res.getString("action")).isEqualTo("resolved");
    assertThat(res.getString("statusBefore")).isEqualTo("ACKNOWLEDGED");
    assertThat(res.getString("statusAfter")).isEqualTo("RESOLVED");
    assertThat(res.getString("note")).isNull();

    JsonObject newest = await(repository.audit(t, alertId, 2));
    assertThat(newest.getBoolean("truncated")).isTrue();
    assertThat(newest.getJsonArray("items").stream().map(o -> ((JsonObject) o).getString("action")))
        .containsExactly("acknowledged", "resolved");
  }

  @Test
  void illegal_transitions_are_conflicts() throws Exception {
    String t = tenant();
    UUID acked = UUID.fromString(raise(t, finding(t, "r", "a", "e1", T0)).changes().get(0).alert().getString("alertId"));
    UUID resolved = UUID.fromString(raise(t, finding(t, "r", "b", "e2", T0)).changes().get(0).alert().getString("alertId"));
    await(repository.acknowledge(t, acked, "k", null));
    await(repository.resolve(t, resolved, "k", null));

    assertStatus(repository.acknowledge(t, acked, "k", null), Failures.CONFLICT);
    assertStatus(repository.acknowledge(t, resolved, "k", null), Failures.CONFLICT);
    assertStatus(repository.resolve(t, resolved, "k", null), Failures.CONFLICT);
    // nothing was written by the refused changes
    assertThat(await(repository.audit(t, resolved, 100)).getJsonArray("items")).hasSize(2);
    assertThat(await(repository.audit(t, acked, 100)).getJsonArray("items")).hasSize(2);
  }

  @Test
  void another_tenants_alert_is_not_found() throws Exception {
    String a = tenant();
    String b = tenant();
    UUID id = UUID.fromString(raise(a, finding(a, "r", "k", "e1", T0)).changes().get(0).alert().getString("alertId"));
    assertStatus(repository.get(b, id), Failures.NOT_FOUND);
    assertStatus(repository.acknowledge(b, id, "k", null), Failures.NOT_FOUND);
    assertStatus(repository.resolve(b, id, "k", null), Failures.NOT_FOUND);
    assertStatus(repository.audit(b, id, 10), Failures.NOT_FOUND);
    assertThat(await(repository.list(b, AlertQuery.all(500))).items()).isEmpty();
    assertStatus(repository.get(a, UUID.randomUUID()), Failures.NOT_FOUND);
    assertThat(await(repository.get(a, id)).getString("status")).isEqualTo("OPEN");
    // the same dedup key in two tenants is two alerts
    assertThat(raise(b, finding(b, "r", "k", "e1", T0)).created()).isEqualTo(1);
  }

  @Test
  void pages_walk_every_alert_once_newest_first() throws Exception {
    String t = tenant();
    List<JsonObject> batch = new ArrayList<>();
    for (int i = 0; i < 57; i++) {
      // pairs share a first-seen time: the alert id breaks the tie
      batch.add(finding(t, i % 3 == 0 ? "geo_restriction" : "vpn_playback", "k" + i, "e" + i, T0.plusSeconds(i / 2))
          .put("severity", i % 2 == 0 ? "HIGH" : "LOW"));
    }
    raise(t, batch.toArray(JsonObject[]::new));

    List<JsonObject> walked = walk(t, AlertQuery.all(10));
    assertThat(walked).hasSize(57);
    assertThat(walked.stream().map(a -> a.getString("alertId")).distinct().count()).isEqualTo(57);
    for (int i = 1; i < walked.size(); i++) {
      Instant prev = Instant.parse(walked.get(i - 1).getString("firstSeenAt"));
      Instant cur = Instant.parse(walked.get(i).getString("firstSeenAt"));
      assertThat(cur).isBeforeOrEqualTo(prev);
    }

    // filters, combined with paging
    List<JsonObject> geo = walk(t, new AlertQuery(null, null, "geo_restriction", null, null, 4, null));
    assertThat(geo).hasSize(19).allMatch(a -> a.getString("ruleId").equals("geo_restriction"));
    List<JsonObject> high = walk(t, new AlertQuery(null, Severity.HIGH, null, null, null, 7, null));
    assertThat(high).hasSize(29).allMatch(a -> a.getString("severity").equals("HIGH"));
    List<JsonObject> window = walk(t, new AlertQuery(null, null, null, T0.plusSeconds(5), T0.plusSeconds(10), 3, null));
    // first-seen seconds 5..9: alerts 10..19
    assertThat(window).hasSize(10);
    assertThat(walk(t, new AlertQuery(null, Severity.LOW, "geo_restriction", T0.plusSeconds(5), T0.plusSeconds(10), 2, null)))
        .hasSize(window.stream().filter(a -> a.getString("ruleId").equals("geo_restriction")
            && a.getString("severity").equals("LOW")).toList().size());

    UUID one = UUID.fromString(walked.get(3).getString("alertId"));
    await(repository.acknowledge(t, one, "k", null));
    List<JsonObject> acknowledged = walk(t, new AlertQuery(AlertStatus.ACKNOWLEDGED, null, null, null, null, 10, null));
    assertThat(acknowledged).extracting(a -> a.getString("alertId")).containsExactly(one.toString());
    assertThat(walk(t, new AlertQuery(AlertStatus.OPEN, null, null, null, null, 500, null))).hasSize(56);
  }

  private List<JsonObject> walk(String tenant, AlertQuery query) throws Exception {
    List<JsonObject> all = new ArrayList<>();
    Set<String> cursors = new HashSet<>();
    AlertQuery q = query;
    while (true) {
      AlertRepository.Page page = await(repository.list(tenant, q));
      assertThat(page.items().size()).isLessThanOrEqualTo(query.limit());
      all.addAll(page.items());
      if (page.nextCursor() == null) {
        return all;
      }
      assertThat(cursors.add(page.nextCursor())).isTrue();
      q = q.after(AlertCursor.decode(page.nextCursor()));
    }
  }

  @Test
  void cursors_survive_a_round_trip_and_garbage_is_refused() {
    AlertCursor c = new AlertCursor(Instant.parse("2026-03-01T10:00:00.123456Z"), UUID.randomUUID());
    assertThat(AlertCursor.decode(c.encode())).isEqualTo(c);
    for (String bad : new String[] {"", "x", "!!!", "a".repeat(300), "eyJ2IjoxfQ", "bnVsbA",
        java.util.Base64.getUrlEncoder().encodeToString("{\"v\":1,\"t\":\"2026-01-01T00:00:00Z\",\"id\":\"1-1-1-1-1\"}".getBytes()),
        java.util.Base64.getUrlEncoder().withoutPadding().encodeToString("{\"v\":1,\"t\":\"+99999-01-01T00:00:00Z\",\"id\":\"00000000-0000-0000-0000-000000000000\"}".getBytes()),
        java.util.Base64.getUrlEncoder().withoutPadding().encodeToString("[1,2]".getBytes())}) {
      assertThatThrownBy(() -> AlertCursor.decode(bad)).as(bad).isInstanceOfSatisfying(Failures.Rejection.class,
          r -> assertThat(r.status()).isEqualTo(400));
    }
  }

  @Test
  void invalid_findings_are_refused_field_by_field() {
    String t = tenant();
    Finding.Parsed p = Finding.parse(new JsonObject().put("tenantId", "other").put("ruleId", "x' OR 1=1 --")
        .put("severity", "CRITICAL").put("occurredAt", "yesterday").put("subject", "tk")
        .put("evidence", new JsonObject().put("values", new JsonObject().put("s", "a\u0000b"))), t);
    assertThat(p.finding()).isNull();
    assertThat(String.join("\n", p.errors())).contains("tenantId:", "ruleId:", "severity:", "occurredAt:", "subject:",
        "dedupKey: required", "evidence.values:");
    assertThat(Finding.parse("text", t).errors()).isNotEmpty();
    // the rules engine's evidence is the values object itself
    Finding engine = parse(finding(t, "r", "k", "e", T0).put("evidence", new JsonObject().put("count", 7)));
    assertThat(engine.values()).isEqualTo(new JsonObject().put("count", 7));
  }
}
