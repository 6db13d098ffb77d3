package com.ott.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.ott.encryption.EncryptionVerticle;
import com.ott.gateway.GatewayVerticle;
import com.ott.ingestion.IngestionVerticle;
import com.ott.runtime.OttConfig;
import com.ott.runtime.OttProcess;
import com.ott.runtime.OttProcess.Component;
import com.ott.store.StoreVerticle;
import com.ott.tenancy.TenancyVerticle;
import com.ott.testkit.TestEnvironment;
import com.ott.testkit.TestServices;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SelfSignedCertificate;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole event path with the encryption stage on, served over TLS 1.3:
 * personal data is stored only as tokens and ciphertext, an admin can read it
 * back (audited), rotation keeps it readable, and deleting the tenant shreds it.
 */
class EncryptedPipelineIT {
  private static final String PERSONAL_ACCOUNT = "alice." + UUID.randomUUID() + "@example.com";
  private static OttProcess.Running process;
  private static WebClient client;

  @BeforeAll
  static void start() throws Exception {
    Map<String, String> env = TestEnvironment.withEncryption(TestEnvironment.base());
    SelfSignedCertificate cert = SelfSignedCertificate.create("localhost");
    env.put("OTT_HTTP_GATEWAY_TLS_ENABLED", "true");
    env.put("OTT_HTTP_GATEWAY_TLS_CERTPATH", cert.certificatePath());
    env.put("OTT_HTTP_GATEWAY_TLS_KEYPATH", cert.privateKeyPath());
    JsonObject config = OttConfig.load(env);
    process = OttProcess.start("encrypted", config, List.of(
        Component.of("tenancy", TenancyVerticle::new),
        Component.of("encryption", EncryptionVerticle::new),
        Component.of("store", StoreVerticle::new),
        Component.of("ingestion", IngestionVerticle::new),
        Component.of("gateway", GatewayVerticle::new))).await(120, TimeUnit.SECONDS);
    client = WebClient.create(process.vertx(), new WebClientOptions().setDefaultHost("localhost")
        .setDefaultPort(Integer.parseInt(env.get("OTT_HTTP_GATEWAY_PORT"))).setSsl(true).setTrustAll(true).setVerifyHost(false));
  }

  @AfterAll
  static void stop() throws Exception {
    if (process != null) {
      process.close().await(30, TimeUnit.SECONDS);
    }
  }

  private static HttpResponse<Buffer> admin(HttpMethod method, String path) throws Exception {
    return client.request(method, path).putHeader("authorization", "Bearer " + TestEnvironment.ADMIN_TOKEN)
        .send().await(30, TimeUnit.SECONDS);
  }

  private static JsonObject createTenant() throws Exception {
    HttpResponse<Buffer> r = client.post("/api/v2/admin/tenants").putHeader("authorization", "Bearer " + TestEnvironment.ADMIN_TOKEN)
        .sendJsonObject(new JsonObject().put("name", "enc-" + UUID.randomUUID()).put("tier", "STANDARD")).await(30, TimeUnit.SECONDS);
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(201);
    return r.bodyAsJsonObject();
  }

  private static HttpResponse<Buffer> post(String apiKey, JsonObject event) throws Exception {
    return client.post("/api/v2/events").putHeader("x-api-key", apiKey).putHeader("content-type", "application/json")
        .sendBuffer(new JsonArray().add(event).toBuffer()).await(30, TimeUnit.SECONDS);
  }

  private static JsonObject event(String id) {
    return new JsonObject().put("eventId", id).put("type", "playback.start").put("occurredAt", "2026-11-25T10:00:00Z")
        .put("accountId", PERSONAL_ACCOUNT).put("deviceId", "device-" + id).put("ip", "198.51.100.23")
        .put("sessionId", "s1").put("contentId", "c1").put("country", "DE");
  }

