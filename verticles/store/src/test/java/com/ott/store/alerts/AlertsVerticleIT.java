package com.ott.store.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.ott.contract.AlertAddresses;
import com.ott.contract.Addresses;
import com.ott.runtime.ProcessRuntime;
import com.ott.testkit.TestServices;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.admin.KafkaAdminClient;
import io.vertx.kafka.admin.NewTopic;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The alerts verticle over the bus: raise, publish on ott.alerts.<tenant>, produce to Kafka, transitions. */
class AlertsVerticleIT {
  private static final Instant T0 = Instant.parse("2026-04-01T08:00:00Z");
  private static Vertx vertx;
  private static String topic;
  private static KafkaConsumer<String, Buffer> consumer;
  private static final LinkedBlockingQueue<KafkaConsumerRecord<String, Buffer>> records = new LinkedBlockingQueue<>();

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    String bootstrap = TestServices.kafkaBootstrap();
    topic = "ott.alerts.test-" + UUID.randomUUID();
    KafkaAdminClient admin = KafkaAdminClient.create(vertx, Map.of("bootstrap.servers", bootstrap));
    admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).await(60, TimeUnit.SECONDS);
    admin.close().await(10, TimeUnit.SECONDS);
    consumer = KafkaConsumer.create(vertx, Map.of("bootstrap.servers", bootstrap, "group.id", "alerts-it-" + UUID.randomUUID(),
        "auto.offset.reset", "earliest", "enable.auto.commit", "false"), String.class, Buffer.class);
    consumer.handler(records::add);
    consumer.subscribe(topic).await(30, TimeUnit.SECONDS);

    JsonObject config = new JsonObject()
        .put("pg", new JsonObject().put("url", TestServices.pgUrl()).put("poolSize", 4))
        .put("kafka", new JsonObject().put("bootstrap", bootstrap).put("alertsTopic", topic))
        .put("alerts", new JsonObject().put("maxFindingsPerMessage", 100));
    vertx.deployVerticle(new AlertsVerticle(), new DeploymentOptions().setConfig(config)).await(60, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    if (consumer != null) {
      consumer.close().await(10, TimeUnit.SECONDS);
    }
    vertx.close().await(20, TimeUnit.SECONDS);
  }

  private static JsonObject finding(String tenant, String dedupKey, String eventId) {
    return new JsonObject().put("tenantId", tenant).put("ruleId", "kids_targeted_ad").put("severity", "HIGH")
        .put("subject", new JsonObject().put("accountToken", "tk_1").put("contentId", "c9"))
        .put("eventId", eventId).put("occurredAt", T0.toString()).put("dedupKey", dedupKey)
        .put("evidence", new JsonObject().put("values", new JsonObject().put("adPersonalized", true)))
        .put("explanation", "a personalised ad on kids content").put("traceId", "trace-1");
  }

  private static JsonObject request(String address, Object body) throws Exception {
    return vertx.eventBus().<JsonObject>request(address, body).await(30, TimeUnit.SECONDS).body();
  }

  private static void assertFails(String address, Object body, int code) {
    assertThatThrownBy(() -> request(address, body)).isInstanceOfSatisfying(ReplyException.class,
        e -> assertThat(e.failureCode()).isEqualTo(code));
  }

  @Test
  void a_raised_alert_is_published_on_the_tenant_address_and_produced_to_kafka() throws Exception {
    String tenant = "t-" + UUID.randomUUID();
    LinkedBlockingQueue<Message<JsonObject>> published = new LinkedBlockingQueue<>();
    vertx.eventBus().<JsonObject>consumer(Addresses.alerts(tenant), published::add).completion().await(10, TimeUnit.SECONDS);

    JsonObject reply = request(AlertAddresses.RAISE, finding(tenant, "kta|tk_1", "ev-1"));
    assertThat(reply.getInteger("created")).isEqualTo(1);
    JsonObject alert = reply.getJsonArray("alerts").getJsonObject(0);
    assertThat(alert.fieldNames()).contains("alertId", "tenantId", "ruleId", "severity", "status", "subject",
        "firstSeenAt", "lastSeenAt", "count", "evidence", "explanation", "traceId");
    assertThat(alert.getJsonObject("evidence").getJsonArray("eventIds")).containsExactly("ev-1");

    Message<JsonObject> onBus = published.poll(10, TimeUnit.SECONDS);
    assertThat(onBus).isNotNull();
    assertThat(onBus.body()).isEqualTo(alert);
    long seq = Long.parseLong(onBus.headers().get("seq"));

    KafkaConsumerRecord<String, Buffer> record = nextRecordOf(tenant);
    assertThat(record.key()).isEqualTo(tenant);
    assertThat(record.headers()).anySatisfy(h -> {
      assertThat(h.key()).isEqualTo("tenant");
      assertThat(h.value().toString()).isEqualTo(tenant);
    });
    assertThat(new JsonObject(record.value())).isEqualTo(alert);

    // acknowledging publishes the changed alert too, with a later seq
    JsonObject acked = request(AlertAddresses.ACK, new JsonObject().put("tenantId", tenant)
        .put("alertId", alert.getString("alertId")).put("actor", "key-7").put("note", "on it"));
    assertThat(acked.getString("status")).isEqualTo("ACKNOWLEDGED");
    Message<JsonObject> ackOnBus = published.poll(10, TimeUnit.SECONDS);
    assertThat(ackOnBus.body().getString("status")).isEqualTo("ACKNOWLEDGED");
    assertThat(Long.parseLong(ackOnBus.headers().get("seq"))).isGreaterThan(seq);
    assertThat(new JsonObject(nextRecordOf(tenant).value()).getString("status")).isEqualTo("ACKNOWLEDGED");

    // a replay changes nothing and publishes nothing
    JsonObject replay = request(AlertAddresses.RAISE, new JsonObject().put("tenantId", tenant)
        .put("findings", new JsonArray().add(finding(tenant, "kta|tk_1", "ev-1"))));
    assertThat(replay.getInteger("unchanged")).isEqualTo(1);
    assertThat(replay.getJsonArray("alerts")).isEmpty();
    assertThat(published.poll(500, TimeUnit.MILLISECONDS)).isNull();
  }

  private static KafkaConsumerRecord<String, Buffer> nextRecordOf(String tenant) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 60_000;
    while (System.currentTimeMillis() < deadline) {
      KafkaConsumerRecord<String, Buffer> r = records.poll(1, TimeUnit.SECONDS);
      if (r != null && tenant.equals(r.key())) {
        return r;
      }
    }
    throw new AssertionError("no Kafka record of tenant " + tenant + " on " + topic);
  }

  @Test
  void a_batch_keeps_its_valid_findings_and_lists_the_invalid_ones() throws Exception {
    String tenant = "t-" + UUID.randomUUID();
    JsonArray findings = new JsonArray()
        .add(finding(tenant, "a", "e1"))
        .add(finding("someone-else", "b", "e2"))
        .add(finding(tenant, "c", "e3").put("severity", "SEVERE"))
        .add("not an object")
        .add(finding(tenant, "a", "e4"));
    JsonObject reply = request(AlertAddresses.RAISE, new JsonObject().put("tenantId", tenant).put("findings", findings));
    assertThat(reply.getInteger("created")).isEqualTo(1);
    assertThat(reply.getJsonArray("alerts").getJsonObject(0).getLong("count")).isEqualTo(2);
    JsonArray rejected = reply.getJsonArray("rejected");
    assertThat(rejected.stream().map(o -> ((JsonObject) o).getInteger("index"))).containsExactly(1, 2, 3);
    assertThat(rejected.getJsonObject(0).encode()).contains("tenantId");
    assertThat(rejected.getJsonObject(1).encode()).contains("severity");

    JsonArray tooMany = new JsonArray();
    for (int i = 0; i < 101; i++) {
      tooMany.add(finding(tenant, "k" + i, "x" + i));
    }
    assertFails(AlertAddresses.RAISE, new JsonObject().put("tenantId", tenant).put("findings", tooMany), 413);
    assertFails(AlertAddresses.RAISE, new JsonObject().put("tenantId", tenant).put("findings", "nope"), 400);
    assertFails(AlertAddresses.RAISE, "a string", 400);
  }

  @Test
  void list_get_audit_and_report_answer_over_the_bus() throws Exception {
    String tenant = "t-" + UUID.randomUUID();
    String id = request(AlertAddresses.RAISE, finding(tenant, "k", "e1")).getJsonArray("alerts").getJsonObject(0)
        .getString("alertId");
    JsonObject page = request(AlertAddresses.LIST, new JsonObject().put("tenantId", tenant).put("severity", "HIGH").put("limit", 1));
    assertThat(page.getJsonArray("items")).hasSize(1);
    assertThat(page.getValue("nextCursor")).isNull();
    assertThat(page.containsKey("nextCursor")).isTrue();

    JsonObject withAudit = request(AlertAddresses.GET, new JsonObject().put("tenantId", tenant).put("alertId", id).put("withAudit", true));
    assertThat(withAudit.getJsonArray("audit")).hasSize(1);
    assertThat(request(AlertAddresses.AUDIT, new JsonObject().put("tenantId", tenant).put("alertId", id))
        .getJsonArray("items").getJsonObject(0).getString("action")).isEqualTo("created");

    String csv = vertx.eventBus().<String>request(AlertAddresses.REPORT_COMPLIANCE, new JsonObject().put("tenantId", tenant)
        .put("from", "2026-04-01T00:00:00Z").put("to", "2026-04-02T00:00:00Z").put("format", "csv"))
        .await(30, TimeUnit.SECONDS).body();
    assertThat(csv).startsWith("section,key,severity,metric,value\r\n").contains("violations,kids_targeted_ad,HIGH,alerts,1\r\n");

    assertFails(AlertAddresses.LIST, new JsonObject().put("tenantId", tenant).put("cursor", "garbage!"), 400);
    assertFails(AlertAddresses.LIST, new JsonObject().put("tenantId", tenant).put("limit", 501), 400);
    assertFails(AlertAddresses.LIST, new JsonObject().put("limit", 5), 400);
    assertFails(AlertAddresses.GET, new JsonObject().put("tenantId", tenant).put("alertId", "' OR 1=1 --"), 404);
    assertFails(AlertAddresses.GET, new JsonObject().put("tenantId", "t-other").put("alertId", id), 404);
    assertFails(AlertAddresses.RESOLVE, new JsonObject().put("tenantId", tenant).put("alertId", id), 400);
    assertFails(AlertAddresses.RESOLVE, new JsonObject().put("tenantId", tenant).put("alertId", id).put("actor", "k")
        .put("note", "x".repeat(2001)), 400);
    assertFails(AlertAddresses.REPORT_COMPLIANCE, new JsonObject().put("tenantId", tenant).put("from", "2026-04-01T00:00:00Z")
        .put("to", "2026-04-02T00:00:00Z").put("format", "xml"), 400);
  }

  @Test
  void an_unreachable_kafka_neither_fails_nor_delays_the_stored_alert() throws Exception {
    Vertx other = Vertx.vertx();
    try {
      JsonObject config = new JsonObject()
          .put("pg", new JsonObject().put("url", TestServices.pgUrl()).put("poolSize", 2))
          .put("kafka", new JsonObject().put("bootstrap", "127.0.0.1:" + com.ott.testkit.TestEnvironment.freePort()));
      other.deployVerticle(new AlertsVerticle(), new DeploymentOptions().setConfig(config)).await(60, TimeUnit.SECONDS);
      String tenant = "t-" + UUID.randomUUID();
      long started = System.nanoTime();
      JsonObject reply = other.eventBus().<JsonObject>request(AlertAddresses.RAISE, finding(tenant, "k", "e1"))
          .await(30, TimeUnit.SECONDS).body();
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
      assertThat(reply.getInteger("created")).isEqualTo(1);
      // the producer may wait up to max.block.ms (5 s) for the broker; the reply must not
      assertThat(millis).isLessThan(3_000);
      var failures = ProcessRuntime.of(other).meters().find("ott_alerts_kafka_failures").counter();
      long deadline = System.currentTimeMillis() + 30_000;
      while (failures.count() < 1 && System.currentTimeMillis() < deadline) {
        Thread.sleep(200);
      }
      assertThat(failures.count()).isEqualTo(1.0);
    } finally {
      other.close().await(30, TimeUnit.SECONDS);
    }
  }
}
