package com.ott.store.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.ott.contract.Failures;
import com.ott.runtime.Postgres;
import com.ott.store.EventRepository;
import com.ott.store.alerts.AlertRepository;
import com.ott.store.alerts.Finding;
import com.ott.testkit.TestServices;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The compliance report on a hand-built dataset whose every number is known. */
class ComplianceReportIT {
  static final Instant FROM = Instant.parse("2026-03-01T00:00:00Z");
  static final Instant TO = Instant.parse("2026-03-02T00:00:00Z");
  static final Instant NOON = Instant.parse("2026-03-01T12:00:00Z");

  private static Vertx vertx;
  private static Pool pool;
  private static ComplianceReport reports;
  private static String tenant;

  static final class SteppedClock extends Clock {
    volatile Instant now;

    SteppedClock(Instant now) {
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
    reports = new ComplianceReport(pool, Clock.systemUTC());
    tenant = "t-" + UUID.randomUUID();
    buildDataset();
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().await(20, TimeUnit.SECONDS);
  }

  private static JsonObject event(String id, String type, Instant at) {
    return new JsonObject().put("eventId", id).put("type", type).put("occurredAt", at.toString());
  }

  private static JsonObject finding(String rule, String severity, JsonObject subject, String dedupKey, String eventId,
                                    Instant at) {
    return new JsonObject().put("tenantId", tenant).put("ruleId", rule).put("severity", severity).put("subject", subject)
        .put("eventId", eventId).put("occurredAt", at.toString()).put("dedupKey", dedupKey)
        .put("evidence", new JsonObject()).put("explanation", "test");
  }

  private static JsonObject account(String token) {
    return new JsonObject().put("accountToken", token);
  }

  /**
   * Events: 3 playback.start and 2 ad.impression in the period, one before it, one at its (exclusive) end.
   * Alerts first seen in the period: geo_restriction HIGH x2 (A: 2 findings, tk1+c1; B: tk2), vpn_playback MEDIUM
   * (tk2), captions_missing LOW (c1), consent_violation HIGH (tk1), anomaly.events.playback.start MEDIUM
   * (2 findings); one geo alert before the period. Created at noon; A acked +60 s, resolved +180 s;
   * B acked +120 s; consent resolved +300 s without an ack.
   */
  private static void buildDataset() throws Exception {
    JsonArray events = new JsonArray()
        .add(event("p1", "playback.start", FROM))
        .add(event("p2", "playback.start", FROM.plusSeconds(3600)))
        .add(event("p3", "playback.start", TO.minusMillis(1)))
        .add(event("a1", "ad.impression", FROM.plusSeconds(10)))
        .add(event("a2", "ad.impression", FROM.plusSeconds(20)))
        .add(event("old", "playback.start", FROM.minusSeconds(1)))
        .add(event("end", "auth.login", TO));
    new EventRepository(pool, 100).store(tenant, "test", events).await(20, TimeUnit.SECONDS);

    SteppedClock clock = new SteppedClock(NOON);
    AlertRepository alerts = new AlertRepository(pool, clock, 50, 100);
    JsonObject tk1c1 = account("tk1").put("contentId", "c1");
    List<JsonObject> raw = List.of(
        finding("geo_restriction", "HIGH", tk1c1, "geo|A", "e1", FROM.plusSeconds(600)),
        finding("geo_restriction", "HIGH", tk1c1, "geo|A", "e2", FROM.plusSeconds(700)),
        finding("geo_restriction", "HIGH", account("tk2"), "geo|B", "e3", FROM.plusSeconds(800)),
        finding("vpn_playback", "MEDIUM", account("tk2"), "vpn|B", "e4", FROM.plusSeconds(900)),
        finding("captions_missing", "LOW", new JsonObject().put("contentId", "c1"), "cap|c1", "e5", FROM.plusSeconds(1000)),
        finding("consent_violation", "HIGH", account("tk1"), "consent|tk1", "e6", FROM.plusSeconds(1100)),
        finding("anomaly.events.playback.start", "MEDIUM", new JsonObject().put("series", "events.playback.start"),
            "anomaly|1", null, FROM.plusSeconds(1200)),
        finding("anomaly.events.playback.start", "MEDIUM", new JsonObject().put("series", "events.playback.start"),
            "anomaly|1", null, FROM.plusSeconds(4800)),
        finding("geo_restriction", "HIGH", account("tk9"), "geo|old", "e0", FROM.minusSeconds(60)));
    List<Finding> findings = new ArrayList<>();
    for (JsonObject f : raw) {
      findings.add(Finding.parse(f, tenant).finding());
    }
    Map<String, UUID> ids = new LinkedHashMap<>();
    for (AlertRepository.Change c : alerts.raise(tenant, findings).await(20, TimeUnit.SECONDS).changes()) {
      ids.put(c.alert().getString("ruleId") + "/" + ComplianceReport.subjectKey(c.alert().getJsonObject("subject")),
          UUID.fromString(c.alert().getString("alertId")));
    }
    UUID a = ids.get("geo_restriction/accountToken=tk1|contentId=c1");
    UUID b = ids.get("geo_restriction/accountToken=tk2");
    UUID consent = ids.get("consent_violation/accountToken=tk1");
    clock.now = NOON.plusSeconds(60);
    alerts.acknowledge(tenant, a, "k", null).await(10, TimeUnit.SECONDS);
    clock.now = NOON.plusSeconds(120);
    alerts.acknowledge(tenant, b, "k", null).await(10, TimeUnit.SECONDS);
    clock.now = NOON.plusSeconds(180);
    alerts.resolve(tenant, a, "k", "fixed").await(10, TimeUnit.SECONDS);
    clock.now = NOON.plusSeconds(300);
    alerts.resolve(tenant, consent, "k", null).await(10, TimeUnit.SECONDS);
  }