  private static String storedPayload(String tenantId, String eventId) throws Exception {
    try (Connection c = DriverManager.getConnection(TestServices.pgJdbcUrl());
         var st = c.prepareStatement("SELECT payload::text FROM events WHERE tenant_id = ? AND event_id = ?")) {
      st.setString(1, tenantId);
      st.setString(2, eventId);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }

  @Test
  void the_gateway_speaks_tls_1_3() throws Exception {
    HttpClient raw = process.vertx().createHttpClient(new HttpClientOptions().setSsl(true).setTrustAll(true).setVerifyHost(false));
    String protocol = raw.request(new RequestOptions().setMethod(HttpMethod.GET).setHost("localhost")
            .setPort(client == null ? 0 : Integer.parseInt(String.valueOf(process.config().getJsonObject("http").getJsonObject("gateway").getInteger("port"))))
            .setURI("/api/v2/none"))
        .compose(req -> req.send().map(resp -> req.connection().sslSession().getProtocol()))
        .await(30, TimeUnit.SECONDS);
    assertThat(protocol).isEqualTo("TLSv1.3");
  }

  @Test
  void personal_fields_are_stored_only_as_tokens_and_ciphertext_and_an_admin_read_is_audited() throws Exception {
    JsonObject tenant = createTenant();
    String tenantId = tenant.getString("tenantId");
    String id = "enc-" + UUID.randomUUID();
    assertThat(post(tenant.getString("apiKey"), event(id)).statusCode()).isEqualTo(202);

    String stored = storedPayload(tenantId, id);
    assertThat(stored).doesNotContain(PERSONAL_ACCOUNT).doesNotContain("198.51.100.23").doesNotContain("device-" + id);
    JsonObject payload = new JsonObject(stored);
    assertThat(payload.getString("accountId")).startsWith("tk_");
    assertThat(payload.getString("ipNet")).startsWith("tk_");
    assertThat(payload.getString("sealed")).as("one ciphertext of the personal values").isNotBlank();

    assertThat(admin(HttpMethod.GET, "/api/v2/admin/tenants/" + tenantId + "/events/" + id).statusCode()).isEqualTo(400);
    HttpResponse<Buffer> read = admin(HttpMethod.GET, "/api/v2/admin/tenants/" + tenantId + "/events/" + id + "?reason=support+ticket+42");
    assertThat(read.statusCode()).as(read.bodyAsString()).isEqualTo(200);
    assertThat(read.bodyAsJsonObject().getJsonObject("payload").getString("accountId")).isEqualTo(PERSONAL_ACCOUNT);
    assertThat(countAudit(tenantId)).isPositive();
    assertThat(admin(HttpMethod.GET, "/api/v2/admin/tenants/" + tenantId + "/events/nope?reason=x").statusCode()).isEqualTo(404);
  }

  @Test
  void fields_a_tenant_marks_personal_are_tokenised_and_sealed_like_the_default_ones() throws Exception {
    JsonObject tenant = createTenant();
    String tenantId = tenant.getString("tenantId");
    String path = "/api/v2/admin/tenants/" + tenantId + "/personal-fields";
    assertThat(admin(HttpMethod.GET, path).bodyAsJsonObject().getJsonArray("personalFields")).isEmpty();
    for (String bad : List.of("{\"personalFields\":[\"eventId\"]}", "{\"personalFields\":[\"consent.tcf\"]}",
        "{\"personalFields\":\"email\"}", "{\"personalFields\":[7]}", "[]", "not json")) {
      HttpResponse<Buffer> refused = client.put(path).putHeader("authorization", "Bearer " + TestEnvironment.ADMIN_TOKEN)
          .sendBuffer(Buffer.buffer(bad)).await(30, TimeUnit.SECONDS);
      assertThat(refused.statusCode()).as(bad).isEqualTo(400);
      assertThat(refused.getHeader("content-type")).startsWith("application/problem+json");
    }
    HttpResponse<Buffer> set = client.put(path).putHeader("authorization", "Bearer " + TestEnvironment.ADMIN_TOKEN)
        .sendJsonObject(new JsonObject().put("personalFields", new JsonArray().add("attributes.email").add("profileId")))
        .await(30, TimeUnit.SECONDS);
    assertThat(set.statusCode()).as(set.bodyAsString()).isEqualTo(200);
    assertThat(set.bodyAsJsonObject().getJsonArray("personalFields")).containsExactly("attributes.email", "profileId");
    assertThat(client.put("/api/v2/admin/tenants/nobody/personal-fields")
        .putHeader("authorization", "Bearer " + TestEnvironment.ADMIN_TOKEN)
        .sendJsonObject(new JsonObject().put("personalFields", new JsonArray())).await(30, TimeUnit.SECONDS).statusCode())
        .isEqualTo(404);

    String email = "kim." + UUID.randomUUID() + "@example.org";
    String id = "marked-" + UUID.randomUUID();
    JsonObject event = event(id).put("profileId", "profile-of-kim").put("attributes", new JsonObject().put("email", email).put("plan", "gold"));
    assertThat(post(tenant.getString("apiKey"), event).statusCode()).isEqualTo(202);

    JsonObject payload = new JsonObject(storedPayload(tenantId, id));
    assertThat(payload.encode()).doesNotContain(email).doesNotContain("profile-of-kim").doesNotContain(PERSONAL_ACCOUNT);
    assertThat(payload.getJsonObject("attributes").getString("email")).startsWith("tk_");
    assertThat(payload.getJsonObject("attributes").getString("plan")).isEqualTo("gold");
    assertThat(payload.getString("profileId")).startsWith("tk_");

    HttpResponse<Buffer> read = admin(HttpMethod.GET, "/api/v2/admin/tenants/" + tenantId + "/events/" + id + "?reason=dsar");
    assertThat(read.statusCode()).as(read.bodyAsString()).isEqualTo(200);
    JsonObject clear = read.bodyAsJsonObject().getJsonObject("payload");
    assertThat(clear.getJsonObject("attributes").getString("email")).isEqualTo(email);
    assertThat(clear.getString("profileId")).isEqualTo("profile-of-kim");
  }

  @Test
  void a_tenant_can_be_created_with_fields_it_marks_personal() throws Exception {
    HttpResponse<Buffer> r = client.post("/api/v2/admin/tenants").putHeader("authorization", "Bearer " + TestEnvironment.ADMIN_TOKEN)
        .sendJsonObject(new JsonObject().put("name", "marked-" + UUID.randomUUID()).put("tier", "FREE")
            .put("personalFields", new JsonArray().add("attributes.phone"))).await(30, TimeUnit.SECONDS);
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(201);
    assertThat(r.bodyAsJsonObject().getJsonArray("personalFields")).containsExactly("attributes.phone");
    HttpResponse<Buffer> bad = client.post("/api/v2/admin/tenants").putHeader("authorization", "Bearer " + TestEnvironment.ADMIN_TOKEN)
        .sendJsonObject(new JsonObject().put("name", "marked-" + UUID.randomUUID()).put("personalFields", new JsonArray().add("type")))
        .await(30, TimeUnit.SECONDS);
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.bodyAsString()).contains("type cannot be personal");
  }

