package com.ott.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.ott.contract.Addresses;
import com.ott.contract.AlertAddresses;
import com.ott.contract.RulesAddresses;
import com.ott.encryption.EncryptionVerticle;
import com.ott.ingestion.IngestionVerticle;
import com.ott.runtime.OttConfig;
import com.ott.runtime.OttProcess;
import com.ott.runtime.OttProcess.Component;
import com.ott.store.StoreVerticle;
import com.ott.store.alerts.AlertsVerticle;
import com.ott.tenancy.TenancyVerticle;
import com.ott.testkit.TestEnvironment;
import com.ott.testkit.TestServices;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * JWTs beside API keys, with roles, on the whole gateway (tenancy, encryption, ingestion, store, alerts on real
 * PostgreSQL and Redis; the rules verticle stands in as a bus stub): viewer reads, analyst also writes, admin also
 * reads decrypted personal data audited under its subject; expired or forged tokens are 401; a token of one tenant
 * reaches nothing of another. Also the operator's rewrap-job routes.
 */
class JwtRolesIT {
  private static final String SECRET = "jwt-test-secret-" + UUID.randomUUID();
  private static final String PERSONAL_ACCOUNT = "carol." + UUID.randomUUID() + "@example.com";
  private static OttProcess.Running process;
  private static WebClient client;
  private static JWTAuth issuer;
  private static JsonObject tenantA;
  private static JsonObject tenantB;

  @BeforeAll
  static void start() throws Exception {
    JsonObject config = OttConfig.load(TestEnvironment.withEncryption(TestEnvironment.base()));
    config.getJsonObject("auth").put("jwtSecret", SECRET);
    process = OttProcess.start("jwt-test", config, List.of(
        Component.of("tenancy", TenancyVerticle::new),
        Component.of("encryption", EncryptionVerticle::new),
        Component.of("store", StoreVerticle::new),
        Component.of("alerts", AlertsVerticle::new),
        Component.of("ingestion", IngestionVerticle::new),
        Component.of("gateway", GatewayVerticle::new))).await(120, TimeUnit.SECONDS);
    var bus = process.vertx().eventBus();
    bus.<JsonObject>consumer(RulesAddresses.PUT_SETTINGS, m -> m.reply(new JsonObject().put("overrides", m.body().getJsonObject("overrides"))));
    bus.<JsonObject>consumer(RulesAddresses.GET_SETTINGS, m -> m.reply(new JsonObject().put("overrides", new JsonObject())));
    client = WebClient.create(process.vertx(), new WebClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(config.getJsonObject("http").getJsonObject("gateway").getInteger("port")));
    issuer = hs256(SECRET);
    tenantA = newTenant();
    tenantB = newTenant();
  }

  @AfterAll
  static void stop() throws Exception {
    if (process != null) {
      process.close().await(30, TimeUnit.SECONDS);
    }
  }

