package com.ott.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.ott.encryption.EncryptionVerticle;
import com.ott.gateway.GatewayVerticle;
import com.ott.ingestion.IngestionVerticle;
import com.ott.rules.RulesVerticle;
import com.ott.runtime.OttConfig;
import com.ott.runtime.OttProcess;
import com.ott.runtime.OttProcess.Component;
import com.ott.store.StoreVerticle;
import com.ott.store.alerts.AlertsVerticle;
import com.ott.tenancy.TenancyVerticle;
import com.ott.testkit.TestEnvironment;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The compliance path end to end in one JVM: reference data over REST, a violating
 * event over HTTP, tokenised by encryption, evaluated by the rules on Redis state,
 * an alert stored and triaged over REST, the report counting it.
 */
class ComplianceFlowIT {
  private static OttProcess.Running process;
  private static WebClient client;
  private static String apiKey;

  @BeforeAll
  static void start() throws Exception {
    Map<String, String> env = TestEnvironment.withEncryption(TestEnvironment.base());
    env.put("OTT_RULES_ENABLED", "true");
    JsonObject config = OttConfig.load(env);
    process = OttProcess.start("compliance", config, List.of(
        Component.of("tenancy", TenancyVerticle::new),
        Component.of("encryption", EncryptionVerticle::new),
        Component.of("store", StoreVerticle::new),
        Component.of("alerts", AlertsVerticle::new),
        Component.of("rules", RulesVerticle::new),
        Component.of("ingestion", IngestionVerticle::new),
        Component.of("gateway", GatewayVerticle::new))).await(120, TimeUnit.SECONDS);
    client = WebClient.create(process.vertx(), new WebClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(Integer.parseInt(env.get("OTT_HTTP_GATEWAY_PORT"))));
    HttpResponse<Buffer> created = client.post("/api/v2/admin/tenants").putHeader("authorization", "Bearer " + TestEnvironment.ADMIN_TOKEN)
        .sendJsonObject(new JsonObject().put("name", "flow-" + UUID.randomUUID()).put("tier", "PREMIUM")).await(30, TimeUnit.SECONDS);
    apiKey = created.bodyAsJsonObject().getString("apiKey");
  }

  @AfterAll
  static void stop() throws Exception {
    if (process != null) {
      process.close().await(30, TimeUnit.SECONDS);
    }
  }

  private static HttpResponse<Buffer> call(String method, String path, Object body) throws Exception {
    var req = client.request(io.vertx.core.http.HttpMethod.valueOf(method), path).putHeader("x-api-key", apiKey);
    if (body == null) {
      return req.send().await(30, TimeUnit.SECONDS);
    }
    Buffer buffer = body instanceof JsonArray a ? a.toBuffer() : ((JsonObject) body).toBuffer();
    return req.putHeader("content-type", "application/json").sendBuffer(buffer).await(30, TimeUnit.SECONDS);
  }

  private static JsonObject title(String contentId) {
    return new JsonObject().put("contentId", contentId).put("title", "A Film").put("rating", "PG-13")
        .put("territories", new JsonArray().add("US").add("CA"))
        .put("availableFrom", "2020-01-01T00:00:00Z").put("availableUntil", "2030-01-01T00:00:00Z")
        .put("requiresCaptions", false).put("kidsContent", false).put("blockAnonymizers", false);
  }

  private static JsonObject playback(String eventId, String contentId, String country) {
    return new JsonObject().put("eventId", eventId).put("type", "playback.start").put("occurredAt", "2026-11-25T10:00:00Z")
        .put("accountId", "viewer-" + eventId).put("deviceId", "tv-1").put("ip", "203.0.113.5")
        .put("sessionId", "s-" + eventId).put("contentId", contentId).put("country", country);
  }

  private static JsonArray alerts(String query) throws Exception {
    return call("GET", "/api/v2/alerts" + query, null).bodyAsJsonObject().getJsonArray("items");
  }

  private static JsonArray awaitAlerts(String query, int n) throws Exception {
    long deadline = System.currentTimeMillis() + 60_000;
    JsonArray items = alerts(query);
    while (items.size() < n && System.currentTimeMillis() < deadline) {
      Thread.sleep(200);
      items = alerts(query);
    }
    return items;
  }

