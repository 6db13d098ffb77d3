package com.ott.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class KafkaBrokerTest {

  @Test
  void aRecordProducedToAnAutoCreatedTopicIsConsumedBack() throws Exception {
    try (KafkaBroker broker = KafkaBroker.start()) {
      String topic = "ott.events.test";
      try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig(broker))) {
        producer.send(new ProducerRecord<>(topic, "tenant-1", "{\"eventId\":\"e1\"}")).get();
      }

      try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig(broker))) {
        consumer.subscribe(List.of(topic));
        ConsumerRecord<String, String> received = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (received == null && System.nanoTime() < deadline) {
          for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) received = record;
        }
        assertThat(received).as("record consumed back").isNotNull();
        assertThat(received.key()).isEqualTo("tenant-1");
        assertThat(received.value()).isEqualTo("{\"eventId\":\"e1\"}");
        consumer.commitSync();
      }
      assertThat(broker.isRunning()).isTrue();
    }
  }

  @Test
  void clusterIdsLookLikeKafkas() {
    String id = KafkaBroker.randomClusterId();
    assertThat(id).hasSize(22).matches("[A-Za-z0-9_][A-Za-z0-9_-]{21}");
  }

  private static Properties producerConfig(KafkaBroker broker) {
    Properties config = new Properties();
    config.putAll(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()));
    return config;
  }

  private static Properties consumerConfig(KafkaBroker broker) {
    Properties config = new Properties();
    config.putAll(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
        ConsumerConfig.GROUP_ID_CONFIG, "testkit",
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()));
    return config;
  }
}