  private static JWTAuth hs256(String secret) {
    return JWTAuth.create(process.vertx(), new JWTAuthOptions().addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(secret)));
  }

  private static JsonObject newTenant() throws Exception {
    return process.vertx().eventBus().<JsonObject>request(Addresses.TENANCY_CREATE_TENANT,
        new JsonObject().put("name", "jwt-" + UUID.randomUUID()).put("tier", "ENTERPRISE")).await(20, TimeUnit.SECONDS).body();
  }

  private static String token(JsonObject tenant, String role, String subject) {
    return issuer.generateToken(new JsonObject().put("sub", subject).put("tenant", tenant.getString("tenantId")).put("role", role),
        new JWTOptions().setExpiresInSeconds(600));
  }

  private static HttpResponse<Buffer> call(HttpMethod method, String uri, String bearer, Object body) throws Exception {
    HttpRequest<Buffer> req = client.request(method, uri).putHeader("authorization", "Bearer " + bearer);
    if (body == null) {
      return req.send().await(30, TimeUnit.SECONDS);
    }
    return req.putHeader("content-type", "application/json").sendBuffer(Buffer.buffer(body.toString())).await(30, TimeUnit.SECONDS);
  }

  private static JsonObject assertProblem(HttpResponse<Buffer> r, int status) {
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(status);
    assertThat(r.getHeader("content-type")).isEqualTo("application/problem+json");
    assertThat(r.bodyAsString()).doesNotContain("Exception");
    return r.bodyAsJsonObject();
  }

  /** A stored event of the tenant with personal data, sent with its API key: its eventId. */
  private static String storeEvent(JsonObject tenant) throws Exception {
    String id = "jwt-" + UUID.randomUUID();
    JsonArray batch = new JsonArray().add(new JsonObject().put("eventId", id).put("type", "auth.login")
        .put("occurredAt", "2026-11-25T10:00:00Z").put("accountId", PERSONAL_ACCOUNT).put("ip", "198.51.100.7"));
    HttpResponse<Buffer> r = client.post("/api/v2/events").putHeader("x-api-key", tenant.getString("apiKey"))
        .putHeader("content-type", "application/json").sendBuffer(batch.toBuffer()).await(30, TimeUnit.SECONDS);
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(202);
    return id;
  }

  private static String raiseAlert(JsonObject tenant) throws Exception {
    String id = tenant.getString("tenantId");
    JsonObject finding = new JsonObject().put("tenantId", id).put("ruleId", "vpn_playback").put("severity", "MEDIUM")
        .put("subject", new JsonObject().put("accountToken", "tk_" + UUID.randomUUID())).put("eventId", "e1")
        .put("occurredAt", "2026-11-25T10:00:00Z").put("dedupKey", UUID.randomUUID().toString()).put("evidence", new JsonObject())
        .put("explanation", "test finding");
    return process.vertx().eventBus().<JsonObject>request(AlertAddresses.RAISE, finding).await(20, TimeUnit.SECONDS)
        .body().getJsonArray("alerts").getJsonObject(0).getString("alertId");
  }

  @Test
  void a_viewer_reads_but_writes_nothing() throws Exception {
    String viewer = token(tenantA, "viewer", "vera");
    String alertId = raiseAlert(tenantA);
    assertThat(call(HttpMethod.GET, "/api/v2/alerts", viewer, null).statusCode()).isEqualTo(200);
    assertThat(call(HttpMethod.GET, "/api/v2/alerts/" + alertId, viewer, null).statusCode()).isEqualTo(200);
    assertThat(call(HttpMethod.GET, "/api/v2/rules", viewer, null).statusCode()).isEqualTo(200);
    assertThat(call(HttpMethod.GET, "/api/v2/usage", viewer, null).statusCode()).isEqualTo(200);

    JsonObject refused = assertProblem(call(HttpMethod.POST, "/api/v2/alerts/" + alertId + "/ack", viewer, new JsonObject()), 403);
    assertThat(refused.getString("detail")).contains("viewer").contains("analyst");
    assertProblem(call(HttpMethod.PUT, "/api/v2/rules", viewer, new JsonObject().put("rules", new JsonObject())), 403);
    assertProblem(call(HttpMethod.PUT, "/api/v2/catalog", viewer, new JsonArray()), 403);
    assertProblem(call(HttpMethod.POST, "/api/v2/events", viewer, new JsonArray()), 403);
    assertProblem(call(HttpMethod.GET, "/api/v2/events/any?reason=curious", viewer, null), 403);
  }

  @Test
  void an_analyst_acknowledges_alerts_and_changes_rules_but_reads_no_personal_data() throws Exception {
    String analyst = token(tenantA, "analyst", "ana@operator.example");
    String alertId = raiseAlert(tenantA);
    HttpResponse<Buffer> acked = call(HttpMethod.POST, "/api/v2/alerts/" + alertId + "/ack", analyst, new JsonObject().put("note", "on it"));
    assertThat(acked.statusCode()).as(acked.bodyAsString()).isEqualTo(200);
    // the JWT subject is the actor of the audit trail
    assertThat(acked.bodyAsJsonObject().getString("acknowledgedBy")).isEqualTo("ana@operator.example");
    assertThat(call(HttpMethod.POST, "/api/v2/alerts/" + alertId + "/resolve", analyst, null).statusCode()).isEqualTo(200);
    HttpResponse<Buffer> rules = call(HttpMethod.PUT, "/api/v2/rules", analyst, new JsonObject().put("rules", new JsonObject()));
    assertThat(rules.statusCode()).as(rules.bodyAsString()).isEqualTo(200);

    String eventId = storeEvent(tenantA);
    JsonObject refused = assertProblem(call(HttpMethod.GET, "/api/v2/events/" + eventId + "?reason=support", analyst, null), 403);
    assertThat(refused.getString("detail")).contains("admin");
  }

  @Test
  void a_tenant_admin_reads_decrypted_personal_data_audited_under_its_subject() throws Exception {
    String eventId = storeEvent(tenantA);
    String subject = "adele-" + UUID.randomUUID();
    String admin = token(tenantA, "admin", subject);
    assertProblem(call(HttpMethod.GET, "/api/v2/events/" + eventId, admin, null), 400);
    HttpResponse<Buffer> read = call(HttpMethod.GET, "/api/v2/events/" + eventId + "?reason=ticket+42", admin, null);
    assertThat(read.statusCode()).as(read.bodyAsString()).isEqualTo(200);
    JsonObject payload = read.bodyAsJsonObject().getJsonObject("payload");
    assertThat(payload.getString("accountId")).isEqualTo(PERSONAL_ACCOUNT);
    assertThat(payload.getString("ip")).isEqualTo("198.51.100.7");
    assertThat(payload.containsKey("sealed")).isFalse();
    try (Connection c = DriverManager.getConnection(TestServices.pgJdbcUrl());
         var st = c.prepareStatement("SELECT reason FROM encryption_audit WHERE tenant_id = ? AND actor = ? AND action = 'unprotect'")) {
      st.setString(1, tenantA.getString("tenantId"));
      st.setString(2, subject);
      try (ResultSet rs = st.executeQuery()) {
        assertThat(rs.next()).as("an audit entry under the JWT subject").isTrue();
        assertThat(rs.getString(1)).isEqualTo("ticket 42");
      }
    }
    // an API key has the full access of its tenant
    HttpResponse<Buffer> byKey = client.get("/api/v2/events/" + eventId + "?reason=export").putHeader("x-api-key", tenantA.getString("apiKey"))
        .send().await(30, TimeUnit.SECONDS);
    assertThat(byKey.statusCode()).as(byKey.bodyAsString()).isEqualTo(200);
    assertThat(byKey.bodyAsJsonObject().getJsonObject("payload").getString("accountId")).isEqualTo(PERSONAL_ACCOUNT);
  }

  @Test
  void a_token_of_one_tenant_reaches_nothing_of_another() throws Exception {
    String eventOfB = storeEvent(tenantB);
    String alertOfB = raiseAlert(tenantB);
    String adminOfA = token(tenantA, "admin", "adam");
    assertProblem(call(HttpMethod.GET, "/api/v2/events/" + eventOfB + "?reason=curious", adminOfA, null), 404);
    assertProblem(call(HttpMethod.GET, "/api/v2/alerts/" + alertOfB, adminOfA, null), 404);
    assertProblem(call(HttpMethod.POST, "/api/v2/alerts/" + alertOfB + "/ack", adminOfA, null), 404);
    JsonArray listed = call(HttpMethod.GET, "/api/v2/alerts", adminOfA, null).bodyAsJsonObject().getJsonArray("items");
    assertThat(listed.stream().map(o -> ((JsonObject) o).getString("tenantId"))).doesNotContain(tenantB.getString("tenantId"));
    // a tenant admin is not the operator: the admin API wants the admin token
    assertProblem(call(HttpMethod.POST, "/api/v2/admin/tenants/" + tenantB.getString("tenantId") + "/keys/rewrap", adminOfA, null), 401);
    // a token naming a tenant that does not exist
    String ghost = issuer.generateToken(new JsonObject().put("sub", "x").put("tenant", "no-such-tenant").put("role", "admin"),
        new JWTOptions().setExpiresInSeconds(600));
    assertProblem(call(HttpMethod.GET, "/api/v2/alerts", ghost, null), 403);
  }

  @Test
  void expired_forged_unsigned_or_incomplete_tokens_are_401() throws Exception {
    JsonObject claims = new JsonObject().put("sub", "eve").put("tenant", tenantA.getString("tenantId")).put("role", "admin");
    long now = System.currentTimeMillis() / 1000;
    String expired = issuer.generateToken(claims.copy().put("exp", now - 3600), new JWTOptions().setNoTimestamp(true));
    JsonObject problem = assertProblem(call(HttpMethod.GET, "/api/v2/alerts", expired, null), 401);
    assertThat(problem.getString("detail")).contains("expired");

    String forged = hs256("another-secret-of-enough-length-" + UUID.randomUUID()).generateToken(claims.copy(), new JWTOptions().setExpiresInSeconds(600));
    assertProblem(call(HttpMethod.GET, "/api/v2/alerts", forged, null), 401);

    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String unsigned = b64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
        + b64.encodeToString(claims.copy().put("exp", now + 600).encode().getBytes(StandardCharsets.UTF_8)) + ".";
    assertProblem(call(HttpMethod.GET, "/api/v2/alerts", unsigned, null), 401);

    String noRole = issuer.generateToken(new JsonObject().put("sub", "eve").put("tenant", tenantA.getString("tenantId")),
        new JWTOptions().setExpiresInSeconds(600));
    assertThat(assertProblem(call(HttpMethod.GET, "/api/v2/alerts", noRole, null), 401).getString("detail")).contains("role");
    String superuser = token(tenantA, "superuser", "eve");
    assertProblem(call(HttpMethod.GET, "/api/v2/alerts", superuser, null), 401);
    // (signing adds exp and iat to the claims object it is given: a fresh copy each time)
    String noExpiry = issuer.generateToken(claims.copy(), new JWTOptions());
    assertProblem(call(HttpMethod.GET, "/api/v2/alerts", noExpiry, null), 401);
    assertProblem(call(HttpMethod.GET, "/api/v2/alerts", "a.b.c", null), 401);
  }

  @Test
  void the_operator_starts_a_rewrap_job_and_follows_it() throws Exception {
    storeEvent(tenantB);
    String tenantId = tenantB.getString("tenantId");
    HttpResponse<Buffer> started = client.post("/api/v2/admin/tenants/" + tenantId + "/keys/rewrap")
        .putHeader("authorization", "Bearer " + TestEnvironment.ADMIN_TOKEN).send().await(30, TimeUnit.SECONDS);
    assertThat(started.statusCode()).as(started.bodyAsString()).isEqualTo(202);
    JsonObject job = started.bodyAsJsonObject();
    assertThat(job.getString("tenantId")).isEqualTo(tenantId);
    assertThat(job.getString("status")).isIn("RUNNING", "DONE");
    assertThat(started.getHeader("Location")).isEqualTo("/api/v2/admin/rewrap-jobs/" + job.getString("jobId"));

    HttpResponse<Buffer> status = client.get(started.getHeader("Location"))
        .putHeader("authorization", "Bearer " + TestEnvironment.ADMIN_TOKEN).send().await(30, TimeUnit.SECONDS);
    assertThat(status.statusCode()).as(status.bodyAsString()).isEqualTo(200);
    assertThat(status.bodyAsJsonObject().getString("jobId")).isEqualTo(job.getString("jobId"));
    assertThat(status.bodyAsJsonObject().getString("status")).isIn("RUNNING", "DONE");

    assertProblem(client.get("/api/v2/admin/rewrap-jobs/" + UUID.randomUUID())
        .putHeader("authorization", "Bearer " + TestEnvironment.ADMIN_TOKEN).send().await(30, TimeUnit.SECONDS), 404);
    assertProblem(client.get(started.getHeader("Location")).send().await(30, TimeUnit.SECONDS), 401);
  }
}