  private static JsonObject report() throws Exception {
    return reports.generate(tenant, new ComplianceReport.Period(FROM, TO)).await(20, TimeUnit.SECONDS);
  }

  @Test
  void the_report_counts_exactly_the_period() throws Exception {
    JsonObject r = report();
    assertThat(r.getString("tenantId")).isEqualTo(tenant);
    assertThat(r.getString("from")).isEqualTo(FROM.toString());
    assertThat(r.getString("to")).isEqualTo(TO.toString());

    JsonObject events = r.getJsonObject("events");
    assertThat(events.getLong("total")).isEqualTo(5);
    assertThat(events.getJsonArray("byType")).containsExactly(
        new JsonObject().put("type", "ad.impression").put("count", 2L),
        new JsonObject().put("type", "playback.start").put("count", 3L));

    JsonObject violations = r.getJsonObject("violations");
    assertThat(violations.getLong("alerts")).isEqualTo(5);
    assertThat(violations.getLong("findings")).isEqualTo(6);
    assertThat(violations.getJsonArray("byRule")).containsExactly(
        rule("captions_missing", "LOW", 1, 1),
        rule("consent_violation", "HIGH", 1, 1),
        rule("geo_restriction", "HIGH", 2, 3),
        rule("vpn_playback", "MEDIUM", 1, 1));

    JsonArray top = r.getJsonArray("topSubjects");
    assertThat(top.stream().map(o -> ((JsonObject) o).getString("key"))).containsExactly(
        "accountToken=tk2", "accountToken=tk1|contentId=c1", "accountToken=tk1", "contentId=c1");
    assertThat(top.getJsonObject(0).getLong("alerts")).isEqualTo(2);
    assertThat(top.getJsonObject(1).getLong("findings")).isEqualTo(2);
    assertThat(top.getJsonObject(1).getJsonObject("subject")).isEqualTo(account("tk1").put("contentId", "c1"));

    JsonArray handling = r.getJsonArray("handlingTimes");
    assertThat(handling).containsExactly(
        times("OPEN->ACKNOWLEDGED", 2, 90.0, 114.0),
        times("ACKNOWLEDGED->RESOLVED", 1, 120.0, 120.0),
        times("OPEN->RESOLVED", 2, 240.0, 288.0));

    JsonObject anomalies = r.getJsonObject("anomalies");
    assertThat(anomalies.getJsonArray("byRule")).containsExactly(rule("anomaly.events.playback.start", "MEDIUM", 1, 2));
    assertThat(anomalies.getLong("alerts")).isEqualTo(1);
    assertThat(anomalies.getLong("findings")).isEqualTo(2);
  }

  @Test
  void an_empty_period_has_zeros_and_no_times() throws Exception {
    JsonObject r = reports.generate(tenant, new ComplianceReport.Period(TO.plusSeconds(86_400), TO.plusSeconds(2 * 86_400)))
        .await(20, TimeUnit.SECONDS);
    assertThat(r.getJsonObject("events").getLong("total")).isZero();
    assertThat(r.getJsonObject("violations").getJsonArray("byRule")).isEmpty();
    assertThat(r.getJsonArray("handlingTimes").getJsonObject(0).getValue("medianSeconds")).isNull();
    assertThat(ComplianceReport.toCsv(r)).contains("handling_times,OPEN->ACKNOWLEDGED,,median_seconds,\r\n");
  }

  @Test
  void the_same_period_gives_the_same_report() throws Exception {
    JsonObject first = report();
    JsonObject second = report();
    first.remove("generatedAt");
    second.remove("generatedAt");
    assertThat(second.encode()).isEqualTo(first.encode());
    assertThat(ComplianceReport.toCsv(second)).isEqualTo(ComplianceReport.toCsv(first));
  }

