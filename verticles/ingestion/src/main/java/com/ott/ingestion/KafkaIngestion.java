package com.ott.ingestion;

import com.ott.contract.Addresses;
import com.ott.contract.Failures;
import com.ott.runtime.ProcessRuntime;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.admin.KafkaAdminClient;
import io.vertx.kafka.admin.NewTopic;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.consumer.KafkaConsumerRecords;
import io.vertx.kafka.client.producer.KafkaHeader;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes the events topic. The tenant comes from the record header
 * {@code tenant}, never the payload. A record that cannot be ingested (no or
 * unknown tenant, garbage bytes, invalid events) goes to the dead-letter topic
 * with the reason, and consumption continues. Offsets are committed only after
 * the batch's events are stored and its dead letters acknowledged; on failure the
 * consumer seeks back and retries, so nothing is lost.
 */
final class KafkaIngestion {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaIngestion.class);
  private static final long TENANT_CACHE_MS = 60_000;
  private static final long RETRY_DELAY_MS = 1_000;

  private final Vertx vertx;
  private final JsonObject config;
  private final BatchParser parser;
  private final EventIntake intake;
  private final StorePipeline pipeline;
  private final Map<String, Long> knownTenants = new HashMap<>();
  private final Counter consumed;
  private final Counter deadLettered;
  private KafkaConsumer<String, Buffer> consumer;
  private KafkaProducer<String, Buffer> deadLetters;
  private KafkaAdminClient admin;
  private volatile boolean stopped;

  KafkaIngestion(Vertx vertx, JsonObject config, BatchParser parser, EventIntake intake, StorePipeline pipeline,
                 MeterRegistry meters) {
    this.vertx = vertx;
    this.config = config;
    this.parser = parser;
    this.intake = intake;
    this.pipeline = pipeline;
    this.consumed = Counter.builder("ott_kafka_records_consumed").register(meters);
    this.deadLettered = Counter.builder("ott_kafka_records_dead_lettered").register(meters);
  }

  Future<Void> start() {
    String bootstrap = config.getString("bootstrap");
    String topic = config.getString("eventsTopic", "ott.events");
    String dlq = config.getString("deadLetterTopic", "ott.events.dlq");
    admin = KafkaAdminClient.create(vertx, Map.of("bootstrap.servers", bootstrap));
    ProcessRuntime.of(vertx).readiness().register("kafka", () -> admin.listTopics());

    Map<String, String> consumerConfig = new HashMap<>();
    consumerConfig.put("bootstrap.servers", bootstrap);
    consumerConfig.put("group.id", config.getString("consumerGroup", "ott-ingestion"));
    consumerConfig.put("enable.auto.commit", "false");
    consumerConfig.put("auto.offset.reset", "earliest");
    consumerConfig.put("max.poll.records", String.valueOf(config.getInteger("maxPollRecords", 2000)));
    Map<String, String> producerConfig = new HashMap<>();
    producerConfig.put("bootstrap.servers", bootstrap);
    producerConfig.put("acks", "all");
    producerConfig.put("enable.idempotence", "true");

    return ensureTopics(List.of(topic, dlq)).compose(x -> {
      consumer = KafkaConsumer.create(vertx, consumerConfig, String.class, Buffer.class);
      deadLetters = KafkaProducer.create(vertx, producerConfig, String.class, Buffer.class);
      return consumer.subscribe(topic);
    }).onSuccess(x -> {
      LOG.info("consuming Kafka topic {} (dead letters to {})", topic, dlq);
      pollLoop(dlq);
    });
  }

  private Future<Void> ensureTopics(List<String> topics) {
    int partitions = config.getInteger("topicPartitions", 4);
    short replication = config.getInteger("replicationFactor", 1).shortValue();
    return admin.listTopics().compose(existing -> {
      List<NewTopic> missing = topics.stream().filter(t -> !existing.contains(t))
          .map(t -> new NewTopic(t, partitions, replication)).toList();
      return missing.isEmpty() ? Future.succeededFuture()
          // another instance may create the same topic at the same time: that is fine
          : admin.createTopics(missing).recover(err -> err.getMessage() != null && err.getMessage().contains("already exists")
              ? Future.succeededFuture() : Future.failedFuture(err));
    });
  }

  private void pollLoop(String dlq) {
    if (stopped) {
      return;
    }
    consumer.poll(Duration.ofMillis(config.getInteger("pollTimeoutMs", 500))).compose(records -> {
      if (records.isEmpty()) {
        return Future.succeededFuture();
      }
      return process(records, dlq)
          .compose(x -> consumer.commit())
          .recover(err -> {
            LOG.warn("a batch of {} Kafka records failed and will be retried: {}", records.size(), err.getMessage());
            return rewind(records).compose(y -> delay()).compose(y -> Future.<Void>failedFuture(err));
          })
          .onSuccess(x -> consumed.increment(records.size()));
    }).onComplete(ar -> pollLoop(dlq));
  }

  /** Stores the good events of a batch and dead-letters the rest. */
  private Future<Void> process(KafkaConsumerRecords<String, Buffer> records, String dlq) {
    List<KafkaConsumerRecord<String, Buffer>> all = new ArrayList<>(records.size());
    for (int i = 0; i < records.size(); i++) {
      all.add(records.recordAt(i));
    }
    Set<String> tenants = new java.util.HashSet<>();
    for (KafkaConsumerRecord<String, Buffer> r : all) {
      String t = header(r, "tenant");
      if (t != null) {
        tenants.add(t);
      }
    }
    return knownOf(tenants).compose(known -> {
      Map<String, JsonArray> byTenant = new LinkedHashMap<>();
      List<Future<?>> deadLetterSends = new ArrayList<>();
      for (KafkaConsumerRecord<String, Buffer> r : all) {
        String tenant = header(r, "tenant");
        String reason;
        if (tenant == null || tenant.isBlank()) {
          reason = "missing record header 'tenant'";
        } else if (!known.contains(tenant)) {
          reason = "unknown tenant '" + truncate(tenant) + "'";
        } else {
          reason = accept(r, byTenant.computeIfAbsent(tenant, k -> new JsonArray()));
        }
        if (reason != null) {
          deadLetterSends.add(deadLetter(dlq, r, tenant, reason));
        }
      }
      List<Future<?>> stores = new ArrayList<>(deadLetterSends);
      byTenant.forEach((tenant, events) -> stores.add(pipeline.persist(tenant, "kafka", events)));
      return Future.all(stores).mapEmpty();
    });
  }

  /** Adds the record's valid events to the tenant's batch; returns why the record (or part of it) is dead-lettered. */
  private String accept(KafkaConsumerRecord<String, Buffer> r, JsonArray batch) {
    if (r.value() == null || r.value().length() == 0) {
      return "empty record value";
    }
    try {
      EventIntake.Checked checked = intake.check(parser.parse(r.value(), com.ott.contract.BatchFormat.JSON));
      batch.addAll(checked.accepted());
      return checked.rejected().isEmpty() ? null : "invalid events: " + checked.rejected().encode();
    } catch (Failures.Rejection e) {
      return e.getMessage();
    }
  }

  private Future<?> deadLetter(String dlq, KafkaConsumerRecord<String, Buffer> r, String tenant, String reason) {
    deadLettered.increment();
    KafkaProducerRecord<String, Buffer> out = KafkaProducerRecord.create(dlq, r.key(), r.value() == null ? Buffer.buffer() : r.value());
    out.addHeader("error", truncate(reason, 4000));
    out.addHeader("source.topic", r.topic());
    out.addHeader("source.partition", String.valueOf(r.partition()));
    out.addHeader("source.offset", String.valueOf(r.offset()));
    if (tenant != null) {
      out.addHeader("tenant", tenant);
    }
    return deadLetters.send(out);
  }

  private Future<Set<String>> knownOf(Set<String> tenants) {
    long now = System.currentTimeMillis();
    Set<String> known = new java.util.HashSet<>();
    List<Future<?>> lookups = new ArrayList<>();
    for (String t : tenants) {
      Long until = knownTenants.get(t);
      if (until != null && until > now) {
        known.add(t);
        continue;
      }
      lookups.add(vertx.eventBus().request(Addresses.TENANCY_GET_TENANT, new JsonObject().put("tenantId", t))
          .map(reply -> {
            knownTenants.put(t, now + TENANT_CACHE_MS);
            known.add(t);
            return null;
          })
          .recover(err -> err instanceof ReplyException re && re.failureCode() == Failures.NOT_FOUND
              ? Future.succeededFuture()   // unknown tenant: dead-lettered
              : Future.failedFuture(err))); // tenancy unreachable: retry the batch
    }
    return Future.all(lookups).map(x -> known);
  }

  private Future<Void> rewind(KafkaConsumerRecords<String, Buffer> records) {
    Map<TopicPartition, Long> first = new HashMap<>();
    for (int i = 0; i < records.size(); i++) {
      KafkaConsumerRecord<String, Buffer> r = records.recordAt(i);
      first.merge(new TopicPartition(r.topic(), r.partition()), r.offset(), Math::min);
    }
    List<Future<Void>> seeks = new ArrayList<>();
    first.forEach((tp, offset) -> seeks.add(consumer.seek(tp, offset)));
    return Future.all(seeks).mapEmpty();
  }

  private Future<Void> delay() {
    return Future.future(p -> vertx.setTimer(RETRY_DELAY_MS, t -> p.complete()));
  }

  private static String header(KafkaConsumerRecord<String, Buffer> r, String name) {
    for (KafkaHeader h : r.headers()) {
      if (name.equals(h.key()) && h.value() != null) {
        return h.value().toString(StandardCharsets.UTF_8);
      }
    }
    return null;
  }

  private static String truncate(String s) {
    return truncate(s, 64);
  }

  private static String truncate(String s, int max) {
    return s.length() > max ? s.substring(0, max) + "..." : s;
  }

  Future<Void> stop() {
    stopped = true;
    List<Future<?>> closing = new ArrayList<>();
    if (consumer != null) {
      closing.add(consumer.close());
    }
    if (deadLetters != null) {
      closing.add(deadLetters.close());
    }
    if (admin != null) {
      closing.add(admin.close());
    }
    return Future.join(closing).mapEmpty();
  }
}
