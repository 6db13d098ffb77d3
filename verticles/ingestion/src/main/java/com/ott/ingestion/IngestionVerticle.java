package com.ott.ingestion;

import com.ott.contract.Addresses;
import com.ott.contract.BatchFormat;
import com.ott.contract.EventValidator;
import com.ott.contract.Failures;
import com.ott.runtime.OttConfig;
import com.ott.runtime.ProcessRuntime;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Validates and de-duplicates events. Consumes HTTP batches from the gateway on
 * {@link Addresses#INGEST_HTTP_BATCH} and, when Kafka is configured, the topic of
 * events; valid events go to storage, each invalid one is rejected with its reason.
 */
public class IngestionVerticle extends VerticleBase {

  public static final String HEADER_TENANT = "tenant-id";
  public static final String HEADER_CONTENT_TYPE = "content-type";

  private BatchParser parser;
  private EventIntake intake;
  private StorePipeline pipeline;
  private KafkaIngestion kafka;
  private Counter accepted;
  private Counter rejected;

  @Override
  public Future<?> start() {
    JsonObject limits = OttConfig.section(config(), "ingest");
    parser = new BatchParser(limits.getInteger("maxBatchEvents", 10_000), limits.getInteger("maxEventBytes", 65_536));
    intake = new EventIntake(new EventValidator(limits.getInteger("maxAttributesBytes", 16_384)));
    pipeline = new StorePipeline(vertx, OttConfig.section(config(), "store").getInteger("requestTimeoutMs", 10_000),
        OttConfig.section(config(), "encryption").getBoolean("enabled", true),
        OttConfig.section(config(), "rules").getBoolean("enabled", true));
    MeterRegistry meters = ProcessRuntime.of(vertx).meters();
    accepted = Counter.builder("ott_events_accepted").tag("source", "http").register(meters);
    rejected = Counter.builder("ott_events_rejected").tag("source", "http").register(meters);

    vertx.eventBus().<Buffer>consumer(Addresses.INGEST_HTTP_BATCH, this::ingestHttpBatch);

    JsonObject kafkaConfig = OttConfig.section(config(), "kafka");
    if (kafkaConfig.getString("bootstrap", "").isBlank()) {
      return Future.succeededFuture();
    }
    kafka = new KafkaIngestion(vertx, kafkaConfig, parser, intake, pipeline, meters);
    return kafka.start();
  }

  private void ingestHttpBatch(Message<Buffer> message) {
    String tenantId = message.headers().get(HEADER_TENANT);
    try {
      if (tenantId == null) {
        throw Failures.reject(Failures.UNAUTHORIZED, "no tenant");
      }
      BatchFormat format = BatchFormat.of(message.headers().get(HEADER_CONTENT_TYPE));
      List<BatchParser.Item> items = parser.parse(message.body(), format);
      EventIntake.Checked checked = intake.check(items);
      pipeline.persist(tenantId, "http", checked.accepted()).onComplete(ar -> {
        if (ar.failed()) {
          Failures.replyFailure(message, ar.cause());
          return;
        }
        accepted.increment(checked.accepted().size());
        rejected.increment(checked.rejected().size());
        message.reply(new JsonObject()
            .put("accepted", checked.accepted().size())
            .put("stored", ar.result().getInteger("stored"))
            .put("duplicates", ar.result().getInteger("duplicates"))
            .put("rejected", checked.rejected()));
      });
    } catch (Failures.Rejection r) {
      message.fail(r.status(), r.getMessage());
    }
  }

  @Override
  public Future<?> stop() {
    return kafka == null ? Future.succeededFuture() : kafka.stop();
  }
}
