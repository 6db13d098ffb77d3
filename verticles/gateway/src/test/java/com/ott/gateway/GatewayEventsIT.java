package com.ott.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.ott.contract.Addresses;
import com.ott.ingestion.IngestionVerticle;
import com.ott.runtime.OttConfig;
import com.ott.runtime.OttProcess;
import com.ott.runtime.OttProcess.Component;
import com.ott.store.StoreVerticle;
import com.ott.tenancy.TenancyVerticle;
import com.ott.testkit.TestEnvironment;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The public events endpoint against real PostgreSQL, through tenancy, ingestion and store. */
class GatewayEventsIT {
  private static OttProcess.Running process;
  private static WebClient client;
  private static String tenantId;
  private static String apiKey;

  @BeforeAll
  static void start() throws Exception {
    JsonObject config = OttConfig.load(TestEnvironment.base());
    config.getJsonObject("ingest").put("maxBatchEvents", 50).put("maxEventBytes", 4096).put("maxBatchBytes", 200_000);
    process = OttProcess.start("gateway-test", config, List.of(
        Component.of("tenancy", TenancyVerticle::new),
        Component.of("store", StoreVerticle::new),
        Component.of("ingestion", IngestionVerticle::new),
        Component.of("gateway", GatewayVerticle::new))).await(60, TimeUnit.SECONDS);
    client = WebClient.create(process.vertx(), new WebClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(config.getJsonObject("http").getJsonObject("gateway").getInteger("port")));
    HttpResponse<Buffer> created = client.post("/api/v2/admin/tenants")
        .putHeader("authorization", "Bearer " + TestEnvironment.ADMIN_TOKEN)
        .sendJsonObject(new JsonObject().put("name", "gw-" + UUID.randomUUID()).put("tier", "STANDARD"))
        .await(20, TimeUnit.SECONDS);
    assertThat(created.statusCode()).isEqualTo(201);
    tenantId = created.bodyAsJsonObject().getString("tenantId");
    apiKey = created.bodyAsJsonObject().getString("apiKey");
  }

  @AfterAll
  static void stop() throws Exception {
    if (process != null) {
      process.close().await(20, TimeUnit.SECONDS);
    }
  }

  static JsonObject event(String id) {
    return new JsonObject().put("eventId", id).put("type", "playback.start").put("occurredAt", "2026-11-25T10:00:00Z")
        .put("accountId", "acc-1").put("sessionId", "s-1").put("contentId", "c-1").put("country", "US");
  }

  private HttpResponse<Buffer> post(String contentType, Buffer body) throws Exception {
    var req = client.post("/api/v2/events").putHeader("x-api-key", apiKey);
    if (contentType != null) {
      req.putHeader("content-type", contentType);
    }
    return req.sendBuffer(body).await(30, TimeUnit.SECONDS);
  }

  private long storedCount() throws Exception {
    return process.vertx().eventBus().<JsonObject>request(Addresses.STORE_COUNT, new JsonObject().put("tenantId", tenantId))
        .await(10, TimeUnit.SECONDS).body().getLong("count");
  }

  private static void assertProblem(HttpResponse<Buffer> r, int status) {
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(status);
    assertThat(r.getHeader("content-type")).isEqualTo("application/problem+json");
    JsonObject problem = r.bodyAsJsonObject();
    assertThat(problem.getInteger("status")).isEqualTo(status);
    assertThat(problem.getString("title")).isNotBlank();
    assertThat(r.bodyAsString()).doesNotContain("Exception").doesNotContain("\tat ");
  }

  @Test
  void a_valid_batch_is_stored_and_a_replay_stores_nothing_new() throws Exception {
    String run = UUID.randomUUID().toString();
    JsonArray batch = new JsonArray();
    for (int i = 0; i < 20; i++) {
      batch.add(event(run + "-" + i));
    }
    long before = storedCount();
    HttpResponse<Buffer> first = post("application/json", batch.toBuffer());
    assertThat(first.statusCode()).isEqualTo(202);
    assertThat(first.bodyAsJsonObject().getInteger("accepted")).isEqualTo(20);
    assertThat(first.bodyAsJsonObject().getInteger("stored")).isEqualTo(20);
    assertThat(storedCount()).isEqualTo(before + 20);

    HttpResponse<Buffer> replay = post("application/json", batch.toBuffer());
    assertThat(replay.statusCode()).isEqualTo(202);
    assertThat(replay.bodyAsJsonObject().getInteger("stored")).isZero();
    assertThat(replay.bodyAsJsonObject().getInteger("duplicates")).isEqualTo(20);
    assertThat(storedCount()).isEqualTo(before + 20);
  }

