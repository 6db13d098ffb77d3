package com.ott.ingestion;

import static org.assertj.core.api.Assertions.assertThat;

import com.ott.contract.Addresses;
import com.ott.runtime.OttConfig;
import com.ott.runtime.OttProcess;
import com.ott.runtime.OttProcess.Component;
import com.ott.store.StoreVerticle;
import com.ott.tenancy.TenancyVerticle;
import com.ott.testkit.TestEnvironment;
import com.ott.testkit.TestServices;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The events topic against a real Kafka broker and PostgreSQL. */
class KafkaIngestionIT {
  private static final String TOPIC = "ott.events.it-" + UUID.randomUUID();
  private static final String DLQ = TOPIC + ".dlq";
  private static OttProcess.Running process;
  private static KafkaProducer<String, Buffer> producer;
  private static KafkaConsumer<String, Buffer> dlqReader;
  private static final List<KafkaConsumerRecord<String, Buffer>> DEAD = new CopyOnWriteArrayList<>();
  private static String tenantId;
  private static String storeDeployment;

  private static String deployStore() throws Exception {
    return process.vertx().deployVerticle(StoreVerticle::new, new io.vertx.core.DeploymentOptions().setConfig(process.config()))
        .await(30, TimeUnit.SECONDS);
  }

  @BeforeAll
  static void start() throws Exception {
    Map<String, String> env = TestEnvironment.withKafka();
    env.put("OTT_KAFKA_EVENTSTOPIC", TOPIC);
    env.put("OTT_KAFKA_DEADLETTERTOPIC", DLQ);
    env.put("OTT_KAFKA_CONSUMERGROUP", "it-" + UUID.randomUUID());
    JsonObject config = OttConfig.load(env);
    process = OttProcess.start("kafka-test", config, List.of(
        Component.of("tenancy", TenancyVerticle::new),
        Component.of("ingestion", IngestionVerticle::new))).await(120, TimeUnit.SECONDS);
    Vertx vertx = process.vertx();
    storeDeployment = deployStore();
    tenantId = vertx.eventBus().<JsonObject>request(Addresses.TENANCY_CREATE_TENANT,
        new JsonObject().put("name", "kafka-" + UUID.randomUUID())).await(20, TimeUnit.SECONDS).body().getString("tenantId");
    String bootstrap = TestServices.kafkaBootstrap();
    producer = KafkaProducer.create(vertx, Map.of("bootstrap.servers", bootstrap, "acks", "all"), String.class, Buffer.class);
    dlqReader = KafkaConsumer.create(vertx, Map.of("bootstrap.servers", bootstrap, "group.id", "dlq-" + UUID.randomUUID(),
        "auto.offset.reset", "earliest"), String.class, Buffer.class);
    dlqReader.handler(DEAD::add);
    dlqReader.subscribe(DLQ).await(20, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    if (dlqReader != null) {
      dlqReader.close().await(20, TimeUnit.SECONDS);
    }
    if (producer != null) {
      producer.close().await(20, TimeUnit.SECONDS);
    }
    if (process != null) {
      process.close().await(30, TimeUnit.SECONDS);
    }
  }

  private static JsonObject event(String id) {
    return new JsonObject().put("eventId", id).put("type", "auth.login").put("occurredAt", "2026-11-25T10:00:00Z")
        .put("accountId", "acc-1");
  }

  private static void send(String tenant, Buffer value) throws Exception {
    KafkaProducerRecord<String, Buffer> r = KafkaProducerRecord.create(TOPIC, "k", value);
    if (tenant != null) {
      r.addHeader("tenant", tenant);
    }
    producer.send(r).await(20, TimeUnit.SECONDS);
  }

  private static long count() throws Exception {
    return process.vertx().eventBus().<JsonObject>request(Addresses.STORE_COUNT, new JsonObject().put("tenantId", tenantId))
        .await(10, TimeUnit.SECONDS).body().getLong("count");
  }

  private static void await(String what, BooleanSupplier condition) throws Exception {
    long deadline = System.currentTimeMillis() + 60_000;
    while (!condition.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(100);
    }
  }

  private static boolean hasDeadLetter(String errorFragment) {
    return DEAD.stream().anyMatch(r -> r.headers().stream()
        .anyMatch(h -> h.key().equals("error") && h.value().toString().contains(errorFragment)));
  }

  @Test
  void bad_records_go_to_the_dead_letter_topic_and_good_ones_are_stored() throws Exception {
    String run = UUID.randomUUID().toString();
    send(tenantId, event(run + "-1").toBuffer());
    send(null, event(run + "-2").toBuffer());
    send(tenantId, Buffer.buffer(new byte[] {0x00, (byte) 0xff, 0x13, 0x37}));
    send("t-no-such-tenant", event(run + "-3").toBuffer());
    send(tenantId, event(run + "-4").put("type", "video.teleport").toBuffer());
    send(tenantId, Buffer.buffer());
    send(tenantId, event(run + "-5").toBuffer());

    await("the good events to be stored", () -> {
      try {
        return count() >= 2;
      } catch (Exception e) {
        return false;
      }
    });
    await("five dead letters", () -> hasDeadLetter("missing record header 'tenant'")
        && hasDeadLetter("malformed JSON") && hasDeadLetter("unknown tenant")
        && hasDeadLetter("unknown event type") && hasDeadLetter("empty record value"));
    assertThat(count()).isEqualTo(2);
    KafkaConsumerRecord<String, Buffer> garbage = DEAD.stream().filter(r -> r.headers().stream()
        .anyMatch(h -> h.key().equals("error") && h.value().toString().contains("malformed JSON"))).findFirst().orElseThrow();
    assertThat(garbage.value().getBytes()).containsExactly(0x00, (byte) 0xff, 0x13, 0x37);
    assertThat(garbage.headers().stream().map(h -> h.key()).toList()).contains("source.topic", "source.partition", "source.offset");
  }

  @Test
  void a_replayed_record_creates_no_second_event() throws Exception {
    String id = "replay-" + UUID.randomUUID();
    long before = count();
    send(tenantId, event(id).toBuffer());
    send(tenantId, event(id).toBuffer());
    send(tenantId, event(id + "-marker").toBuffer());
    await("the marker to be stored", () -> {
      try {
        return count() >= before + 2;
      } catch (Exception e) {
        return false;
      }
    });
    Thread.sleep(500);
    assertThat(count()).isEqualTo(before + 2);
  }

  @Test
  void records_wait_in_kafka_while_the_store_is_down_and_are_stored_when_it_returns() throws Exception {
    // only the store goes away: ingestion keeps consuming, cannot store, so must not commit
    long before = count();
    process.vertx().undeploy(storeDeployment).await(20, TimeUnit.SECONDS);
    String run = UUID.randomUUID().toString();
    for (int i = 0; i < 10; i++) {
      send(tenantId, event(run + "-" + i).toBuffer());
    }
    Thread.sleep(3000);
    storeDeployment = deployStore();
    await("the ten events to be stored after the store returns", () -> {
      try {
        return count() >= before + 10;
      } catch (Exception e) {
        return false;
      }
    });
    assertThat(count()).isEqualTo(before + 10);
  }
}
