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
import io.vertx.core.DeploymentOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The ingestion breaker on a gateway whose ingestion verticle is not deployed (real tenancy, store, PostgreSQL and
 * Redis): failures open it, it then answers 503 at once without asking, and once ingestion is deployed the
 * half-open probe closes it. Its state is a metric on /metrics.
 */
class CircuitBreakerIT {
  private static final int MAX_FAILURES = 3;
  private static final long RESET_MS = 1000;
  private static OttProcess.Running process;
  private static JsonObject config;
  private static WebClient client;
  private static WebClient ops;
  private static String apiKey;

  @BeforeAll
  static void start() throws Exception {
    config = OttConfig.load(TestEnvironment.base());
    config.getJsonObject("gateway").put("circuitBreaker", new JsonObject()
        .put("maxFailures", MAX_FAILURES).put("timeoutMs", 5000).put("resetTimeoutMs", RESET_MS));
    process = OttProcess.start("breaker-test", config, List.of(
        Component.of("tenancy", TenancyVerticle::new),
        Component.of("store", StoreVerticle::new),
        Component.of("gateway", GatewayVerticle::new))).await(60, TimeUnit.SECONDS);
    client = WebClient.create(process.vertx(), new WebClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(config.getJsonObject("http").getJsonObject("gateway").getInteger("port")));
    ops = WebClient.create(process.vertx(), new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(process.opsPort()));
    apiKey = process.vertx().eventBus().<JsonObject>request(Addresses.TENANCY_CREATE_TENANT,
            new JsonObject().put("name", "breaker-" + UUID.randomUUID()).put("tier", "ENTERPRISE"))
        .await(20, TimeUnit.SECONDS).body().getString("apiKey");
  }

  @AfterAll
  static void stop() throws Exception {
    if (process != null) {
      process.close().await(20, TimeUnit.SECONDS);
    }
  }

  private static HttpResponse<Buffer> postBatch() throws Exception {
    JsonArray batch = new JsonArray().add(new JsonObject().put("eventId", UUID.randomUUID().toString()).put("type", "auth.login")
        .put("occurredAt", "2026-11-25T10:00:00Z").put("accountId", "acc-1"));
    return client.post("/api/v2/events").putHeader("x-api-key", apiKey).putHeader("content-type", "application/json")
        .sendBuffer(batch.toBuffer()).await(30, TimeUnit.SECONDS);
  }

  /** A sample of the process's Prometheus text, e.g. {@code ott_circuit_state{breaker="ingestion"}}. */
  private static double metric(String name, String labels) throws Exception {
    String text = ops.get("/metrics").send().await(10, TimeUnit.SECONDS).bodyAsString();
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{" + Pattern.quote(labels) + "[^}]*} ([0-9.eE+-]+)$").matcher(text);
    return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
  }

  private static double state() throws Exception {
    return metric("ott_circuit_state", "breaker=\"ingestion\"");
  }

  @Test
  void the_ingestion_breaker_opens_answers_fast_and_closes_after_a_successful_probe() throws Exception {
    assertThat(state()).isZero();
    for (int i = 0; i < MAX_FAILURES; i++) {
      HttpResponse<Buffer> failed = postBatch();
      assertThat(failed.statusCode()).as(failed.bodyAsString()).isEqualTo(503);
      assertThat(failed.getHeader("content-type")).isEqualTo("application/problem+json");
      assertThat(failed.bodyAsJsonObject().getString("detail")).doesNotContain("circuit");
    }
    assertThat(state()).as("open").isEqualTo(2.0);

    double rejectedBefore = metric("ott_circuit_calls_total", "breaker=\"ingestion\",outcome=\"rejected\"");
    long t0 = System.nanoTime();
    HttpResponse<Buffer> fast = postBatch();
    long elapsedMs = (System.nanoTime() - t0) / 1_000_000;
    assertThat(fast.statusCode()).isEqualTo(503);
    assertThat(fast.bodyAsJsonObject().getString("detail")).contains("ingestion is unavailable");
    assertThat(Long.parseLong(fast.getHeader("Retry-After"))).isBetween(1L, RESET_MS / 1000);
    assertThat(metric("ott_circuit_calls_total", "breaker=\"ingestion\",outcome=\"rejected\"")).isEqualTo(rejectedBefore + 1);
    assertThat(elapsedMs).isLessThan(2000);
    // the other services' breakers are untouched
    assertThat(metric("ott_circuit_state", "breaker=\"tenancy\"")).isZero();

    process.vertx().deployVerticle(new IngestionVerticle(), new DeploymentOptions().setConfig(config)).await(30, TimeUnit.SECONDS);
    // after resetTimeoutMs one request probes ingestion; until then they still fail fast
    long deadline = System.currentTimeMillis() + 20_000;
    HttpResponse<Buffer> r = postBatch();
    while (r.statusCode() == 503 && System.currentTimeMillis() < deadline) {
      process.vertx().timer(100).await(5, TimeUnit.SECONDS);
      r = postBatch();
    }
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(202);
    assertThat(state()).as("closed").isZero();
    assertThat(metric("ott_circuit_transitions_total", "breaker=\"ingestion\",state=\"half_open\"")).isGreaterThanOrEqualTo(1);
    assertThat(metric("ott_circuit_transitions_total", "breaker=\"ingestion\",state=\"closed\"")).isGreaterThanOrEqualTo(1);
    assertThat(postBatch().statusCode()).isEqualTo(202);
  }
}