  @Test
  void ndjson_with_one_bad_line_keeps_the_good_events() throws Exception {
    String run = UUID.randomUUID().toString();
    String body = event(run + "-a").encode() + "\n{not json\n\n" + event(run + "-b").encode() + "\r\n";
    HttpResponse<Buffer> r = post("application/x-ndjson", Buffer.buffer(body));
    assertThat(r.statusCode()).isEqualTo(202);
    JsonObject result = r.bodyAsJsonObject();
    assertThat(result.getInteger("accepted")).isEqualTo(2);
    assertThat(result.getJsonArray("rejected")).hasSize(1);
    assertThat(result.getJsonArray("rejected").getJsonObject(0).getInteger("index")).isEqualTo(1);
  }

  @Test
  void invalid_events_are_rejected_one_by_one_with_field_errors() throws Exception {
    String run = UUID.randomUUID().toString();
    JsonObject missingTime = event(run + "-1");
    missingTime.remove("occurredAt");
    JsonArray batch = new JsonArray()
        .add(event(run + "-0"))
        .add(missingTime)
        .add(event(run + "-2").put("occurredAt", "not a time"))
        .add(event(run + "-3").put("type", "video.teleport"))
        .add(event(run + "-0"))
        .add("a string")
        .add(event(run + "-6").put("attributes", new JsonObject().put("x", "y".repeat(5000))));
    HttpResponse<Buffer> r = post("application/json", batch.toBuffer());
    assertThat(r.statusCode()).isEqualTo(202);
    JsonObject result = r.bodyAsJsonObject();
    assertThat(result.getInteger("accepted")).isEqualTo(1);
    JsonArray rejected = result.getJsonArray("rejected");
    assertThat(rejected).hasSize(6);
    assertThat(rejected.getJsonObject(0).encode()).contains("\"index\":1").contains("occurredAt: required");
    assertThat(rejected.getJsonObject(1).encode()).contains("occurredAt: not an RFC 3339 timestamp");
    assertThat(rejected.getJsonObject(2).encode()).contains("type: unknown event type 'video.teleport'");
    assertThat(rejected.getJsonObject(3).encode()).contains("duplicate of the event at index 0");
    assertThat(rejected.getJsonObject(4).encode()).contains("must be a JSON object");
    assertThat(rejected.getJsonObject(5).encode()).contains("exceeds the limit of 4096");
  }

  @Test
  void malformed_json_is_a_400_problem() throws Exception {
    assertProblem(post("application/json", Buffer.buffer("[{\"eventId\": ")), 400);
    assertProblem(post("application/json", Buffer.buffer("{]")), 400);
    assertProblem(post("application/json", Buffer.buffer("42")), 400);
    assertProblem(post("application/json", Buffer.buffer("[] trailing")), 400);
  }

  @Test
  void an_empty_body_is_a_400_problem() throws Exception {
    assertProblem(post("application/json", Buffer.buffer()), 400);
    assertProblem(post("application/x-ndjson", Buffer.buffer("\n \n")), 400);
  }

  @Test
  void a_wrong_content_type_is_a_415_problem() throws Exception {
    assertProblem(post("text/plain", Buffer.buffer("[]")), 415);
    assertProblem(post(null, Buffer.buffer("[]")), 415);
  }

  @Test
  void batches_over_the_limits_are_413_problems() throws Exception {
    JsonArray tooMany = new JsonArray();
    for (int i = 0; i < 51; i++) {
      tooMany.add(event("many-" + i));
    }
    assertProblem(post("application/json", tooMany.toBuffer()), 413);
    assertProblem(post("application/x-ndjson", Buffer.buffer("x".repeat(250_000))), 413);
  }

  @Test
  void a_missing_or_wrong_api_key_is_a_401_problem() throws Exception {
    HttpResponse<Buffer> none = client.post("/api/v2/events").putHeader("content-type", "application/json")
        .sendBuffer(Buffer.buffer("[]")).await(10, TimeUnit.SECONDS);
    assertProblem(none, 401);
    HttpResponse<Buffer> wrong = client.post("/api/v2/events").putHeader("content-type", "application/json")
        .putHeader("x-api-key", "ott_kwrong_" + "A".repeat(43)).sendBuffer(new JsonArray().add(event("x")).toBuffer())
        .await(10, TimeUnit.SECONDS);
    assertProblem(wrong, 401);
    HttpResponse<Buffer> bearer = client.post("/api/v2/events").putHeader("content-type", "application/json")
        .putHeader("authorization", "Bearer " + apiKey).sendBuffer(new JsonArray().add(event(UUID.randomUUID().toString())).toBuffer())
        .await(10, TimeUnit.SECONDS);
    assertThat(bearer.statusCode()).isEqualTo(202);
  }

