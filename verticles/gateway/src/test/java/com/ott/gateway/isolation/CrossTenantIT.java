package com.ott.gateway.isolation;

import static org.assertj.core.api.Assertions.assertThat;

import com.ott.contract.Addresses;
import com.ott.contract.AlertAddresses;
import com.ott.contract.RulesAddresses;
import com.ott.contract.TenancyAddresses;
import com.ott.encryption.EncryptionVerticle;
import com.ott.gateway.GatewayVerticle;
import com.ott.ingestion.IngestionVerticle;
import com.ott.runtime.OttConfig;
import com.ott.runtime.OttProcess;
import com.ott.runtime.OttProcess.Component;
import com.ott.store.StoreVerticle;
import com.ott.store.alerts.AlertsVerticle;
import com.ott.tenancy.TenancyVerticle;
import com.ott.testkit.TestEnvironment;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Tenant A, with its own valid API key, tries to reach tenant B through every tenant REST endpoint of every API
 * version, with B's ids in the path and B's tenant id in query parameters, headers and bodies: it gets 404 (or its
 * own data), never B's data, and B's data is unchanged afterwards. The whole gateway runs on real PostgreSQL (under
 * row-level security) and Redis; the rules verticle is a bus stub that records the tenant each request is for.
 */
class CrossTenantIT {
  private static final List<String> VERSIONS = List.of("v1", "v2", "v3");
  private static final List<String> CURRENT = List.of("v2", "v3");
  private static final long B_EVENTS_METERED = 7_654_321L;
  /** In any usage figure of B: its metered events plus those it stored. */
  private static final String B_USAGE_MARK = "765432";
  private static final String ACCOUNT_OF_B = "b." + UUID.randomUUID() + "@example.com";
  private static final String IP_OF_B = "198.51.100.9";
  private static OttProcess.Running process;
  private static WebClient client;
  private static JsonObject a;
  private static JsonObject b;
  private static String eventOfB;
  private static String alertOfB;
  private static final String SUBJECT_OF_B = "tk_b_" + UUID.randomUUID();
  /** tenantId of each request the rules stub received, by address. */
  private static final Map<String, List<String>> RULES_TENANTS = new ConcurrentHashMap<>();

