package com.ott.store.alerts;

import com.ott.contract.Addresses;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.admin.KafkaAdminClient;
import io.vertx.kafka.admin.NewTopic;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the world about a stored alert change: published on {@code ott.alerts.<tenantId>}
 * (headers {@code seq} and {@code published-at}, microseconds since the epoch on the publisher's clock, so a
 * consumer can tell delivery time from processing time), and produced to the Kafka alerts topic (key and header {@code tenant}:
 * the tenant) when Kafka is configured. Best effort: the alert is already stored, so a Kafka
 * failure only counts in {@code ott_alerts_kafka_failures} and never delays the caller.
 */
final class AlertPublisher {
  private static final Logger LOG = LoggerFactory.getLogger(AlertPublisher.class);
  // alerts waiting for Kafka beyond this are dropped (and counted) rather than queued without bound
  private static final int MAX_IN_FLIGHT = 10_000;
  private static final long LOG_EVERY_MS = 30_000;

  private final Vertx vertx;
  private final String bootstrap;
  private final String topic;
  private final Counter published;
  private final Counter produced;
  private final Counter kafkaFailures;
  private final AtomicInteger inFlight = new AtomicInteger();
  private KafkaProducer<String, Buffer> producer;
  private volatile long lastFailureLog;

  AlertPublisher(Vertx vertx, JsonObject kafka, MeterRegistry meters) {
    this.vertx = vertx;
    this.bootstrap = kafka.getString("bootstrap", "");
    this.topic = kafka.getString("alertsTopic", "ott.alerts");
    this.published = Counter.builder("ott_alerts_published").description("alert changes published on the bus").register(meters);
    this.produced = Counter.builder("ott_alerts_kafka_produced").description("alert changes written to Kafka").register(meters);
    this.kafkaFailures = Counter.builder("ott_alerts_kafka_failures")
        .description("alert changes that could not be written to Kafka (stored and published all the same)").register(meters);
  }

  boolean kafkaEnabled() {
    return bootstrap != null && !bootstrap.isBlank();
  }

  /** Starts the producer when Kafka is configured; creating the topic is tried but not required. */
  Future<Void> start(int partitions, short replication) {
    if (!kafkaEnabled()) {
      return Future.succeededFuture();
    }
    producer = KafkaProducer.create(vertx, Map.of(
        "bootstrap.servers", bootstrap,
        "acks", "all",
        "enable.idempotence", "true",
        "linger.ms", "5",
        // a send never waits long for metadata or the broker: the alert is stored already
        "max.block.ms", "5000",
        "request.timeout.ms", "10000",
        "delivery.timeout.ms", "30000"), String.class, Buffer.class);
    // a failed send is counted where it completes; the stream-level report would only repeat it
    producer.exceptionHandler(err -> LOG.debug("Kafka producer: {}", err.getMessage()));
    KafkaAdminClient admin = KafkaAdminClient.create(vertx, Map.of("bootstrap.servers", bootstrap,
        "default.api.timeout.ms", "10000", "request.timeout.ms", "5000"));
    admin.listTopics()
        .compose(existing -> existing.contains(topic) ? Future.succeededFuture()
            : admin.createTopics(List.of(new NewTopic(topic, partitions, replication))))
        .onFailure(err -> LOG.info("could not check or create Kafka topic {} ({}); relying on the broker", topic, err.getMessage()))
        .onComplete(x -> admin.close());
    LOG.info("producing alerts to Kafka topic {}", topic);
    return Future.succeededFuture();
  }

  void publish(JsonObject alert, long seq) {
    String tenantId = alert.getString("tenantId");
    java.time.Instant now = java.time.Instant.now();
    vertx.eventBus().publish(Addresses.alerts(tenantId), alert, new DeliveryOptions().addHeader("seq", Long.toString(seq))
        .addHeader("published-at", Long.toString(now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000)));
    published.increment();
    if (producer == null) {
      return;
    }
    if (inFlight.incrementAndGet() > MAX_IN_FLIGHT) {
      inFlight.decrementAndGet();
      failed(tenantId, "too many alerts waiting for Kafka");
      return;
    }
    KafkaProducerRecord<String, Buffer> record = KafkaProducerRecord.create(topic, tenantId, alert.toBuffer())
        .addHeader("tenant", tenantId)
        .addHeader("seq", Long.toString(seq));
    producer.send(record).onComplete(ar -> {
      inFlight.decrementAndGet();
      if (ar.succeeded()) {
        produced.increment();
      } else {
        failed(tenantId, ar.cause().getMessage());
      }
    });
  }

  private void failed(String tenantId, String reason) {
    kafkaFailures.increment();
    long now = System.currentTimeMillis();
    if (now - lastFailureLog > LOG_EVERY_MS) {
      lastFailureLog = now;
      LOG.warn("an alert of tenant {} was not written to Kafka topic {}: {} (counted in ott_alerts_kafka_failures)",
          tenantId, topic, reason);
    }
  }

  Future<Void> close() {
    return producer == null ? Future.succeededFuture() : producer.close(5_000);
  }
}
