package com.ott.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.ott.contract.Addresses;
import com.ott.gateway.GatewayVerticle;
import com.ott.ingestion.IngestionVerticle;
import com.ott.runtime.OttConfig;
import com.ott.runtime.OttProcess;
import com.ott.runtime.OttProcess.Component;
import com.ott.tenancy.TenancyVerticle;
import com.ott.testkit.TestEnvironment;
import com.ott.testkit.TestServices;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Two JVMs on loopback form a Hazelcast cluster: this one runs tenancy, ingestion
 * and the gateway, a child process runs the store. Events cross the cluster bus
 * end to end, and killing the store mid-load loses and duplicates nothing.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {
  private static final String CLUSTER = "ott-it-" + UUID.randomUUID();
  private static final Map<String, String> ENV = TestEnvironment.clustered(CLUSTER);
  private static OttProcess.Running edge;
  private static WebClient client;
  private static Process store;
  private static int storeOpsPort;
  private static String tenantId;
  private static String apiKey;

  @BeforeAll
  static void start() throws Exception {
    store = startStore();
    JsonObject config = OttConfig.load(ENV);
    edge = OttProcess.start("edge", config, List.of(
        Component.of("tenancy", TenancyVerticle::new),
        Component.of("ingestion", IngestionVerticle::new),
        Component.of("gateway", GatewayVerticle::new))).await(120, TimeUnit.SECONDS);
    client = WebClient.create(edge.vertx(), new WebClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(Integer.parseInt(ENV.get("OTT_HTTP_GATEWAY_PORT"))));
    HttpResponse<Buffer> created = client.post("/api/v2/admin/tenants")
        .putHeader("authorization", "Bearer " + TestEnvironment.ADMIN_TOKEN)
        .sendJsonObject(new JsonObject().put("name", "cluster-" + UUID.randomUUID()).put("tier", "ENTERPRISE")).await(30, TimeUnit.SECONDS);
    assertThat(created.statusCode()).isEqualTo(201);
    tenantId = created.bodyAsJsonObject().getString("tenantId");
    apiKey = created.bodyAsJsonObject().getString("apiKey");
    awaitStoreOnBus();
  }

  @AfterAll
  static void stop() throws Exception {
    if (edge != null) {
      edge.close().await(30, TimeUnit.SECONDS);
    }
    if (store != null) {
      store.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
    }
  }

  /** The store alone in its own JVM, a member of the test's cluster. */
  private static Process startStore() throws Exception {
    String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    storeOpsPort = TestEnvironment.freePort();
    ProcessBuilder pb = new ProcessBuilder(java, "-Xmx512m", "-cp", classpath, "com.ott.app.AppMain", "--only", "store");
    pb.environment().putAll(ENV);
    pb.environment().put("OTT_OPS_PORT", String.valueOf(storeOpsPort));
    pb.redirectErrorStream(true);
    pb.redirectOutput(new File("target/store-process.log"));
    return pb.start();
  }

  private static void awaitStoreOnBus() throws Exception {
    long deadline = System.currentTimeMillis() + 120_000;
    while (System.currentTimeMillis() < deadline) {
      try {
        edge.vertx().eventBus().request(Addresses.STORE_COUNT, new JsonObject().put("tenantId", tenantId))
            .await(5, TimeUnit.SECONDS);
        return;
      } catch (Exception notYet) {
        Thread.sleep(250);
      }
    }
    throw new AssertionError("the store process never joined the cluster; see target/store-process.log");
  }

  private static JsonArray batch(String prefix, int n) {
    JsonArray events = new JsonArray();
    for (int i = 0; i < n; i++) {
      events.add(new JsonObject().put("eventId", prefix + "-" + i).put("type", "auth.login")
          .put("occurredAt", "2026-11-25T10:00:00Z").put("accountId", "acc-" + (i % 7)));
    }
    return events;
  }

  private static HttpResponse<Buffer> post(JsonArray events) throws Exception {
    return client.post("/api/v2/events").putHeader("x-api-key", apiKey).putHeader("content-type", "application/json")
        .timeout(15_000).sendBuffer(events.toBuffer()).await(30, TimeUnit.SECONDS);
  }

  private static long countInPostgres(String sql) throws Exception {
    try (Connection c = DriverManager.getConnection(TestServices.pgJdbcUrl());
         var st = c.prepareStatement(sql)) {
      st.setString(1, tenantId);
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  @Test
  @Order(1)
  void events_cross_the_cluster_from_gateway_to_the_store_process() throws Exception {
    String run = UUID.randomUUID().toString();
    long before = countInPostgres("SELECT count(*) FROM events WHERE tenant_id = ?");
    HttpResponse<Buffer> r = post(batch(run, 100));
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(202);
    assertThat(r.bodyAsJsonObject().getInteger("stored")).isEqualTo(100);
    assertThat(countInPostgres("SELECT count(*) FROM events WHERE tenant_id = ?")).isEqualTo(before + 100);

    HttpClient http = HttpClient.newHttpClient();
    var ready = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + storeOpsPort + "/health/ready")).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(ready.body()).contains("\"postgresql\":\"UP\"");
    var metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + storeOpsPort + "/metrics")).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(metrics.body()).contains("ott_events_stored_total");
  }

  @Test
  @Order(2)
  void killing_the_store_mid_load_loses_no_acknowledged_event_and_duplicates_none() throws Exception {
    String run = UUID.randomUUID().toString();
    int batches = 40;
    int perBatch = 250;
    Set<String> acknowledged = new HashSet<>();
    List<Integer> pending = new ArrayList<>();
    for (int b = 0; b < batches; b++) {
      pending.add(b);
    }
    boolean killed = false;
    boolean restarted = false;
    int unavailable = 0;
    long deadline = System.currentTimeMillis() + 240_000;
    while (!pending.isEmpty() && System.currentTimeMillis() < deadline) {
      int b = pending.get(0);
      if (!killed && acknowledged.size() >= 10 * perBatch) {
        store.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
        killed = true;
      }
      HttpResponse<Buffer> r;
      try {
        r = post(batch(run + "-" + b, perBatch));
      } catch (Exception timeout) {
        // no answer in time: the batch may or may not be stored, so a client sends it again
        r = null;
      }
      if (r != null && r.statusCode() == 202) {
        pending.remove(0);
        for (int i = 0; i < perBatch; i++) {
          acknowledged.add(run + "-" + b + "-" + i);
        }
      } else {
        // what a client does with a 503: retry the same batch later
        if (r != null) {
          assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(503);
          assertThat(r.getHeader("Retry-After")).isNotNull();
        }
        unavailable++;
        if (killed && !restarted) {
          store = startStore();
          restarted = true;
        }
        Thread.sleep(200);
      }
    }
    assertThat(pending).as("batches never acknowledged").isEmpty();
    assertThat(killed && restarted).isTrue();
    assertThat(unavailable).as("requests answered 503 while the store was down").isPositive();
    long stored = countInPostgres("SELECT count(*) FROM events WHERE tenant_id = ? AND event_id LIKE '" + run + "-%'");
    long distinct = countInPostgres("SELECT count(DISTINCT event_id) FROM events WHERE tenant_id = ? AND event_id LIKE '" + run + "-%'");
    assertThat(stored).isEqualTo(acknowledged.size());
    assertThat(distinct).isEqualTo(stored);
  }
}