  @Test
  void reference_data_is_validated_entry_by_entry() throws Exception {
    HttpResponse<Buffer> bad = call("PUT", "/api/v2/catalog", new JsonArray().add(title("ok-1")).add(new JsonObject().put("contentId", 5)));
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.bodyAsJsonObject().getJsonArray("errors")).hasSize(1);
    assertThat(call("PUT", "/api/v2/catalog", new JsonObject()).statusCode()).isEqualTo(400);
    assertThat(call("PUT", "/api/v2/rules", new JsonObject().put("rules", new JsonObject()
        .put("concurrent_streams", new JsonObject().put("defaultMaxStreams", 0)))).statusCode()).isEqualTo(400);
    HttpResponse<Buffer> settings = call("GET", "/api/v2/rules", null);
    assertThat(settings.statusCode()).isEqualTo(200);
    assertThat(settings.bodyAsJsonObject().getJsonObject("effective").encode()).contains("geo_restriction");
  }

  @Test
  void a_playback_outside_the_licensed_territory_raises_one_alert_that_an_analyst_can_triage() throws Exception {
    String content = "film-" + UUID.randomUUID();
    assertThat(call("PUT", "/api/v2/catalog", new JsonArray().add(title(content))).statusCode()).isEqualTo(200);
    JsonArray account = new JsonArray().add(new JsonObject().put("accountId", "viewer-geo").put("plan", "standard")
        .put("maxStreams", 2).put("residence", "US").put("profiles", new JsonObject()));
    assertThat(call("PUT", "/api/v2/accounts", account).statusCode()).isEqualTo(200);

    JsonArray batch = new JsonArray().add(playback("geo-" + UUID.randomUUID(), content, "BR"))
        .add(playback("ok-" + UUID.randomUUID(), content, "US"));
    assertThat(call("POST", "/api/v2/events", batch).statusCode()).isEqualTo(202);
    JsonArray raised = awaitAlerts("?rule=geo_restriction&status=OPEN", 1);
    JsonArray mine = new JsonArray();
    raised.forEach(a -> {
      if (((JsonObject) a).getJsonObject("subject").getString("contentId", "").equals(content)) {
        mine.add(a);
      }
    });
    assertThat(mine).hasSize(1);
    JsonObject alert = mine.getJsonObject(0);
    assertThat(alert.getString("severity")).isEqualTo("HIGH");
    assertThat(alert.encode()).doesNotContain("viewer-geo");

    // a replay of the same batch stores nothing new, so raises nothing new
    assertThat(call("POST", "/api/v2/events", batch).bodyAsJsonObject().getInteger("stored")).isZero();
    Thread.sleep(1000);
    String id = alert.getString("alertId");
    assertThat(call("GET", "/api/v2/alerts/" + id, null).bodyAsJsonObject().getInteger("count")).isEqualTo(1);

    assertThat(call("POST", "/api/v2/alerts/" + id + "/ack", new JsonObject().put("note", "looking")).statusCode()).isEqualTo(200);
    assertThat(call("POST", "/api/v2/alerts/" + id + "/resolve", new JsonObject().put("note", "licence fixed")).statusCode()).isEqualTo(200);
    assertThat(call("POST", "/api/v2/alerts/" + id + "/ack", new JsonObject()).statusCode()).isEqualTo(409);

    HttpResponse<Buffer> report = call("GET", "/api/v2/reports/compliance?from=2026-11-25T00:00:00Z&to=2026-11-26T00:00:00Z&format=json", null);
    assertThat(report.statusCode()).as(report.bodyAsString()).isEqualTo(200);
    assertThat(report.bodyAsString()).contains("geo_restriction");
    HttpResponse<Buffer> again = call("GET", "/api/v2/reports/compliance?from=2026-11-25T00:00:00Z&to=2026-11-26T00:00:00Z&format=json", null);
    assertThat(again.bodyAsJsonObject().copy().put("generatedAt", "")).isEqualTo(report.bodyAsJsonObject().copy().put("generatedAt", ""));
  }
}