  @BeforeAll
  static void start() throws Exception {
    JsonObject config = OttConfig.load(TestEnvironment.withEncryption(TestEnvironment.base()));
    process = OttProcess.start("cross-tenant-test", config, List.of(
        Component.of("tenancy", TenancyVerticle::new),
        Component.of("encryption", EncryptionVerticle::new),
        Component.of("store", StoreVerticle::new),
        Component.of("alerts", AlertsVerticle::new),
        Component.of("ingestion", IngestionVerticle::new),
        Component.of("gateway", GatewayVerticle::new))).await(120, TimeUnit.SECONDS);
    var bus = process.vertx().eventBus();
    for (String address : List.of(RulesAddresses.GET_SETTINGS, RulesAddresses.PUT_SETTINGS, RulesAddresses.PUT_CATALOG,
        RulesAddresses.PUT_ACCOUNTS)) {
      bus.<JsonObject>consumer(address, m -> {
        RULES_TENANTS.computeIfAbsent(address, k -> new CopyOnWriteArrayList<>()).add(m.body().getString("tenantId"));
        m.reply(new JsonObject().put("tenantId", m.body().getString("tenantId")).put("overrides", new JsonObject()));
      });
    }
    client = WebClient.create(process.vertx(), new WebClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(config.getJsonObject("http").getJsonObject("gateway").getInteger("port")));
    a = newTenant();
    b = newTenant();
    eventOfB = storeEvent(b);
    alertOfB = raiseAlert(b);
    bus.request(TenancyAddresses.METER, new JsonObject().put("tenantId", b.getString("tenantId"))
        .put("idempotencyKey", "cross-" + UUID.randomUUID()).put("eventsAccepted", B_EVENTS_METERED)).await(20, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    if (process != null) {
      process.close().await(30, TimeUnit.SECONDS);
    }
  }

  private static JsonObject newTenant() throws Exception {
    return process.vertx().eventBus().<JsonObject>request(Addresses.TENANCY_CREATE_TENANT,
        new JsonObject().put("name", "cross-" + UUID.randomUUID()).put("tier", "ENTERPRISE")).await(20, TimeUnit.SECONDS).body();
  }

  private static String storeEvent(JsonObject tenant) throws Exception {
    String id = "cross-" + UUID.randomUUID();
    JsonArray batch = new JsonArray().add(new JsonObject().put("eventId", id).put("type", "auth.login")
        .put("occurredAt", "2026-11-25T10:00:00Z").put("accountId", ACCOUNT_OF_B)
        .put("ip", IP_OF_B));
    HttpResponse<Buffer> r = call(tenant, HttpMethod.POST, "/api/v2/events", batch);
    assertThat(r.statusCode()).as(r.bodyAsString()).isIn(200, 201, 202);
    return id;
  }

  private static String raiseAlert(JsonObject tenant) throws Exception {
    JsonObject finding = new JsonObject().put("tenantId", tenant.getString("tenantId")).put("ruleId", "vpn_playback")
        .put("severity", "HIGH").put("subject", new JsonObject().put("accountToken", SUBJECT_OF_B)).put("eventId", "e1")
        .put("occurredAt", "2026-11-25T10:00:00Z").put("dedupKey", UUID.randomUUID().toString())
        .put("evidence", new JsonObject()).put("explanation", "finding of B");
    return process.vertx().eventBus().<JsonObject>request(AlertAddresses.RAISE, finding).await(20, TimeUnit.SECONDS)
        .body().getJsonArray("alerts").getJsonObject(0).getString("alertId");
  }

  /** A request with the tenant's API key, and B's tenant id offered in the usual places a confused API might read. */
  private static HttpResponse<Buffer> call(JsonObject tenant, HttpMethod method, String uri, Object body) throws Exception {
    String spoofed = b == null ? "" : b.getString("tenantId");
    HttpRequest<Buffer> req = client.request(method, uri + (uri.contains("?") ? "&" : "?") + "tenantId=" + spoofed + "&tenant=" + spoofed)
        .putHeader("x-api-key", tenant.getString("apiKey"))
        .putHeader("x-tenant-id", spoofed).putHeader("x-ott-tenant", spoofed);
    if (body == null) {
      return req.send().await(30, TimeUnit.SECONDS);
    }
    return req.putHeader("content-type", "application/json").sendBuffer(Buffer.buffer(body.toString())).await(30, TimeUnit.SECONDS);
  }

  /** Nothing of B's data: neither its tenant id, its alert or event ids, its subject, personal data nor usage. */
  private static void assertNothingOfB(HttpResponse<Buffer> r, String what) {
    assertThat(r.statusCode()).as(what + ": " + r.bodyAsString()).isLessThan(500);
    assertThat(r.bodyAsString() == null ? "" : r.bodyAsString()).as(what)
        .doesNotContain(alertOfB).doesNotContain(eventOfB);
    assertNoDataOfB(r, what);
  }

  private static void assertNoDataOfB(HttpResponse<Buffer> r, String what) {
    assertThat(r.bodyAsString() == null ? "" : r.bodyAsString()).as(what).doesNotContain(b.getString("tenantId"))
        .doesNotContain(SUBJECT_OF_B).doesNotContain(ACCOUNT_OF_B).doesNotContain(IP_OF_B).doesNotContain(B_USAGE_MARK);
  }

  /** 404 as a problem document; it may echo the id the caller sent, nothing else of B. */
  private static void assertNotFound(HttpResponse<Buffer> r, String what) {
    assertThat(r.statusCode()).as(what + ": " + r.bodyAsString()).isEqualTo(404);
    assertThat(r.getHeader("content-type")).as(what).isEqualTo("application/problem+json");
    assertNoDataOfB(r, what);
  }

  private static JsonObject alertAsB() throws Exception {
    return process.vertx().eventBus().<JsonObject>request(AlertAddresses.GET,
        new JsonObject().put("tenantId", b.getString("tenantId")).put("alertId", alertOfB)).await(20, TimeUnit.SECONDS).body();
  }

  @Test
  void a_cannot_read_list_acknowledge_or_resolve_an_alert_of_b_in_any_version() throws Exception {
    for (String v : VERSIONS) {
      assertNotFound(call(a, HttpMethod.GET, "/api/" + v + "/alerts/" + alertOfB, null), v + " get");
      assertNotFound(call(a, HttpMethod.POST, "/api/" + v + "/alerts/" + alertOfB + "/ack", new JsonObject().put("note", "x")), v + " ack");
      assertNotFound(call(a, HttpMethod.POST, "/api/" + v + "/alerts/" + alertOfB + "/resolve", new JsonObject()), v + " resolve");
      HttpResponse<Buffer> list = call(a, HttpMethod.GET, "/api/" + v + "/alerts", null);
      assertThat(list.statusCode()).as(v + " list: " + list.bodyAsString()).isEqualTo(200);
      assertNothingOfB(list, v + " list");
      HttpResponse<Buffer> filtered = call(a, HttpMethod.GET, "/api/" + v + "/alerts?ruleId=vpn_playback&status=OPEN", null);
      assertNothingOfB(filtered, v + " filtered list");
    }
    JsonObject still = alertAsB();
    assertThat(still.getString("status")).isEqualTo("OPEN");
    assertThat(still.getString("acknowledgedBy")).isNull();
  }

  @Test
  void a_cannot_read_an_event_of_b_decrypted_and_its_own_events_never_land_in_b() throws Exception {
    for (String v : CURRENT) {
      assertNotFound(call(a, HttpMethod.GET, "/api/" + v + "/events/" + eventOfB + "?reason=curious", null), v + " decrypted read");
    }
    // an event of A that names B in every field a careless store might trust
    String id = "spoof-" + UUID.randomUUID();
    JsonArray batch = new JsonArray().add(new JsonObject().put("eventId", id).put("type", "auth.login")
        .put("occurredAt", "2026-11-25T11:00:00Z").put("accountId", "a@example.com").put("tenantId", b.getString("tenantId"))
        .put("tenant", b.getString("tenantId")));
    for (String v : VERSIONS) {
      HttpResponse<Buffer> posted = call(a, HttpMethod.POST, "/api/" + v + "/events", batch);
      assertThat(posted.statusCode()).as(v + ": " + posted.bodyAsString()).isLessThan(500);
    }
    HttpResponse<Buffer> asB = client.get("/api/v2/events/" + id + "?reason=check").putHeader("x-api-key", b.getString("apiKey"))
        .send().await(30, TimeUnit.SECONDS);
    assertThat(asB.statusCode()).as(asB.bodyAsString()).isEqualTo(404);
    long countOfB = process.vertx().eventBus().<JsonObject>request(Addresses.STORE_COUNT,
        new JsonObject().put("tenantId", b.getString("tenantId"))).await(20, TimeUnit.SECONDS).body().getLong("count");
    assertThat(countOfB).isEqualTo(1);
  }

  @Test
  void usage_invoices_and_reports_of_a_hold_nothing_of_b() throws Exception {
    for (String v : CURRENT) {
      HttpResponse<Buffer> usage = call(a, HttpMethod.GET, "/api/" + v + "/usage", null);
      assertThat(usage.statusCode()).as(usage.bodyAsString()).isEqualTo(200);
      assertThat(usage.bodyAsJsonObject().getString("tenantId")).isEqualTo(a.getString("tenantId"));
      assertNothingOfB(usage, v + " usage");
      HttpResponse<Buffer> invoices = call(a, HttpMethod.GET, "/api/" + v + "/invoices", null);
      assertThat(invoices.statusCode()).as(invoices.bodyAsString()).isEqualTo(200);
      assertThat(invoices.bodyAsJsonObject().getString("tenantId")).isEqualTo(a.getString("tenantId"));
      assertNothingOfB(invoices, v + " invoices");
      HttpResponse<Buffer> report = call(a, HttpMethod.GET,
          "/api/" + v + "/reports/compliance?from=2026-11-01T00:00:00Z&to=2026-12-01T00:00:00Z", null);
      assertThat(report.statusCode()).as(report.bodyAsString()).isEqualTo(200);
      assertThat(report.bodyAsJsonObject().getString("tenantId")).isEqualTo(a.getString("tenantId"));
      assertNothingOfB(report, v + " report");
      assertNothingOfB(call(a, HttpMethod.GET,
          "/api/" + v + "/reports/compliance?from=2026-11-01T00:00:00Z&to=2026-12-01T00:00:00Z&format=csv", null), v + " csv report");
    }
    // B's own view does hold them: the assertions above could fail
    HttpResponse<Buffer> usageOfB = client.get("/api/v2/usage").putHeader("x-api-key", b.getString("apiKey")).send().await(30, TimeUnit.SECONDS);
    assertThat(usageOfB.bodyAsString()).contains(B_USAGE_MARK);
    HttpResponse<Buffer> reportOfB = client.get("/api/v2/reports/compliance?from=2026-11-01T00:00:00Z&to=2026-12-01T00:00:00Z")
        .putHeader("x-api-key", b.getString("apiKey")).send().await(30, TimeUnit.SECONDS);
    assertThat(reportOfB.bodyAsString()).contains(SUBJECT_OF_B);
  }

  @Test
  void rules_and_reference_data_are_always_those_of_the_caller() throws Exception {
    String spoof = b.getString("tenantId");
    for (String v : CURRENT) {
      assertNothingOfB(call(a, HttpMethod.GET, "/api/" + v + "/rules", null), v + " get rules");
      assertNothingOfB(call(a, HttpMethod.PUT, "/api/" + v + "/rules", new JsonObject().put("tenantId", spoof)
          .put("rules", new JsonObject())), v + " put rules");
      call(a, HttpMethod.PUT, "/api/" + v + "/catalog", new JsonArray().add(new JsonObject().put("tenantId", spoof)));
      call(a, HttpMethod.PUT, "/api/" + v + "/accounts", new JsonArray().add(new JsonObject().put("tenantId", spoof)));
    }
    assertThat(RULES_TENANTS.get(RulesAddresses.GET_SETTINGS)).isNotEmpty().containsOnly(a.getString("tenantId"));
    assertThat(RULES_TENANTS.get(RulesAddresses.PUT_SETTINGS)).isNotEmpty().containsOnly(a.getString("tenantId"));
    assertThat(RULES_TENANTS.getOrDefault(RulesAddresses.PUT_CATALOG, List.of())).doesNotContain(spoof);
    assertThat(RULES_TENANTS.getOrDefault(RulesAddresses.PUT_ACCOUNTS, List.of())).doesNotContain(spoof);
  }

  @Test
  void a_tenant_key_opens_no_operator_route_of_b() throws Exception {
    String tenantOfB = b.getString("tenantId");
    for (var route : List.of(
        Map.entry(HttpMethod.POST, "/api/v2/admin/tenants/" + tenantOfB + "/api-keys"),
        Map.entry(HttpMethod.POST, "/api/v2/admin/tenants/" + tenantOfB + "/keys/rotate"),
        Map.entry(HttpMethod.POST, "/api/v2/admin/tenants/" + tenantOfB + "/keys/rewrap"),
        Map.entry(HttpMethod.PUT, "/api/v2/admin/tenants/" + tenantOfB + "/tier"),
        Map.entry(HttpMethod.GET, "/api/v2/admin/tenants/" + tenantOfB + "/events/" + eventOfB + "?reason=x"),
        Map.entry(HttpMethod.DELETE, "/api/v2/admin/tenants/" + tenantOfB))) {
      HttpResponse<Buffer> r = call(a, route.getKey(), route.getValue(), route.getKey() == HttpMethod.PUT
          ? new JsonObject().put("tier", "FREE") : null);
      assertThat(r.statusCode()).as(route + ": " + r.bodyAsString()).isIn(401, 403);
    }
    JsonObject stillB = process.vertx().eventBus().<JsonObject>request(Addresses.TENANCY_GET_TENANT,
        new JsonObject().put("tenantId", tenantOfB)).await(20, TimeUnit.SECONDS).body();
    assertThat(stillB.getString("tier")).isEqualTo("ENTERPRISE");
  }
}
