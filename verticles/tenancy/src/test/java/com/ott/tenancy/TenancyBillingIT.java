package com.ott.tenancy;

import static org.assertj.core.api.Assertions.assertThat;

import com.ott.contract.Addresses;
import com.ott.contract.TenancyAddresses;
import com.ott.runtime.OttConfig;
import com.ott.runtime.OttProcess;
import com.ott.runtime.OttProcess.Component;
import com.ott.testkit.TestEnvironment;
import com.ott.testkit.TestServices;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Tiers, metering and invoices over the bus on real PostgreSQL, with the fixed prices of test-tiers.yaml. */
class TenancyBillingIT {
  private static OttProcess.Running process;
  private static Path tiersFile;
  private static String tiersYaml;

  @BeforeAll
  static void start() throws Exception {
    try (var in = TenancyBillingIT.class.getResourceAsStream("/com/ott/tenancy/test-tiers.yaml")) {
      tiersYaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    tiersFile = Files.createTempFile("ott-tiers", ".yaml");
    Files.writeString(tiersFile, tiersYaml);
    JsonObject config = OttConfig.load(TestEnvironment.base());
    config.put("tenancy", new JsonObject().put("tiersFile", tiersFile.toString()).put("tiersReloadMs", 100)
        .put("billingCheckMs", 3_600_000));
    process = OttProcess.start("tenancy-billing-test", config, List.of(Component.of("tenancy", TenancyVerticle::new)))
        .await(60, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    if (process != null) {
      process.close().await(20, TimeUnit.SECONDS);
    }
    Files.deleteIfExists(tiersFile);
  }

  private static JsonObject request(String address, JsonObject body) throws Exception {
    return process.vertx().eventBus().<JsonObject>request(address, body).await(10, TimeUnit.SECONDS).body();
  }

  private static int failureCode(String address, JsonObject body) {
    try {
      request(address, body);
      return 0;
    } catch (Exception e) {
      Throwable t = e instanceof ReplyException ? e : e.getCause();
      return t instanceof ReplyException re ? re.failureCode() : -1;
    }
  }

  private static String newTenant(String tier) throws Exception {
    return request(Addresses.TENANCY_CREATE_TENANT, new JsonObject().put("name", "bill-" + UUID.randomUUID()).put("tier", tier))
        .getString("tenantId");
  }

  private static void sql(String statement, Object... args) throws Exception {
    try (var c = DriverManager.getConnection(TestServices.pgJdbcUrl()); var st = c.prepareStatement(statement)) {
      for (int i = 0; i < args.length; i++) {
        st.setObject(i + 1, args[i]);
      }
      st.executeUpdate();
    }
  }

  @Test
  void a_tier_change_is_recorded_announced_and_answered_by_tier_of() throws Exception {
    String tenant = newTenant("STANDARD");
    JsonObject t = request(TenancyAddresses.TIER_OF, new JsonObject().put("tenantId", tenant));
    assertThat(t.getString("tier")).isEqualTo("STANDARD");
    assertThat(t.getLong("requestsPerSecond")).isEqualTo(50);
    assertThat(t.getLong("burst")).isEqualTo(100);
    assertThat(t.getLong("eventsPerMonth")).isEqualTo(3000);
    assertThat(t.getString("currency")).isEqualTo("USD");
    assertThat(t.getJsonArray("hardQuotas")).isEmpty();
    Promise<JsonObject> announced = Promise.promise();
    MessageConsumer<JsonObject> consumer = process.vertx().eventBus().<JsonObject>consumer(Addresses.TENANCY_INVALIDATED, m -> {
      if (tenant.equals(m.body().getString("tenantId"))) {
        announced.tryComplete(m.body());
      }
    });
    consumer.completion().await(5, TimeUnit.SECONDS);
    JsonObject changed = request(TenancyAddresses.CHANGE_TIER, new JsonObject().put("tenantId", tenant).put("tier", "premium"));
    assertThat(changed.getBoolean("changed")).isTrue();
    assertThat(changed.getString("previousTier")).isEqualTo("STANDARD");
    assertThat(changed.getString("changedAt")).endsWith("Z");
    assertThat(announced.future().await(5, TimeUnit.SECONDS).getString("tenantId")).isEqualTo(tenant);
    consumer.unregister();
    assertThat(request(TenancyAddresses.TIER_OF, new JsonObject().put("tenantId", tenant)).getLong("requestsPerSecond")).isEqualTo(200);
    assertThat(request(Addresses.TENANCY_GET_TENANT, new JsonObject().put("tenantId", tenant)).getString("tier")).isEqualTo("PREMIUM");
    assertThat(request(TenancyAddresses.CHANGE_TIER, new JsonObject().put("tenantId", tenant).put("tier", "PREMIUM"))
        .getBoolean("changed")).isFalse();

    assertThat(failureCode(TenancyAddresses.CHANGE_TIER, new JsonObject().put("tenantId", tenant))).isEqualTo(400);
    assertThat(failureCode(TenancyAddresses.CHANGE_TIER, new JsonObject().put("tenantId", tenant).put("tier", "GOLD"))).isEqualTo(400);
    assertThat(failureCode(TenancyAddresses.CHANGE_TIER, new JsonObject().put("tenantId", "t-none").put("tier", "FREE"))).isEqualTo(404);
    assertThat(failureCode(TenancyAddresses.TIER_OF, new JsonObject().put("tenantId", "t-none"))).isEqualTo(404);
  }

  @Test
  void an_edited_tiers_file_changes_tier_of_without_a_restart() throws Exception {
    String tenant = newTenant("ENTERPRISE");
    try {
      Files.writeString(tiersFile, tiersYaml.replace("requestsPerSecond: 1000", "requestsPerSecond: 1234"));
      long deadline = System.currentTimeMillis() + 10_000;
      long rate = 0;
      while (System.currentTimeMillis() < deadline) {
        rate = request(TenancyAddresses.TIER_OF, new JsonObject().put("tenantId", tenant)).getLong("requestsPerSecond");
        if (rate == 1234) {
          break;
        }
        Thread.sleep(50);
      }
      assertThat(rate).isEqualTo(1234);
    } finally {
      Files.writeString(tiersFile, tiersYaml);
    }
  }

  @Test
  void a_replayed_meter_message_is_counted_once_even_when_sent_concurrently() throws Exception {
    String tenant = newTenant("STANDARD");
    JsonObject meter = new JsonObject().put("tenantId", tenant).put("idempotencyKey", "events:" + UUID.randomUUID())
        .put("eventsAccepted", 10).put("eventsRejected", 2).put("apiCalls", 1).put("bytesStored", 4000);
    List<Future<JsonObject>> sends = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      sends.add(process.vertx().eventBus().<JsonObject>request(TenancyAddresses.METER, meter.copy()).map(m -> m.body()));
    }
    Future.all(sends).await(20, TimeUnit.SECONDS);
    assertThat(sends.stream().filter(f -> f.result().getBoolean("recorded")).count()).isEqualTo(1);
    assertThat(request(TenancyAddresses.METER, meter.copy()).getBoolean("recorded")).isFalse();
    assertThat(request(TenancyAddresses.METER, meter.copy().put("idempotencyKey", "api:x:1").put("eventsAccepted", 5))
        .getBoolean("recorded")).isTrue();
    String yesterday = LocalDate.now(ZoneOffset.UTC).minusDays(1).toString();
    assertThat(request(TenancyAddresses.METER, new JsonObject().put("tenantId", tenant).put("idempotencyKey", "old")
        .put("day", yesterday).put("apiCalls", 3)).getBoolean("recorded")).isTrue();

    String today = LocalDate.now(ZoneOffset.UTC).toString();
    JsonObject usage = request(TenancyAddresses.USAGE, new JsonObject().put("tenantId", tenant).put("from", yesterday).put("to", today));
    JsonArray days = usage.getJsonArray("days");
    assertThat(days).hasSize(2);
    assertThat(days.getJsonObject(0)).isEqualTo(new JsonObject().put("eventsAccepted", 0L).put("eventsRejected", 0L)
        .put("apiCalls", 3L).put("bytesStored", 0L).put("day", yesterday));
    assertThat(days.getJsonObject(1).getLong("eventsAccepted")).isEqualTo(15);
    assertThat(days.getJsonObject(1).getLong("eventsRejected")).isEqualTo(4);
    assertThat(usage.getJsonObject("totals")).isEqualTo(new JsonObject().put("eventsAccepted", 15L).put("eventsRejected", 4L)
        .put("apiCalls", 5L).put("bytesStored", 8000L));
  }

  @Test
  void bad_meter_and_usage_requests_are_refused_with_codes() throws Exception {
    String tenant = newTenant("FREE");
    JsonObject ok = new JsonObject().put("tenantId", tenant).put("idempotencyKey", "k-" + UUID.randomUUID());
    assertThat(failureCode(TenancyAddresses.METER, new JsonObject().put("tenantId", tenant))).isEqualTo(400);
    assertThat(failureCode(TenancyAddresses.METER, ok.copy().put("idempotencyKey", ""))).isEqualTo(400);
    assertThat(failureCode(TenancyAddresses.METER, ok.copy().put("eventsAccepted", -1))).isEqualTo(400);
    assertThat(failureCode(TenancyAddresses.METER, ok.copy().put("eventsAccepted", 1.5))).isEqualTo(400);
    assertThat(failureCode(TenancyAddresses.METER, ok.copy().put("day", "yesterday"))).isEqualTo(400);
    assertThat(failureCode(TenancyAddresses.METER, ok.copy().put("day", "2999-01-01"))).isEqualTo(400);
    assertThat(failureCode(TenancyAddresses.METER, ok.copy().put("idempotencyKey", "x".repeat(201)))).isEqualTo(400);
    assertThat(failureCode(TenancyAddresses.METER, ok.copy().put("tenantId", "t-none"))).isEqualTo(404);
    JsonObject range = new JsonObject().put("tenantId", tenant).put("from", "2026-01-01").put("to", "2026-01-31");
    assertThat(failureCode(TenancyAddresses.USAGE, range.copy().put("to", "2025-12-31"))).isEqualTo(400);
    assertThat(failureCode(TenancyAddresses.USAGE, range.copy().put("to", "2027-01-02"))).isEqualTo(400);
    assertThat(failureCode(TenancyAddresses.USAGE, range.copy().put("from", "01/01/2026"))).isEqualTo(400);
    assertThat(failureCode(TenancyAddresses.USAGE, range.copy().put("tenantId", "t-none"))).isEqualTo(404);
    assertThat(failureCode(TenancyAddresses.INVOICES, new JsonObject().put("tenantId", tenant).put("month", "2026-13"))).isEqualTo(400);
    assertThat(failureCode(TenancyAddresses.INVOICES, new JsonObject().put("tenantId", tenant).put("month", "2999-01"))).isEqualTo(400);
    assertThat(failureCode(TenancyAddresses.INVOICES, new JsonObject().put("tenantId", tenant).put("month", "2020-01"))).isEqualTo(404);
    assertThat(failureCode(TenancyAddresses.INVOICES, new JsonObject().put("tenantId", "t-none"))).isEqualTo(404);
  }

  @Test
  void a_used_up_hard_quota_shows_in_the_quota_status() throws Exception {
    String tenant = newTenant("FREE");
    JsonObject status = request(TenancyAddresses.QUOTA_STATUS, new JsonObject().put("tenantId", tenant));
    assertThat(status.getJsonArray("exceeded")).isEmpty();
    assertThat(status.getJsonArray("hardQuotas")).containsExactly("eventsPerMonth", "apiCallsPerMonth", "storageBytes");
    request(TenancyAddresses.METER, new JsonObject().put("tenantId", tenant).put("idempotencyKey", "e1").put("eventsAccepted", 1000));
    status = request(TenancyAddresses.QUOTA_STATUS, new JsonObject().put("tenantId", tenant));
    assertThat(status.getJsonObject("used").getLong("eventsAccepted")).isEqualTo(1000);
    assertThat(status.getJsonArray("exceeded")).containsExactly(
        new JsonObject().put("quota", "eventsPerMonth").put("limit", 1000L).put("used", 1000L));
    assertThat(status.getString("resetsAt")).isEqualTo(YearMonth.now(ZoneOffset.UTC).plusMonths(1).atDay(1) + "T00:00Z");
  }

  @Test
  void a_closed_month_is_invoiced_with_proration_once_and_kept_in_the_history() throws Exception {
    String tenant = newTenant("STANDARD");
    request(TenancyAddresses.CHANGE_TIER, new JsonObject().put("tenantId", tenant).put("tier", "PREMIUM"));
    // the same history as the hand-computed upgrade case of InvoiceCalculatorTest, moved into April 2026
    sql("UPDATE tenants SET created_at = '2026-02-10T09:00:00Z' WHERE tenant_id = ?", tenant);
    sql("UPDATE tier_changes SET changed_at = '2026-04-15T12:00:00Z' WHERE tenant_id = ?", tenant);
    for (Object[] row : new Object[][] {
        {"2026-04-03", 1000, 0, 0}, {"2026-04-10", 500, 0, 0}, {"2026-04-20", 20_000, 7, 16_001}}) {
      sql("INSERT INTO usage_daily (tenant_id, day, events_accepted, events_rejected, api_calls) VALUES (?, ?::date, ?, ?, ?)",
          tenant, row[0], row[1], row[2], row[3]);
    }
    JsonObject april = request(TenancyAddresses.INVOICES, new JsonObject().put("tenantId", tenant).put("month", "2026-04"))
        .getJsonArray("invoices").getJsonObject(0);
    assertThat(april.getString("status")).isEqualTo("closed");
    assertThat(april.getLong("total")).isEqualTo(6200 + 7 + 200 + 40);
    assertThat(april.getJsonArray("lines")).hasSize(5);
    assertThat(april.getString("closedAt")).isNotBlank();

    // a late meter for April does not change the closed invoice
    sql("UPDATE usage_daily SET events_accepted = events_accepted + 100000 WHERE tenant_id = ? AND day = '2026-04-20'", tenant);
    JsonObject again = request(TenancyAddresses.INVOICES, new JsonObject().put("tenantId", tenant).put("month", "2026-04"))
        .getJsonArray("invoices").getJsonObject(0);
    assertThat(again).isEqualTo(april);

    JsonObject march = request(TenancyAddresses.INVOICES, new JsonObject().put("tenantId", tenant).put("month", "2026-03"))
        .getJsonArray("invoices").getJsonObject(0);
    assertThat(march.getLong("total")).isEqualTo(3000);
    JsonObject february = request(TenancyAddresses.INVOICES, new JsonObject().put("tenantId", tenant).put("month", "2026-02"))
        .getJsonArray("invoices").getJsonObject(0);
    // created on 10 February: 19 of 28 days, 3000 * 19 / 28 = 2035.7 -> 2036
    assertThat(february.getLong("total")).isEqualTo(2036);

    JsonObject all = request(TenancyAddresses.INVOICES, new JsonObject().put("tenantId", tenant));
    JsonArray invoices = all.getJsonArray("invoices");
    assertThat(invoices.stream().map(i -> ((JsonObject) i).getString("month")))
        .startsWith("2026-04", "2026-03", "2026-02")
        .endsWith(YearMonth.now(ZoneOffset.UTC).toString());
    JsonObject draft = invoices.getJsonObject(invoices.size() - 1);
    assertThat(draft.getString("status")).isEqualTo("draft");
    assertThat(draft.getLong("total")).isEqualTo(9000);
    assertThat(all.getString("currency")).isEqualTo("USD");

    try (var c = DriverManager.getConnection(TestServices.pgJdbcUrl());
         var st = c.prepareStatement("SELECT count(*), sum(total) FROM invoices WHERE tenant_id = ?")) {
      st.setString(1, tenant);
      var rs = st.executeQuery();
      rs.next();
      assertThat(rs.getLong(1)).isEqualTo(3);
      assertThat(rs.getLong(2)).isEqualTo(6447 + 3000 + 2036);
    }
  }
}
