package com.ott.scoring;

import com.ott.contract.Addresses;
import com.ott.contract.Failures;
import com.ott.contract.ScoringAddresses;
import com.ott.runtime.ProcessRuntime;
import com.ott.scoring.detect.AnomalyScore;
import com.ott.scoring.model.Architecture;
import com.ott.scoring.model.ModelKind;
import com.ott.scoring.model.ModelStore;
import com.ott.scoring.model.NetworkTrainer;
import com.ott.scoring.model.ScoringModels;
import com.ott.scoring.series.BucketBook;
import com.ott.scoring.series.LiveSeries;
import com.ott.scoring.series.Resolution;
import com.ott.scoring.series.SeriesKey;
import com.ott.scoring.series.SeriesStore;
import com.ott.scoring.train.ModelTraining;
import com.ott.scoring.train.SeriesData;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the product's own metric series and raises anomaly alerts.
 *
 * <p>Consumes {@link ScoringAddresses#OBSERVE} and {@link ScoringAddresses#OBSERVE_BATCH} (counts per tenant and
 * series), sums them into minute and hour buckets of event time, and when a bucket closes scores its series' last
 * 24 buckets with the LSTM + Transformer ensemble of that resolution (the newest valid model version under
 * {@code scoring.modelDir}, reloaded without restart). Publishes every score on {@code ott.metrics.<tenantId>} and
 * sends an ANOMALY finding to {@link ScoringAddresses#ALERTS_RAISE} when it crosses the threshold. Inference and
 * retraining run on two separate worker pools, so the event loop never blocks and retraining never delays scoring.
 */
public class ScoringVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(ScoringVerticle.class);

  private ScoringSettings settings;
  private ModelStore store;
  private SeriesStore seriesStore;
  private BucketBook book;
  private final Map<SeriesKey, LiveSeries> live = new HashMap<>();
  // written on the event loop, read by the inference worker when it checks for a newer version
  private final Map<String, ScoringModels> models = new java.util.concurrent.ConcurrentHashMap<>();
  private WorkerExecutor inference;
  private WorkerExecutor training;
  private final AtomicBoolean retraining = new AtomicBoolean();
  // scoring batches run one after another so each series' normaliser sees its buckets in order
  private Future<Void> scoringChain = Future.succeededFuture();
  private long bucketsScored;
  private Counter scoredCounter;
  private Counter anomalyCounter;

  @Override
  public Future<?> start() {
    settings = ScoringSettings.from(config());
    store = new ModelStore(settings.modelDir());
    seriesStore = new SeriesStore(settings.seriesDir());
    book = new BucketBook(settings.resolutions(), settings.closeGraceMillis());
    inference = vertx.createSharedWorkerExecutor("ott-scoring-inference", 1, 5, TimeUnit.MINUTES);
    training = vertx.createSharedWorkerExecutor("ott-scoring-training", 1, 6, TimeUnit.HOURS);
    var meters = ProcessRuntime.of(vertx).meters();
    scoredCounter = Counter.builder("ott_scoring_buckets_scored").description("closed buckets scored").register(meters);
    anomalyCounter = Counter.builder("ott_scoring_anomalies").description("ANOMALY findings raised").register(meters);

    vertx.eventBus().<JsonObject>consumer(ScoringAddresses.OBSERVE, this::observe);
    vertx.eventBus().<JsonObject>consumer(ScoringAddresses.OBSERVE_BATCH, this::observeBatch);
    vertx.eventBus().<JsonObject>consumer(ScoringAddresses.RELOAD, m -> reload()
        .onSuccess(m::reply).onFailure(err -> Failures.replyFailure(m, err)));
    vertx.eventBus().<JsonObject>consumer(ScoringAddresses.RETRAIN, this::retrainRequest);
    vertx.eventBus().<JsonObject>consumer(ScoringAddresses.STATUS, m -> m.reply(status()));

    vertx.setPeriodic(settings.tickMillis(), id -> closeBuckets());
    if (settings.reloadSeconds() > 0) {
      vertx.setPeriodic(settings.reloadSeconds() * 1000, id -> reload()
          .onFailure(err -> LOG.warn("model reload failed, still scoring with the loaded versions: {}", err.getMessage())));
    }
    if (settings.retrainEveryMinutes() > 0) {
      vertx.setPeriodic(TimeUnit.MINUTES.toMillis(settings.retrainEveryMinutes()), id -> retrain(null)
          .onFailure(err -> LOG.warn("scheduled retraining failed: {}", err.getMessage())));
    }
    // a missing or broken model is not fatal: the series are still bucketed, stored and published, unscored
    return reload().<Void>mapEmpty().recover(err -> {
      LOG.warn("no model loaded ({}): series are bucketed, stored and published unscored until one is", err.getMessage());
      return Future.succeededFuture();
    });
  }

  private void observe(Message<JsonObject> message) {
    JsonObject body = message.body();
    String tenantId = body.getString("tenantId");
    String series = body.getString("series");
    Long at = epochMillis(body.getValue("at"));
    if (tenantId == null || series == null || at == null) {
      LOG.debug("observation without tenantId, series or a valid at: ignored");
      return;
    }
    book.add(tenantId, series, at, body.getDouble("count", 1.0));
  }

  private void observeBatch(Message<JsonObject> message) {
    JsonObject body = message.body();
    String tenantId = body.getString("tenantId");
    if (tenantId == null) {
      return;
    }
    for (Object o : body.getJsonArray("events", new JsonArray())) {
      if (o instanceof JsonObject event && event.getString("type") != null) {
        Long at = epochMillis(event.getValue("occurredAt"));
        if (at != null) {
          book.add(tenantId, ScoringAddresses.eventsSeries(event.getString("type")), at, 1);
        }
      }
    }
    for (Object o : body.getJsonArray("findings", new JsonArray())) {
      if (o instanceof JsonObject finding && finding.getString("ruleId") != null) {
        Long at = epochMillis(finding.getValue("occurredAt"));
        if (at != null) {
          book.add(tenantId, ScoringAddresses.violationsSeries(finding.getString("ruleId")), at, 1);
        }
      }
    }
  }

  private void closeBuckets() {
    List<BucketBook.Closed> closed = book.closeUntil(System.currentTimeMillis());
    if (closed.isEmpty()) {
      return;
    }
    // windows are taken now, on the event loop, in bucket order; the networks run on the inference worker
    List<Pending> pending = new ArrayList<>();
    for (BucketBook.Closed c : closed) {
      LiveSeries s = live.computeIfAbsent(c.key(), k -> new LiveSeries(k, settings.window()));
      s.push(c.value());
      ScoringModels m = models.get(c.key().resolution().name());
      float[] window = m != null && s.full() && m.metadata().window() == settings.window() ? s.window(m.metadata()) : null;
      pending.add(new Pending(c, s, m, window));
    }
    scoringChain = scoringChain.compose(x -> inference.executeBlocking(() -> infer(closed, pending), true))
        .onSuccess(this::publish)
        .recover(err -> {
          LOG.warn("scoring {} buckets failed: {}", pending.size(), err.getMessage());
          return Future.succeededFuture();
        })
        .mapEmpty();
  }

  private record Pending(BucketBook.Closed bucket, LiveSeries series, ScoringModels models, float[] window) {}

  private record Scored(Pending pending, double lstmError, double transformerError) {}

  /** On the inference worker: stores the buckets, then one batched forward pass per network and model version. */
  private List<Scored> infer(List<BucketBook.Closed> closed, List<Pending> pending) throws Exception {
    try {
      seriesStore.append(closed);
    } catch (Exception e) {
      LOG.warn("storing {} closed buckets failed: {}", closed.size(), e.getMessage());
    }
    Map<ScoringModels, List<Integer>> byModel = new HashMap<>();
    for (int i = 0; i < pending.size(); i++) {
      if (pending.get(i).window() != null) {
        byModel.computeIfAbsent(pending.get(i).models(), k -> new ArrayList<>()).add(i);
      }
    }
    double[][] errors = new double[pending.size()][];
    for (Map.Entry<ScoringModels, List<Integer>> e : byModel.entrySet()) {
      ScoringModels m = e.getKey();
      if (!m.acquire()) {
        continue;
      }
      try {
        float[][] windows = e.getValue().stream().map(i -> pending.get(i).window()).toArray(float[][]::new);
        float[] lstm = m.network(ModelKind.LSTM).newestErrors(windows);
        float[] transformer = m.network(ModelKind.TRANSFORMER).newestErrors(windows);
        for (int j = 0; j < windows.length; j++) {
          errors[e.getValue().get(j)] = new double[] {lstm[j], transformer[j]};
        }
      } finally {
        m.release();
      }
    }
    List<Scored> out = new ArrayList<>();
    for (int i = 0; i < pending.size(); i++) {
      out.add(new Scored(pending.get(i), errors[i] == null ? Double.NaN : errors[i][0], errors[i] == null ? Double.NaN : errors[i][1]));
    }
    return out;
  }

  /** Back on the event loop, in bucket order: normalise, publish the score, raise an alert on a crossing. */
  private void publish(List<Scored> scored) {
    for (Scored s : scored) {
      BucketBook.Closed bucket = s.pending().bucket();
      SeriesKey key = bucket.key();
      ScoringModels m = s.pending().models();
      AnomalyScore score = Double.isNaN(s.lstmError()) ? null
          : s.pending().series().score(m.metadata(), s.lstmError(), s.transformerError());
      boolean anomalous = score != null && score.ensemble() >= settings.alertThreshold();
      Instant start = Instant.ofEpochMilli(bucket.start());
      Instant end = start.plusMillis(key.resolution().millis());
      JsonObject metric = new JsonObject()
          .put("type", "anomaly-score")
          .put("series", key.series())
          .put("resolution", key.resolution().name())
          .put("bucket", start.toString())
          .put("bucketEnd", end.toString())
          .put("value", bucket.value())
          .put("score", score == null ? null : score.ensemble())
          .put("threshold", settings.alertThreshold())
          .put("anomalous", anomalous)
          .put("scores", score == null ? null : new JsonObject().put("lstm", score.lstm()).put("transformer", score.transformer()))
          .put("model", m == null ? null : new JsonObject().put("name", m.metadata().name()).put("version", m.metadata().version()));
      vertx.eventBus().publish(Addresses.metrics(key.tenantId()), metric);
      bucketsScored++;
      scoredCounter.increment();
      if (anomalous) {
        raise(key, bucket, end, score, s.pending().series().rawWindow());
      }
    }
  }

  private void raise(SeriesKey key, BucketBook.Closed bucket, Instant end, AnomalyScore score, double[] window) {
    anomalyCounter.increment();
    String ruleId = ScoringAddresses.anomalyRuleId(key.series());
    JsonObject finding = new JsonObject()
        .put("kind", "ANOMALY")
        .put("tenantId", key.tenantId())
        .put("ruleId", ruleId)
        .put("severity", settings.severity(score.ensemble()))
        .put("subject", new JsonObject().put("series", key.series()).put("resolution", key.resolution().name()))
        .putNull("eventId")
        .put("occurredAt", end.toString())
        // one alert per series and resolution: the alert store folds repeated crossings into its count
        .put("dedupKey", key.tenantId() + ":" + ruleId + ":" + key.resolution().name())
        .put("evidence", new JsonObject().put("values", new JsonObject()
            .put("bucket", Instant.ofEpochMilli(bucket.start()).toString())
            .put("resolution", key.resolution().name())
            .put("value", bucket.value())
            .put("score", score.ensemble())
            .put("threshold", settings.alertThreshold())
            .put("lstmScore", score.lstm())
            .put("transformerScore", score.transformer())
            .put("window", new JsonArray(java.util.Arrays.stream(window).boxed().toList()))))
        .put("explanation", String.format(Locale.ROOT,
            "%s per %s was %s in the %s bucket starting %s; anomaly score %.3f is at or above the threshold %.2f "
                + "(LSTM %.3f, Transformer %.3f, judged against the series' previous 24 buckets and recent errors)",
            key.series(), key.resolution().name(), format(bucket.value()), key.resolution().name(),
            Instant.ofEpochMilli(bucket.start()), score.ensemble(), settings.alertThreshold(), score.lstm(), score.transformer()));
    vertx.eventBus().send(ScoringAddresses.ALERTS_RAISE, finding);
  }

  /** Loads, per resolution, the newest valid model version when it differs from the one in use. */
  private Future<JsonObject> reload() {
    return inference.executeBlocking(() -> {
      Map<String, ScoringModels> loaded = new HashMap<>();
      for (Resolution r : settings.resolutions()) {
        var newest = store.newest(r.name());
        ScoringModels current = models.get(r.name());
        if (newest.isPresent() && (current == null || !current.version().dir().equals(newest.get().dir()))) {
          loaded.put(r.name(), ScoringModels.load(newest.get()));
        }
      }
      return loaded;
    }, false).map(loaded -> {
      loaded.forEach((name, m) -> {
        ScoringModels old = models.put(name, m);
        LOG.info("scoring {} series with model {} version {}", name, m.metadata().name(), m.metadata().version());
        if (old != null) {
          old.retire();
        }
      });
      return modelsJson();
    });
  }

  private void retrainRequest(Message<JsonObject> message) {
    String resolution = message.body() == null ? null : message.body().getString("resolution");
    retrain(resolution).onSuccess(message::reply).onFailure(err -> Failures.replyFailure(message, err));
  }

  /** Retrains from the stored series on the training worker; the verticle keeps scoring with the current models. */
  private Future<JsonObject> retrain(String only) {
    if (!retraining.compareAndSet(false, true)) {
      return Future.failedFuture(new io.vertx.core.eventbus.ReplyException(
          io.vertx.core.eventbus.ReplyFailure.RECIPIENT_FAILURE, Failures.CONFLICT, "a retraining is already running"));
    }
    Architecture d = Architecture.DEFAULT;
    ModelTraining.Settings defaults = ModelTraining.Settings.defaults();
    // one TensorFlow thread: retraining must leave the cores to scoring and the rest of the process
    ModelTraining.Settings ts = new ModelTraining.Settings(
        new Architecture(settings.window(), d.lstmHidden(), d.modelDim(), d.heads(), d.feedForward(), d.latent()),
        NetworkTrainer.Options.defaults().withEpochs(settings.retrainEpochs()).withThreads(1),
        defaults.validationFraction(), settings.promotionTolerance());
    return training.executeBlocking(() -> {
      JsonArray results = new JsonArray();
      for (Resolution r : settings.resolutions()) {
        if (only != null && !only.equals(r.name())) {
          continue;
        }
        List<SeriesData> series = seriesStore.read(r.name(), settings.retrainMinRows());
        if (series.isEmpty()) {
          results.add(new JsonObject().put("name", r.name()).put("promoted", false)
              .put("reason", "no stored series with at least " + settings.retrainMinRows() + " buckets"));
          continue;
        }
        ModelTraining.Outcome o = ModelTraining.train(store, r.name(), series, ts, false);
        results.add(new JsonObject().put("name", r.name()).put("promoted", o.promoted())
            .put("version", o.version() == null ? null : o.version().metadata().version()).put("reason", o.reason()));
      }
      return new JsonObject().put("results", results);
    }, false).onComplete(x -> retraining.set(false))
        .compose(result -> reload().map(result));
  }

  private JsonObject status() {
    return new JsonObject().put("models", modelsJson()).put("series", book.seriesCount())
        .put("bucketsScored", bucketsScored).put("lateObservations", book.lateCount()).put("retraining", retraining.get());
  }

  private JsonObject modelsJson() {
    JsonObject json = new JsonObject();
    for (Resolution r : settings.resolutions()) {
      ScoringModels m = models.get(r.name());
      json.put(r.name(), m == null ? null
          : new JsonObject().put("version", m.metadata().version()).put("dir", m.version().dir().toString()));
    }
    return json;
  }

  private static Long epochMillis(Object at) {
    if (at instanceof Number n) {
      return n.longValue();
    }
    if (at instanceof String s) {
      try {
        return Instant.parse(s).toEpochMilli();
      } catch (DateTimeParseException e) {
        try {
          return java.time.OffsetDateTime.parse(s).toInstant().toEpochMilli();
        } catch (DateTimeParseException e2) {
          return null;
        }
      }
    }
    return null;
  }

  private static String format(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.3f", v);
  }

  @Override
  public Future<?> stop() {
    models.values().forEach(ScoringModels::retire);
    models.clear();
    inference.close();
    training.close();
    return Future.succeededFuture();
  }
}