  @Test
  void csv_and_json_agree() throws Exception {
    JsonObject r = report();
    String csv = ComplianceReport.toCsv(r);
    assertThat(csv).doesNotContain("generatedAt").endsWith("\r\n");
    List<String[]> rows = new ArrayList<>();
    for (String line : csv.split("\r\n")) {
      rows.add(line.split(",", -1));
    }
    assertThat(rows.get(0)).containsExactly("section", "key", "severity", "metric", "value");
    assertThat(rows).allMatch(row -> row.length == 5);
    Map<String, String> cells = new LinkedHashMap<>();
    for (String[] row : rows.subList(1, rows.size())) {
      assertThat(cells.put(row[0] + "/" + row[1] + "/" + row[2] + "/" + row[3], row[4])).as("duplicate row").isNull();
    }
    assertThat(cells.get("report/tenantId//")).isEqualTo(tenant);
    for (Object o : r.getJsonObject("events").getJsonArray("byType")) {
      JsonObject e = (JsonObject) o;
      assertThat(cells.get("events/" + e.getString("type") + "//count")).isEqualTo(e.getLong("count").toString());
    }
    assertThat(cells.get("events/(total)//count")).isEqualTo("5");
    for (String section : List.of("violations", "anomalies")) {
      for (Object o : r.getJsonObject(section).getJsonArray("byRule")) {
        JsonObject v = (JsonObject) o;
        String key = section + "/" + v.getString("ruleId") + "/" + v.getString("severity") + "/";
        assertThat(cells.get(key + "alerts")).isEqualTo(v.getLong("alerts").toString());
        assertThat(cells.get(key + "findings")).isEqualTo(v.getLong("findings").toString());
      }
    }
    assertThat(cells.get("violations/(total)//alerts")).isEqualTo("5");
    for (Object o : r.getJsonArray("topSubjects")) {
      JsonObject s = (JsonObject) o;
      assertThat(cells.get("top_subjects/" + s.getString("key") + "//alerts")).isEqualTo(s.getLong("alerts").toString());
    }
    for (Object o : r.getJsonArray("handlingTimes")) {
      JsonObject h = (JsonObject) o;
      String key = "handling_times/" + h.getString("transition") + "//";
      assertThat(cells.get(key + "count")).isEqualTo(h.getLong("count").toString());
      assertThat(Double.parseDouble(cells.get(key + "median_seconds"))).isEqualTo(h.getDouble("medianSeconds"));
      assertThat(Double.parseDouble(cells.get(key + "p90_seconds"))).isEqualTo(h.getDouble("p90Seconds"));
    }
    assertThat(cells.get("handling_times/OPEN->RESOLVED//p90_seconds")).isEqualTo("288");
  }

  @Test
  void csv_cells_are_quoted_per_rfc_4180_and_formulas_are_defused() {
    assertThat(ComplianceReport.cell("plain")).isEqualTo("plain");
    assertThat(ComplianceReport.cell("a,b")).isEqualTo("\"a,b\"");
    assertThat(ComplianceReport.cell("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
    assertThat(ComplianceReport.cell("line\r\nbreak")).isEqualTo("\"line\r\nbreak\"");
    assertThat(ComplianceReport.cell("=HYPERLINK(\"x\")")).isEqualTo("\"'=HYPERLINK(\"\"x\"\")\"");
    assertThat(ComplianceReport.cell("-12.5")).isEqualTo("-12.5");
    assertThat(ComplianceReport.number(1.0E7)).isEqualTo("10000000");
    assertThat(ComplianceReport.number(0.125)).isEqualTo("0.125");
  }

  @Test
  void a_period_is_checked() {
    assertPeriodRefused(null, TO.toString(), "from:");
    assertPeriodRefused(FROM.toString(), "tomorrow", "to:");
    assertPeriodRefused(TO.toString(), FROM.toString(), "to: must be after from");
    assertPeriodRefused("2025-01-01T00:00:00Z", "2026-01-02T00:00:01Z", "at most 366 days");
    assertThat(ComplianceReport.Period.of("2025-01-01T00:00:00+01:00", "2026-01-02T00:00:00+01:00").to())
        .isEqualTo(Instant.parse("2026-01-01T23:00:00Z"));
  }

  private static void assertPeriodRefused(Object from, Object to, String message) {
    assertThatThrownBy(() -> ComplianceReport.Period.of(from, to)).isInstanceOfSatisfying(Failures.Rejection.class, r -> {
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.getMessage()).contains(message);
    });
  }

  private static JsonObject rule(String ruleId, String severity, long alerts, long findings) {
    return new JsonObject().put("ruleId", ruleId).put("severity", severity).put("alerts", alerts).put("findings", findings);
  }

  private static JsonObject times(String transition, long count, Double median, Double p90) {
    return new JsonObject().put("transition", transition).put("count", count).put("medianSeconds", median)
        .put("p90Seconds", p90);
  }
}
