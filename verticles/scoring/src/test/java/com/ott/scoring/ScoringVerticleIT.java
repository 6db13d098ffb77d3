package com.ott.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import com.ott.contract.Addresses;
import com.ott.contract.ScoringAddresses;
import com.ott.scoring.model.ModelStore;
import com.ott.scoring.model.NetworkTrainer;
import com.ott.scoring.train.ModelTraining;
import com.ott.scoring.train.SeriesData;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scoring verticle end to end: events in on the bus, minute buckets, scores and ANOMALY findings out. */
class ScoringVerticleIT {
  static final String TENANT = "acme";
  static final String SERIES = ScoringAddresses.eventsSeries("playback.start");
  static final int MINUTES = 40;
  static final int SPIKE = 32;

  @TempDir
  Path dir;
  Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(20, TimeUnit.SECONDS);
  }

  static int playbacksInMinute(int minute, Random random) {
    return (int) Math.round(20 + 8 * Math.sin(2 * Math.PI * minute / 12.0) + random.nextGaussian());
  }

  @Test
  void live_events_are_bucketed_per_minute_scored_as_buckets_close_a_spike_raises_an_anomaly_alert_and_models_reload_without_restart() throws Exception {
    Random random = new Random(5);
    double[] history = new double[300];
    for (int m = 0; m < history.length; m++) {
      history[m] = playbacksInMinute(m, random);
    }
    ModelStore store = new ModelStore(dir.resolve("models"));
    ModelTraining.train(store, "minute", List.of(new SeriesData(TENANT + "/" + SERIES, null, history, 0, history.length)),
        ModelTraining.Settings.defaults().withArchitecture(SyntheticSeries.TINY)
            .withOptions(new NetworkTrainer.Options(15, 32, 0.003f, 3, 1)), true);

    JsonObject config = new JsonObject().put("scoring", new JsonObject()
        .put("modelDir", dir.resolve("models").toString())
        .put("seriesDir", dir.resolve("series").toString())
        .put("resolutions", new JsonObject().put("minute", 60))
        .put("closeGraceSeconds", 0)
        .put("tickMillis", 100)
        .put("reloadSeconds", 0)
        .put("retrain", new JsonObject().put("everyMinutes", 0).put("minRows", 30).put("epochs", 1)));
    List<JsonObject> metrics = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> allScored = new CompletableFuture<>();
    CompletableFuture<JsonObject> alert = new CompletableFuture<>();
    vertx.eventBus().<JsonObject>consumer(Addresses.metrics(TENANT), m -> {
      metrics.add(m.body());
      if (metrics.size() >= MINUTES) {
        allScored.complete(null);
      }
    });
    vertx.eventBus().<JsonObject>consumer(ScoringAddresses.ALERTS_RAISE, m -> alert.complete(m.body()));
    vertx.deployVerticle(new ScoringVerticle(), new DeploymentOptions().setConfig(config)).await(60, TimeUnit.SECONDS);

    // the last MINUTES whole minutes before the current one, oldest first; each already over, so each closes at once
    long firstMinute = (System.currentTimeMillis() / 60_000 - MINUTES - 1) * 60_000;
    for (int m = 0; m < MINUTES; m++) {
      int count = m == SPIKE ? 150 : playbacksInMinute(300 + m, random);
      JsonArray events = new JsonArray();
      for (int i = 0; i < count; i++) {
        events.add(new JsonObject().put("eventId", m + "-" + i).put("type", "playback.start")
            .put("occurredAt", Instant.ofEpochMilli(firstMinute + m * 60_000L + i * 100L).toString()));
      }
      vertx.eventBus().publish(ScoringAddresses.OBSERVE_BATCH, new JsonObject().put("tenantId", TENANT).put("events", events));
    }

    allScored.get(60, TimeUnit.SECONDS);
    JsonObject finding = alert.get(30, TimeUnit.SECONDS);
    // a snapshot: the series keeps closing (empty) minutes while the test runs
    List<JsonObject> first = List.copyOf(new java.util.ArrayList<>(metrics)).subList(0, MINUTES);
    assertThat(first).extracting(m -> m.getString("bucket"))
        .containsExactlyElementsOf(java.util.stream.IntStream.range(0, MINUTES)
            .mapToObj(m -> Instant.ofEpochMilli(firstMinute + m * 60_000L).toString()).toList());
    assertThat(first.get(SPIKE).getDouble("value")).isEqualTo(150.0);
    assertThat(first.get(22).getValue("score")).isNull();
    assertThat(first.subList(23, MINUTES)).allSatisfy(m -> {
      assertThat(m.getDouble("score")).isBetween(0.0, 1.0);
      assertThat(m.getDouble("threshold")).isEqualTo(0.5);
      assertThat(m.getJsonObject("model").getInteger("version")).isEqualTo(1);
    });
    assertThat(first.subList(SPIKE, MINUTES)).anyMatch(m -> m.getBoolean("anomalous"));
    assertThat(first.subList(23, SPIKE)).noneMatch(m -> m.getBoolean("anomalous"));

    assertThat(finding.getString("kind")).isEqualTo("ANOMALY");
    assertThat(finding.getString("tenantId")).isEqualTo(TENANT);
    assertThat(finding.getString("ruleId")).isEqualTo("anomaly.events.playback.start");
    assertThat(finding.getString("severity")).isIn("LOW", "MEDIUM", "HIGH");
    assertThat(finding.getJsonObject("subject").getString("series")).isEqualTo(SERIES);
    assertThat(finding.containsKey("eventId")).isTrue();
    assertThat(finding.getValue("eventId")).isNull();
    assertThat(finding.getString("dedupKey")).isEqualTo("acme:anomaly.events.playback.start:minute");
    assertThat(finding.getJsonObject("evidence").getJsonObject("values").getJsonArray("window")).hasSize(24);
    assertThat(finding.getString("explanation")).contains("events.playback.start per minute");

    // the closed buckets are stored as a NAB-format series, which retraining reads
    Path stored = dir.resolve("series/minute/acme/events.playback.start.csv");
    assertThat(Files.readAllLines(stored)).hasSizeGreaterThanOrEqualTo(MINUTES + 1).first().isEqualTo("timestamp,value");

    // retraining runs off the event loop; one epoch on 40 buckets is worse than the current model, so it stays
    JsonObject retrained = vertx.eventBus().<JsonObject>request(ScoringAddresses.RETRAIN, new JsonObject(),
            new DeliveryOptions().setSendTimeout(180_000)).await(180, TimeUnit.SECONDS).body();
    JsonObject result = retrained.getJsonArray("results").getJsonObject(0);
    assertThat(result.getBoolean("promoted")).as(result.encode()).isFalse();
    assertThat(result.getString("reason")).contains("not promoted");
    JsonObject status = vertx.eventBus().<JsonObject>request(ScoringAddresses.STATUS, new JsonObject())
        .await(10, TimeUnit.SECONDS).body();
    assertThat(status.getJsonObject("models").getJsonObject("minute").getInteger("version")).isEqualTo(1);

    // a version published by scripts/train while the verticle runs is picked up without a restart
    ModelTraining.train(store, "minute", List.of(new SeriesData(TENANT + "/" + SERIES, null, history, 0, history.length)),
        ModelTraining.Settings.defaults().withArchitecture(SyntheticSeries.TINY)
            .withOptions(new NetworkTrainer.Options(2, 32, 0.003f, 4, 1)), true);
    JsonObject reloaded = vertx.eventBus().<JsonObject>request(ScoringAddresses.RELOAD, new JsonObject())
        .await(60, TimeUnit.SECONDS).body();
    assertThat(reloaded.getJsonObject("minute").getInteger("version")).isEqualTo(2);
  }
}