  @Test
  void rotation_keeps_old_events_readable_and_tokens_stable() throws Exception {
    JsonObject tenant = createTenant();
    String tenantId = tenant.getString("tenantId");
    String before = "rot-a-" + UUID.randomUUID();
    String after = "rot-b-" + UUID.randomUUID();
    post(tenant.getString("apiKey"), event(before));
    HttpResponse<Buffer> rotated = admin(HttpMethod.POST, "/api/v2/admin/tenants/" + tenantId + "/keys/rotate");
    assertThat(rotated.statusCode()).as(rotated.bodyAsString()).isEqualTo(200);
    post(tenant.getString("apiKey"), event(after));
    assertThat(new JsonObject(storedPayload(tenantId, after)).getString("accountId"))
        .isEqualTo(new JsonObject(storedPayload(tenantId, before)).getString("accountId"));
    for (String id : List.of(before, after)) {
      HttpResponse<Buffer> read = admin(HttpMethod.GET, "/api/v2/admin/tenants/" + tenantId + "/events/" + id + "?reason=audit");
      assertThat(read.bodyAsJsonObject().getJsonObject("payload").getString("accountId")).isEqualTo(PERSONAL_ACCOUNT);
    }
  }

  @Test
  void deleting_a_tenant_shreds_its_personal_data_and_revokes_its_keys() throws Exception {
    JsonObject tenant = createTenant();
    String tenantId = tenant.getString("tenantId");
    String id = "shred-" + UUID.randomUUID();
    post(tenant.getString("apiKey"), event(id));
    HttpResponse<Buffer> deleted = admin(HttpMethod.DELETE, "/api/v2/admin/tenants/" + tenantId);
    assertThat(deleted.statusCode()).as(deleted.bodyAsString()).isEqualTo(200);

    // the row is still there, but nobody can read its personal fields any more
    assertThat(storedPayload(tenantId, id)).contains("sealed").doesNotContain(PERSONAL_ACCOUNT);
    HttpResponse<Buffer> read = admin(HttpMethod.GET, "/api/v2/admin/tenants/" + tenantId + "/events/" + id + "?reason=after+erasure");
    assertThat(read.statusCode()).isEqualTo(410);
    assertThat(read.getHeader("content-type")).isEqualTo("application/problem+json");
    assertThat(post(tenant.getString("apiKey"), event("after-delete")).statusCode()).isEqualTo(401);
    assertThat(admin(HttpMethod.DELETE, "/api/v2/admin/tenants/" + tenantId).statusCode()).isEqualTo(404);
  }

  private static long countAudit(String tenantId) throws Exception {
    try (Connection c = DriverManager.getConnection(TestServices.pgJdbcUrl());
         var st = c.prepareStatement("SELECT count(*) FROM encryption_audit WHERE tenant_id = ?")) {
      st.setString(1, tenantId);
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