  @Test
  void the_admin_api_needs_the_admin_token() throws Exception {
    HttpResponse<Buffer> none = client.post("/api/v2/admin/tenants")
        .sendJsonObject(new JsonObject().put("name", "x")).await(10, TimeUnit.SECONDS);
    assertProblem(none, 401);
    HttpResponse<Buffer> tenantKey = client.post("/api/v2/admin/tenants").putHeader("authorization", "Bearer " + apiKey)
        .sendJsonObject(new JsonObject().put("name", "x")).await(10, TimeUnit.SECONDS);
    assertProblem(tenantKey, 401);
    HttpResponse<Buffer> badTier = client.post("/api/v2/admin/tenants")
        .putHeader("authorization", "Bearer " + TestEnvironment.ADMIN_TOKEN)
        .sendJsonObject(new JsonObject().put("name", "t-" + UUID.randomUUID()).put("tier", "GOLD")).await(10, TimeUnit.SECONDS);
    assertProblem(badTier, 400);
    HttpResponse<Buffer> garbage = client.post("/api/v2/admin/tenants")
        .putHeader("authorization", "Bearer " + TestEnvironment.ADMIN_TOKEN).putHeader("content-type", "application/json")
        .sendBuffer(Buffer.buffer("{{{")).await(10, TimeUnit.SECONDS);
    assertProblem(garbage, 400);
  }

  @Test
  void a_taken_tenant_name_is_a_409_problem() throws Exception {
    String name = "dup-" + UUID.randomUUID();
    var admin = client.post("/api/v2/admin/tenants").putHeader("authorization", "Bearer " + TestEnvironment.ADMIN_TOKEN);
    assertThat(admin.sendJsonObject(new JsonObject().put("name", name)).await(10, TimeUnit.SECONDS).statusCode()).isEqualTo(201);
    assertProblem(client.post("/api/v2/admin/tenants").putHeader("authorization", "Bearer " + TestEnvironment.ADMIN_TOKEN)
        .sendJsonObject(new JsonObject().put("name", name)).await(10, TimeUnit.SECONDS), 409);
  }

  @Test
  void unknown_paths_and_methods_are_problems_too() throws Exception {
    assertProblem(client.get("/api/v2/nothing-here").send().await(10, TimeUnit.SECONDS), 404);
    HttpResponse<Buffer> get = client.get("/api/v2/events").putHeader("x-api-key", apiKey).send().await(10, TimeUnit.SECONDS);
    assertThat(get.statusCode()).isIn(404, 405);
    assertThat(get.getHeader("content-type")).isEqualTo("application/problem+json");
  }

  @Test
  void events_of_one_tenant_are_invisible_to_another() throws Exception {
    HttpResponse<Buffer> other = client.post("/api/v2/admin/tenants")
        .putHeader("authorization", "Bearer " + TestEnvironment.ADMIN_TOKEN)
        .sendJsonObject(new JsonObject().put("name", "other-" + UUID.randomUUID())).await(10, TimeUnit.SECONDS);
    String otherTenant = other.bodyAsJsonObject().getString("tenantId");
    String sharedId = "same-id-" + UUID.randomUUID();
    assertThat(post("application/json", new JsonArray().add(event(sharedId)).toBuffer()).bodyAsJsonObject().getInteger("stored")).isEqualTo(1);
    HttpResponse<Buffer> r = client.post("/api/v2/events").putHeader("x-api-key", other.bodyAsJsonObject().getString("apiKey"))
        .putHeader("content-type", "application/json").sendBuffer(new JsonArray().add(event(sharedId)).toBuffer()).await(10, TimeUnit.SECONDS);
    // the same eventId in another tenant is another event
    assertThat(r.bodyAsJsonObject().getInteger("stored")).isEqualTo(1);
    assertThat(process.vertx().eventBus().<JsonObject>request(Addresses.STORE_COUNT, new JsonObject().put("tenantId", otherTenant))
        .await(10, TimeUnit.SECONDS).body().getLong("count")).isEqualTo(1);
  }
}
