package com.ott.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.ott.contract.Addresses;
import com.ott.contract.AlertAddresses;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The three API versions over one core, through the whole gateway (tenancy, ingestion, store, alerts on real
 * PostgreSQL and Redis): v1 deprecated with its legacy event shape and offset pages, v3 preview with per-event
 * results and {data, page} lists; and CORS for the configured origin only.
 */
class ApiVersionsIT {
  private static final String ORIGIN = "https://dashboard.example.com";
  private static final Instant T0 = Instant.parse("2026-05-04T09:00:00Z");
  private static OttProcess.Running process;
  private static WebClient client;
  private static String tenantId;
  private static String apiKey;

  @BeforeAll
  static void start() throws Exception {
    JsonObject config = OttConfig.load(TestEnvironment.base());
    config.getJsonObject("http").getJsonObject("gateway").put("corsOrigins", ORIGIN);
    process = OttProcess.start("api-versions-test", config, List.of(
        Component.of("tenancy", TenancyVerticle::new),
        Component.of("store", StoreVerticle::new),
        Component.of("alerts", AlertsVerticle::new),
        Component.of("ingestion", IngestionVerticle::new),
        Component.of("gateway", GatewayVerticle::new))).await(60, TimeUnit.SECONDS);
    client = WebClient.create(process.vertx(), new WebClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(config.getJsonObject("http").getJsonObject("gateway").getInteger("port")));
    JsonObject tenant = newTenant();
    tenantId = tenant.getString("tenantId");
    apiKey = tenant.getString("apiKey");
  }

  @AfterAll
  static void stop() throws Exception {
    if (process != null) {
      process.close().await(20, TimeUnit.SECONDS);
    }
  }

  private static JsonObject newTenant() throws Exception {
    return process.vertx().eventBus().<JsonObject>request(Addresses.TENANCY_CREATE_TENANT,
        new JsonObject().put("name", "versions-" + UUID.randomUUID()).put("tier", "ENTERPRISE")).await(20, TimeUnit.SECONDS).body();
  }

  private static HttpResponse<Buffer> send(HttpMethod method, String uri, String key, String contentType, Buffer body)
      throws Exception {
    HttpRequest<Buffer> req = client.request(method, uri);
    if (key != null) {
      req.putHeader("x-api-key", key);
    }
    if (contentType != null) {
      req.putHeader("content-type", contentType);
    }
    return (body == null ? req.send() : req.sendBuffer(body)).await(30, TimeUnit.SECONDS);
  }

  private static HttpResponse<Buffer> get(String uri) throws Exception {
    return send(HttpMethod.GET, uri, apiKey, null, null);
  }

  private static JsonObject storedEvent(String eventId) throws Exception {
    return process.vertx().eventBus().<JsonObject>request(Addresses.STORE_GET_EVENT,
        new JsonObject().put("tenantId", tenantId).put("eventId", eventId)).await(10, TimeUnit.SECONDS).body();
  }

  private static void assertDeprecated(HttpResponse<Buffer> r) {
    assertThat(r.getHeader("Deprecation")).isEqualTo("@1767225600");
    assertThat(r.getHeader("Sunset")).isEqualTo("Wed, 30 Jun 2027 23:59:59 GMT");
    assertThat(r.getHeader("Link")).contains("<https://ott-compliance.dev/docs/migration-v1-v2>; rel=\"deprecation\"");
  }

  @Test
  void every_v1_response_says_it_is_deprecated_and_v2_responses_do_not() throws Exception {
    HttpResponse<Buffer> ok = get("/api/v1/alerts");
    assertThat(ok.statusCode()).as(ok.bodyAsString()).isEqualTo(200);
    assertDeprecated(ok);
    HttpResponse<Buffer> unauthenticated = send(HttpMethod.GET, "/api/v1/alerts", null, null, null);
    assertThat(unauthenticated.statusCode()).isEqualTo(401);
    assertDeprecated(unauthenticated);
    // v1 never had reference data: unknown there, and still deprecated
    HttpResponse<Buffer> missing = get("/api/v1/rules");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.getHeader("content-type")).isEqualTo("application/problem+json");
    assertDeprecated(missing);

