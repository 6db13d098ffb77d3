package com.ott.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.ott.contract.AlertAddresses;
import com.ott.contract.Addresses;
import com.ott.gateway.alerts.AlertRoutes;
import com.ott.runtime.OttConfig;
import com.ott.runtime.OttProcess;
import com.ott.runtime.OttProcess.Component;
import com.ott.store.alerts.AlertsVerticle;
import com.ott.tenancy.TenancyVerticle;
import com.ott.testkit.TestEnvironment;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The alerts and reports REST API in front of the real alerts verticle, PostgreSQL and API keys. */
class AlertRoutesIT {
  private static final Instant T0 = Instant.parse("2026-05-04T09:00:00Z");
  private static OttProcess.Running process;
  private static HttpServer server;
  private static WebClient client;

  @BeforeAll
  static void start() throws Exception {
    JsonObject config = OttConfig.load(TestEnvironment.base());
    process = OttProcess.start("alert-routes-test", config, List.of(
        Component.of("tenancy", TenancyVerticle::new),
        Component.of("alerts", AlertsVerticle::new))).await(60, TimeUnit.SECONDS);
    var vertx = process.vertx();
    // the gateway's router, as GatewayVerticle builds it, with only the alert routes
    Router router = Router.router(vertx);
    router.route().handler(RequestIds::handle);
    AlertRoutes.mount(router, new ApiKeyAuth(vertx, 30_000), vertx);
    for (int status : new int[] {404, 405, 500}) {
      router.errorHandler(status, ctx -> Problems.send(ctx, status, null));
    }
    server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(server.actualPort()));
  }

  @AfterAll
  static void stop() throws Exception {
    if (process != null) {
      process.close().await(20, TimeUnit.SECONDS);
    }
  }

  /** A new tenant: {tenantId, apiKey}. */
  private static JsonObject tenant() throws Exception {
    return process.vertx().eventBus().<JsonObject>request(Addresses.TENANCY_CREATE_TENANT,
            new JsonObject().put("name", "alerts-" + UUID.randomUUID()).put("tier", "STANDARD"))
        .await(20, TimeUnit.SECONDS).body();
  }

  private static JsonObject finding(String tenantId, String rule, String severity, String dedupKey, String eventId, Instant at) {
    return new JsonObject().put("tenantId", tenantId).put("ruleId", rule).put("severity", severity)
        .put("subject", new JsonObject().put("accountToken", "tk_" + dedupKey)).put("eventId", eventId)
        .put("occurredAt", at.toString()).put("dedupKey", dedupKey).put("evidence", new JsonObject().put("n", 1))
        .put("explanation", "test finding");
  }

  private static JsonArray raise(String tenantId, JsonObject... findings) throws Exception {
    return process.vertx().eventBus().<JsonObject>request(AlertAddresses.RAISE,
            new JsonObject().put("tenantId", tenantId).put("findings", new JsonArray(List.of((Object[]) findings))))
        .await(20, TimeUnit.SECONDS).body().getJsonArray("alerts");
  }

  private static HttpResponse<Buffer> get(JsonObject tenant, String uri) throws Exception {
    return client.get(uri).putHeader("x-api-key", tenant.getString("apiKey")).send().await(30, TimeUnit.SECONDS);
  }

  private static HttpResponse<Buffer> post(JsonObject tenant, String uri, String body) throws Exception {
    HttpRequest<Buffer> req = client.post(uri).putHeader("x-api-key", tenant.getString("apiKey"));
    if (body == null) {
      return req.send().await(30, TimeUnit.SECONDS);
    }
    return req.putHeader("content-type", "application/json").sendBuffer(Buffer.buffer(body)).await(30, TimeUnit.SECONDS);
  }

  private static JsonObject assertProblem(HttpResponse<Buffer> r, int status) {
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(status);
    assertThat(r.getHeader("content-type")).isEqualTo("application/problem+json");
    JsonObject problem = r.bodyAsJsonObject();
    assertThat(problem.getInteger("status")).isEqualTo(status);
    assertThat(problem.getString("title")).isNotBlank();
    assertThat(r.bodyAsString()).doesNotContain("Exception").doesNotContain("\tat ");
    return problem;
  }

  private static void assertInvalid(HttpResponse<Buffer> r, String... params) {
    JsonObject problem = assertProblem(r, 400);
    assertThat(problem.getJsonArray("invalidParams")).as(problem.encode()).isNotNull();
    assertThat(problem.getJsonArray("invalidParams").stream().map(o -> ((JsonObject) o).getString("name")))
        .as(problem.encode()).containsExactlyInAnyOrder(params);
  }

  @Test
  void list_filters_and_pages_through_every_alert() throws Exception {
    JsonObject t = tenant();
    String id = t.getString("tenantId");
    List<JsonObject> findings = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      findings.add(finding(id, i < 4 ? "geo_restriction" : "captions_missing", i % 2 == 0 ? "HIGH" : "LOW", "k" + i, "e" + i,
          T0.plusSeconds(i)));
    }
    raise(id, findings.toArray(JsonObject[]::new));

    Set<String> seen = new HashSet<>();
    String cursor = null;
    int pages = 0;
    do {
      HttpResponse<Buffer> r = get(t, "/api/v2/alerts?limit=3" + (cursor == null ? "" : "&cursor=" + cursor));
      assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
      assertThat(r.getHeader("content-type")).isEqualTo("application/json");
      JsonObject page = r.bodyAsJsonObject();
      assertThat(page.containsKey("nextCursor")).isTrue();
      for (Object o : page.getJsonArray("items")) {
        assertThat(seen.add(((JsonObject) o).getString("alertId"))).isTrue();
      }
      cursor = page.getString("nextCursor");
      pages++;
    } while (cursor != null);
    assertThat(seen).hasSize(7);
    assertThat(pages).isEqualTo(3);

    JsonObject filtered = get(t, "/api/v2/alerts?status=open&severity=HIGH&rule=geo_restriction"
        + "&from=2026-05-04T09:00:01Z&to=2026-05-04T11:00:03%2B02:00").bodyAsJsonObject();
    // geo_restriction, HIGH, first seen from 09:00:01 up to 09:00:03 UTC exclusive: k2 only
    assertThat(filtered.getJsonArray("items").stream().map(o -> ((JsonObject) o).getJsonObject("subject").getString("accountToken")))
        .containsExactly("tk_k2");
    assertThat(filtered.getValue("nextCursor")).isNull();
    // empty values filter nothing
    assertThat(get(t, "/api/v2/alerts?status=&severity=&rule=&limit=").bodyAsJsonObject().getJsonArray("items")).hasSize(7);
  }

  @Test
  void an_alert_is_acknowledged_and_resolved_with_its_audit_trail() throws Exception {
    JsonObject t = tenant();
    String alertId = raise(t.getString("tenantId"), finding(t.getString("tenantId"), "vpn_playback", "MEDIUM", "k", "e1", T0))
        .getJsonObject(0).getString("alertId");

    HttpResponse<Buffer> acked = post(t, "/api/v2/alerts/" + alertId + "/ack", "{\"note\":\"checking with the CDN\"}");
    assertThat(acked.statusCode()).as(acked.bodyAsString()).isEqualTo(200);
    assertThat(acked.bodyAsJsonObject().getString("status")).isEqualTo("ACKNOWLEDGED");
    assertThat(acked.bodyAsJsonObject().getString("acknowledgedBy")).isEqualTo(t.getString("keyId"));
    assertProblem(post(t, "/api/v2/alerts/" + alertId + "/ack", null), 409);

    HttpResponse<Buffer> resolved = post(t, "/api/v2/alerts/" + alertId + "/resolve", null);
    assertThat(resolved.statusCode()).as(resolved.bodyAsString()).isEqualTo(200);
    assertThat(resolved.bodyAsJsonObject().getString("status")).isEqualTo("RESOLVED");
    assertProblem(post(t, "/api/v2/alerts/" + alertId + "/resolve", "{}"), 409);
    assertProblem(post(t, "/api/v2/alerts/" + alertId + "/ack", "{}"), 409);

    JsonObject alert = get(t, "/api/v2/alerts/" + alertId).bodyAsJsonObject();
    assertThat(alert.getString("status")).isEqualTo("RESOLVED");
    JsonArray audit = alert.getJsonArray("audit");
    assertThat(audit.stream().map(o -> ((JsonObject) o).getString("action"))).containsExactly("created", "acknowledged", "resolved");
    assertThat(audit.getJsonObject(1).getString("note")).isEqualTo("checking with the CDN");
    assertThat(audit.getJsonObject(1).getString("actor")).isEqualTo(t.getString("keyId"));
    assertThat(audit.getJsonObject(2).getString("statusBefore")).isEqualTo("ACKNOWLEDGED");

    assertThat(get(t, "/api/v2/alerts?status=RESOLVED").bodyAsJsonObject().getJsonArray("items")).hasSize(1);
    assertProblem(get(t, "/api/v2/alerts/" + UUID.randomUUID()), 404);
    assertProblem(get(t, "/api/v2/alerts/not-an-id"), 404);
    assertProblem(post(t, "/api/v2/alerts/1-1-1-1-1/ack", null), 404);
  }

  @Test
  void another_tenant_can_neither_list_get_ack_nor_resolve_an_alert() throws Exception {
    JsonObject a = tenant();
    JsonObject b = tenant();
    String alertId = raise(a.getString("tenantId"), finding(a.getString("tenantId"), "geo_restriction", "HIGH", "k", "e1", T0))
        .getJsonObject(0).getString("alertId");
    assertThat(get(b, "/api/v2/alerts").bodyAsJsonObject().getJsonArray("items")).isEmpty();
    assertProblem(get(b, "/api/v2/alerts/" + alertId), 404);
    assertProblem(post(b, "/api/v2/alerts/" + alertId + "/ack", null), 404);
    assertProblem(post(b, "/api/v2/alerts/" + alertId + "/resolve", "{\"note\":\"mine now\"}"), 404);
    // a cursor from tenant A's listing shows tenant B nothing of A
    raise(a.getString("tenantId"), finding(a.getString("tenantId"), "geo_restriction", "HIGH", "k2", "e2", T0.plusSeconds(1)));
    String cursor = get(a, "/api/v2/alerts?limit=1").bodyAsJsonObject().getString("nextCursor");
    assertThat(get(b, "/api/v2/alerts?cursor=" + cursor).bodyAsJsonObject().getJsonArray("items")).isEmpty();
    // A's alert is untouched
    assertThat(get(a, "/api/v2/alerts/" + alertId).bodyAsJsonObject().getString("status")).isEqualTo("OPEN");
    assertProblem(client.get("/api/v2/alerts").send().await(10, TimeUnit.SECONDS), 401);
  }

  @Test
  void bad_query_parameters_are_400_problems_naming_each_field() throws Exception {
    JsonObject t = tenant();
    assertInvalid(get(t, "/api/v2/alerts?status=BOGUS"), "status");
    assertInvalid(get(t, "/api/v2/alerts?severity=CRITICAL&limit=0"), "severity", "limit");
    assertInvalid(get(t, "/api/v2/alerts?rule=x%27%20OR%201%3D1%20--"), "rule");
    assertInvalid(get(t, "/api/v2/alerts?status=OPEN%27%3B%20DROP%20TABLE%20alerts%3B--"), "status");
    assertInvalid(get(t, "/api/v2/alerts?from=yesterday&to=2026-01-01"), "from", "to");
    assertInvalid(get(t, "/api/v2/alerts?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z"), "to");
    assertInvalid(get(t, "/api/v2/alerts?from=%2B99999-01-01T00:00:00Z"), "from");
    assertInvalid(get(t, "/api/v2/alerts?limit=501"), "limit");
    assertInvalid(get(t, "/api/v2/alerts?limit=abc"), "limit");
    assertInvalid(get(t, "/api/v2/alerts?limit=1e3"), "limit");
    assertInvalid(get(t, "/api/v2/alerts?limit=-1"), "limit");
    assertInvalid(get(t, "/api/v2/alerts?limit=99999999999999999999"), "limit");
    assertInvalid(get(t, "/api/v2/alerts?status=OPEN&status=RESOLVED"), "status");
    assertInvalid(get(t, "/api/v2/alerts?cursor=garbage!"), "cursor");
    String notOurs = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"v\":1}".getBytes(StandardCharsets.UTF_8));
    assertInvalid(get(t, "/api/v2/alerts?cursor=" + notOurs), "cursor");
    String sqlish = Base64.getUrlEncoder().withoutPadding().encodeToString(
        "{\"v\":1,\"t\":\"2026-01-01T00:00:00Z'; DROP TABLE alerts;--\",\"id\":\"x\"}".getBytes(StandardCharsets.UTF_8));
    assertInvalid(get(t, "/api/v2/alerts?cursor=" + sqlish), "cursor");
    assertInvalid(get(t, "/api/v2/alerts?cursor=" + "A".repeat(2000)), "cursor");
  }

  @Test
  void hostile_input_never_causes_a_500() throws Exception {
    JsonObject t = tenant();
    String alertId = raise(t.getString("tenantId"), finding(t.getString("tenantId"), "geo_restriction", "HIGH", "k", "e1", T0))
        .getJsonObject(0).getString("alertId");
    // longer than the HTTP server's request line: refused before routing, but never a server error
    HttpResponse<Buffer> huge = get(t, "/api/v2/alerts?cursor=" + "A".repeat(100_000));
    assertThat(huge.statusCode()).isBetween(400, 499);
    assertProblem(get(t, "/api/v2/alerts?status=%zz"), 400);
    assertThat(get(t, "/api/v2/alerts/%00").statusCode()).isBetween(400, 499);
    assertThat(get(t, "/api/v2/alerts/..%2F..%2Fetc%2Fpasswd").statusCode()).isBetween(400, 499);
    assertProblem(post(t, "/api/v2/alerts/" + alertId + "/ack", "{not json"), 400);
    assertProblem(post(t, "/api/v2/alerts/" + alertId + "/ack", "[1,2]"), 400);
    assertProblem(post(t, "/api/v2/alerts/" + alertId + "/ack", "null"), 400);
    assertInvalid(post(t, "/api/v2/alerts/" + alertId + "/ack", "{\"note\": 42}"), "note");
    assertInvalid(post(t, "/api/v2/alerts/" + alertId + "/ack",
        new JsonObject().put("note", "n".repeat(2001)).encode()), "note");
    assertInvalid(post(t, "/api/v2/alerts/" + alertId + "/ack", "{\"note\": \"a\\u0000b\"}"), "note");
    assertProblem(post(t, "/api/v2/alerts/" + alertId + "/ack",
        new JsonObject().put("note", "n".repeat(100_000)).encode()), 413);
    assertProblem(get(t, "/api/v2/reports/compliance?from=" + "9".repeat(3000) + "&to=x"), 400);
    // still untouched after all that
    JsonObject alert = get(t, "/api/v2/alerts/" + alertId).bodyAsJsonObject();
    assertThat(alert.getString("status")).isEqualTo("OPEN");
    // a note of exactly 2000 characters (some outside the BMP) is fine
    String note = "é".repeat(1000) + "😀".repeat(1000);
    HttpResponse<Buffer> ok = post(t, "/api/v2/alerts/" + alertId + "/ack", new JsonObject().put("note", note).encode());
    assertThat(ok.statusCode()).as(ok.bodyAsString()).isEqualTo(200);
    assertThat(get(t, "/api/v2/alerts/" + alertId).bodyAsJsonObject().getJsonArray("audit").getJsonObject(1).getString("note"))
        .isEqualTo(note);
  }

  @Test
  void the_compliance_report_comes_as_json_or_csv() throws Exception {
    JsonObject t = tenant();
    String id = t.getString("tenantId");
    raise(id, finding(id, "geo_restriction", "HIGH", "a", "e1", T0), finding(id, "geo_restriction", "HIGH", "a", "e2", T0),
        finding(id, "captions_missing", "LOW", "b", "e3", T0), finding(id, "anomaly.events.playback.start", "MEDIUM", "s", null, T0));
    String period = "from=2026-05-04T00:00:00Z&to=2026-05-05T00:00:00Z";
    HttpResponse<Buffer> json = get(t, "/api/v2/reports/compliance?" + period);
    assertThat(json.statusCode()).as(json.bodyAsString()).isEqualTo(200);
    assertThat(json.getHeader("content-type")).isEqualTo("application/json");
    JsonObject report = json.bodyAsJsonObject();
    assertThat(report.getJsonObject("violations").getLong("alerts")).isEqualTo(2);
    assertThat(report.getJsonObject("violations").getLong("findings")).isEqualTo(3);
    assertThat(report.getJsonObject("anomalies").getLong("alerts")).isEqualTo(1);
    assertThat(report.getString("generatedAt")).isNotBlank();

    HttpResponse<Buffer> csv = get(t, "/api/v2/reports/compliance?" + period + "&format=csv");
    assertThat(csv.statusCode()).isEqualTo(200);
    assertThat(csv.getHeader("content-type")).startsWith("text/csv");
    assertThat(csv.bodyAsString())
        .startsWith("section,key,severity,metric,value\r\nreport,tenantId,,," + id + "\r\n")
        .contains("violations,geo_restriction,HIGH,alerts,1\r\n", "violations,geo_restriction,HIGH,findings,2\r\n",
            "violations,(total),,alerts,2\r\n", "anomalies,anomaly.events.playback.start,MEDIUM,alerts,1\r\n",
            "top_subjects,accountToken=tk_a,,findings,2\r\n")
        .doesNotContain("generatedAt");
    assertThat(get(t, "/api/v2/reports/compliance?" + period + "&format=CSV").bodyAsString()).isEqualTo(csv.bodyAsString());

    assertInvalid(get(t, "/api/v2/reports/compliance"), "from", "to");
    assertInvalid(get(t, "/api/v2/reports/compliance?from=2026-05-04T00:00:00Z"), "to");
    assertInvalid(get(t, "/api/v2/reports/compliance?from=2026-05-05T00:00:00Z&to=2026-05-04T00:00:00Z"), "to");
    assertInvalid(get(t, "/api/v2/reports/compliance?from=2025-01-01T00:00:00Z&to=2026-01-03T00:00:00Z"), "to");
    assertInvalid(get(t, "/api/v2/reports/compliance?" + period + "&format=xml"), "format");
    assertInvalid(get(t, "/api/v2/reports/compliance?from=2026-05-04&to=2026-05-05"), "from", "to");
  }
}