    HttpResponse<Buffer> current = get("/api/v2/alerts");
    assertThat(current.statusCode()).isEqualTo(200);
    assertThat(current.getHeader("Deprecation")).isNull();
    assertThat(current.getHeader("Sunset")).isNull();
    assertThat(current.getHeader("X-API-Preview")).isNull();
    assertThat(current.getHeader("X-Request-Id")).isNotBlank();
    assertThat(current.getHeader("X-Content-Type-Options")).isEqualTo("nosniff");
  }

  @Test
  void v1_legacy_events_are_stored_as_schema_v2_events() throws Exception {
    String run = UUID.randomUUID().toString();
    long ts = Instant.parse("2026-11-25T10:00:00.250Z").toEpochMilli();
    JsonArray batch = new JsonArray()
        .add(new JsonObject().put("id", run + "-1").put("type", "playback.start").put("ts", ts).put("accountId", "acc-1")
            .put("sessionId", "s-1").put("contentId", "c-1").put("country", "US").put("appVersion", "7.2").put("cdn", "edge-3"))
        .add(new JsonObject().put("id", run + "-2").put("type", "auth.login").put("accountId", "acc-1"))
        .add(new JsonObject().put("id", run + "-3").put("type", "auth.login").put("ts", "yesterday").put("accountId", "acc-1"));
    HttpResponse<Buffer> r = send(HttpMethod.POST, "/api/v1/events", apiKey, "application/json", batch.toBuffer());
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(202);
    assertDeprecated(r);
    JsonObject result = r.bodyAsJsonObject();
    assertThat(result.getInteger("accepted")).isEqualTo(1);
    assertThat(result.getInteger("stored")).isEqualTo(1);
    JsonArray rejected = result.getJsonArray("rejected");
    assertThat(rejected).hasSize(2);
    // the reply speaks v1: id and ts, not eventId and occurredAt
    assertThat(rejected.getJsonObject(0).getString("id")).isEqualTo(run + "-2");
    assertThat(rejected.getJsonObject(0).containsKey("eventId")).isFalse();
    assertThat(rejected.getJsonObject(0).getJsonArray("errors").encode()).contains("ts: required").doesNotContain("occurredAt");
    assertThat(rejected.getJsonObject(1).getInteger("index")).isEqualTo(2);

    JsonObject stored = storedEvent(run + "-1");
    assertThat(stored.getString("occurredAt")).startsWith("2026-11-25T10:00:00.25");
    JsonObject payload = stored.getJsonObject("payload");
    assertThat(payload.getString("eventId")).isEqualTo(run + "-1");
    assertThat(payload.containsKey("id")).isFalse();
    assertThat(payload.containsKey("ts")).isFalse();
    assertThat(payload.getJsonObject("attributes")).isEqualTo(new JsonObject().put("appVersion", "7.2").put("cdn", "edge-3"));

    // NDJSON keeps its lines: the unreadable one is rejected at its own index
    String ndjson = new JsonObject().put("id", run + "-4").put("type", "auth.login").put("ts", ts).put("accountId", "a").encode()
        + "\n{broken\n" + new JsonObject().put("id", run + "-5").put("type", "auth.login").put("ts", ts).put("accountId", "a").encode() + "\n";
    HttpResponse<Buffer> lines = send(HttpMethod.POST, "/api/v1/events", apiKey, "application/x-ndjson", Buffer.buffer(ndjson));
    assertThat(lines.statusCode()).as(lines.bodyAsString()).isEqualTo(202);
    assertThat(lines.bodyAsJsonObject().getInteger("stored")).isEqualTo(2);
    assertThat(lines.bodyAsJsonObject().getJsonArray("rejected").getJsonObject(0).getInteger("index")).isEqualTo(1);
    assertThat(storedEvent(run + "-5").getJsonObject("payload").getString("eventId")).isEqualTo(run + "-5");
  }

  @Test
  void v1_pages_alerts_by_offset_and_limit() throws Exception {
    JsonObject tenant = newTenant();
    String id = tenant.getString("tenantId");
    List<Object> findings = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      findings.add(new JsonObject().put("tenantId", id).put("ruleId", "geo_restriction").put("severity", "HIGH")
          .put("subject", new JsonObject().put("accountToken", "tk_k" + i)).put("eventId", "e" + i)
          .put("occurredAt", T0.plusSeconds(i).toString()).put("dedupKey", "k" + i).put("evidence", new JsonObject())
          .put("explanation", "test finding"));
    }
    process.vertx().eventBus().request(AlertAddresses.RAISE, new JsonObject().put("tenantId", id).put("findings", new JsonArray(findings)))
        .await(20, TimeUnit.SECONDS);
    String key = tenant.getString("apiKey");
    JsonArray all = send(HttpMethod.GET, "/api/v2/alerts", key, null, null).bodyAsJsonObject().getJsonArray("items");
    assertThat(all).hasSize(7);

    HttpResponse<Buffer> first = send(HttpMethod.GET, "/api/v1/alerts?offset=0&limit=3&severity=HIGH", key, null, null);
    assertThat(first.statusCode()).as(first.bodyAsString()).isEqualTo(200);
    JsonObject page = first.bodyAsJsonObject();
    assertThat(page.getInteger("offset")).isZero();
    assertThat(page.getInteger("limit")).isEqualTo(3);
    assertThat(page.getJsonArray("items").getList()).isEqualTo(all.getList().subList(0, 3));
    assertThat(page.containsKey("nextCursor")).isFalse();
    assertThat(first.getHeader("Link")).contains("</api/v1/alerts?offset=3&limit=3&severity=HIGH>; rel=\"next\"")
        .contains("rel=\"deprecation\"");

    JsonObject middle = send(HttpMethod.GET, "/api/v1/alerts?offset=3&limit=3", key, null, null).bodyAsJsonObject();
    assertThat(middle.getJsonArray("items").getList()).isEqualTo(all.getList().subList(3, 6));
    HttpResponse<Buffer> last = send(HttpMethod.GET, "/api/v1/alerts?offset=6&limit=3", key, null, null);
    assertThat(last.bodyAsJsonObject().getJsonArray("items").getList()).isEqualTo(all.getList().subList(6, 7));
    assertThat(last.getHeader("Link")).doesNotContain("rel=\"next\"");
    assertThat(send(HttpMethod.GET, "/api/v1/alerts?offset=20", key, null, null).bodyAsJsonObject().getJsonArray("items")).isEmpty();

    HttpResponse<Buffer> bad = send(HttpMethod.GET, "/api/v1/alerts?offset=-1&limit=0", key, null, null);
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.bodyAsJsonObject().getJsonArray("invalidParams").stream().map(o -> ((JsonObject) o).getString("name")))
        .containsExactlyInAnyOrder("offset", "limit");
  }

  @Test
  void v3_is_a_preview_with_per_event_results_and_data_page_lists() throws Exception {
    String run = UUID.randomUUID().toString();
    JsonArray batch = new JsonArray()
        .add(new JsonObject().put("eventId", run + "-a").put("type", "auth.login").put("occurredAt", "2026-11-25T10:00:00Z")
            .put("accountId", "acc-1"))
        .add(new JsonObject().put("eventId", run + "-b").put("type", "video.teleport").put("occurredAt", "2026-11-25T10:00:00Z"))
        .add(new JsonObject().put("eventId", run + "-c").put("type", "auth.login").put("occurredAt", "2026-11-25T10:00:01Z")
            .put("accountId", "acc-1"));
    HttpResponse<Buffer> r = send(HttpMethod.POST, "/api/v3/events", apiKey, "application/json", batch.toBuffer());
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(207);
    assertThat(r.getHeader("X-API-Preview")).isEqualTo("true");
    assertThat(r.getHeader("Deprecation")).isNull();
    JsonObject body = r.bodyAsJsonObject();
    assertThat(body.getInteger("accepted")).isEqualTo(2);
    assertThat(body.getInteger("stored")).isEqualTo(2);
    JsonArray results = body.getJsonArray("results");
    assertThat(results.stream().map(o -> ((JsonObject) o).getString("status"))).containsExactly("accepted", "rejected", "accepted");
    assertThat(results.getJsonObject(1).getString("eventId")).isEqualTo(run + "-b");
    assertThat(results.getJsonObject(1).getJsonArray("errors").encode()).contains("type");

    HttpResponse<Buffer> alerts = get("/api/v3/alerts?limit=2");
    assertThat(alerts.statusCode()).as(alerts.bodyAsString()).isEqualTo(200);
    assertThat(alerts.getHeader("X-API-Preview")).isEqualTo("true");
    JsonObject list = alerts.bodyAsJsonObject();
    assertThat(list.fieldNames()).containsExactlyInAnyOrder("data", "page");
    assertThat(list.getJsonObject("page").getInteger("limit")).isEqualTo(2);
    assertThat(list.getJsonObject("page").getBoolean("hasMore")).isFalse();
    // the rest of v2 is served by v3 unchanged
    assertThat(get("/api/v3/usage").statusCode()).isEqualTo(200);
  }

  @Test
  void cors_lets_the_configured_origin_in_and_refuses_others() throws Exception {
    HttpResponse<Buffer> preflight = client.request(HttpMethod.OPTIONS, "/api/v2/events")
        .putHeader("Origin", ORIGIN).putHeader("Access-Control-Request-Method", "POST")
        .putHeader("Access-Control-Request-Headers", "content-type,x-api-key").send().await(10, TimeUnit.SECONDS);
    assertThat(preflight.statusCode()).isEqualTo(204);
    assertThat(preflight.getHeader("Access-Control-Allow-Origin")).isEqualTo(ORIGIN);
    assertThat(preflight.getHeader("Access-Control-Allow-Methods")).contains("POST");
    assertThat(preflight.getHeader("Access-Control-Allow-Headers").toLowerCase()).contains("x-api-key").contains("authorization");

    HttpResponse<Buffer> read = client.get("/api/v2/alerts").putHeader("Origin", ORIGIN).putHeader("x-api-key", apiKey)
        .send().await(10, TimeUnit.SECONDS);
    assertThat(read.statusCode()).isEqualTo(200);
    assertThat(read.getHeader("Access-Control-Allow-Origin")).isEqualTo(ORIGIN);
    assertThat(read.getHeader("Access-Control-Expose-Headers")).contains("RateLimit-Remaining").contains("X-Request-Id");
    assertThat(read.getHeader("X-Request-Id")).isNotBlank();

    HttpResponse<Buffer> other = client.get("/api/v2/alerts").putHeader("Origin", "https://evil.example.net")
        .putHeader("x-api-key", apiKey).send().await(10, TimeUnit.SECONDS);
    assertThat(other.statusCode()).isEqualTo(403);
    assertThat(other.getHeader("content-type")).isEqualTo("application/problem+json");
    assertThat(other.getHeader("Access-Control-Allow-Origin")).isNull();
  }
}
