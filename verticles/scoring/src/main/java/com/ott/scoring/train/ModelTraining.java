package com.ott.scoring.train;

import com.ott.scoring.model.Architecture;
import com.ott.scoring.model.ModelKind;
import com.ott.scoring.model.ModelMetadata;
import com.ott.scoring.model.ModelMetadata.Normalisation;
import com.ott.scoring.model.ModelStore;
import com.ott.scoring.model.NetworkTrainer;
import com.ott.scoring.model.ScoringModels;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a model version (both networks) on one or more series and publishes it in a {@link ModelStore} unless its
 * validation is worse than the current version's on the same validation windows.
 *
 * <p>Each series is z-scored with the mean and deviation of its own training rows; the last
 * {@code validationFraction} of each series' windows is held out (after a gap of one window, so no held-out step
 * was ever inside a training window) and gives the validation figures.
 */
public final class ModelTraining {
  private static final Logger LOG = LoggerFactory.getLogger(ModelTraining.class);

  /**
   * @param promotionTolerance a candidate is promoted when its validation loss is at most the current version's
   *     times {@code 1 + promotionTolerance} (0: never worse)
   */
  public record Settings(Architecture architecture, NetworkTrainer.Options options, double validationFraction,
                         double promotionTolerance) {
    public static Settings defaults() {
      return new Settings(Architecture.DEFAULT, NetworkTrainer.Options.defaults(), 0.15, 0.0);
    }

    public Settings withOptions(NetworkTrainer.Options value) {
      return new Settings(architecture, value, validationFraction, promotionTolerance);
    }

    public Settings withArchitecture(Architecture value) {
      return new Settings(value, options, validationFraction, promotionTolerance);
    }
  }

  /** The result: the published version, or why none was. */
  public record Outcome(boolean promoted, ModelStore.Version version, JsonObject metadata, String reason) {}

  private ModelTraining() {}

  public static Outcome train(ModelStore store, String name, List<SeriesData> series, Settings settings, boolean force)
      throws IOException {
    int w = settings.architecture().window();
    List<float[]> train = new ArrayList<>();
    List<float[]> validation = new ArrayList<>();
    Map<String, Normalisation> norms = new LinkedHashMap<>();
    JsonObject ranges = new JsonObject();
    for (SeriesData s : series) {
      int rows = s.trainTo() - s.trainFrom();
      if (rows < w + 2) {
        continue;
      }
      Normalisation norm = Normalisation.of(s.values(), s.trainFrom(), s.trainTo());
      norms.put(s.key(), norm);
      int windows = rows - w + 1;
      int held = (int) Math.round(windows * settings.validationFraction());
      int trainable = windows - held - (w - 1);
      if (held < 1 || trainable < 1) {
        held = 0;
        trainable = windows;
      }
      for (int i = 0; i < windows; i++) {
        float[] window = new float[w];
        for (int j = 0; j < w; j++) {
          window[j] = norm.apply(s.values()[s.trainFrom() + i + j]);
        }
        if (i < trainable) {
          train.add(window);
        } else if (i >= windows - held) {
          validation.add(window);
        }
      }
      JsonObject range = new JsonObject().put("rows", rows).put("trainWindows", trainable).put("validationWindows", held);
      if (s.timestamps() != null && !s.timestamps().isEmpty()) {
        range.put("from", s.timestamps().get(s.trainFrom())).put("to", s.timestamps().get(s.trainTo() - 1));
      }
      ranges.put(s.key(), range);
    }
    if (train.size() < 8) {
      return new Outcome(false, null, null, "not enough data: " + train.size() + " training windows of " + w + " steps");
    }
    float[][] trainWindows = train.toArray(float[][]::new);
    float[][] validationWindows = validation.isEmpty() ? trainWindows : validation.toArray(float[][]::new);

    Path staging = store.stage(name);
    try {
      JsonObject validationJson = new JsonObject();
      JsonObject trainingJson = new JsonObject();
      double lossSum = 0;
      for (ModelKind kind : ModelKind.values()) {
        try (NetworkTrainer trainer = new NetworkTrainer(kind, settings.architecture(), settings.options())) {
          NetworkTrainer.Run run = trainer.fit(trainWindows, validationWindows);
          double[] errors = newestErrors(trainer.reconstruct(validationWindows), validationWindows);
          double loss = run.finalValidationLoss();
          lossSum += loss;
          validationJson.put(kind.id(), new JsonObject().put("loss", loss)
              .put("errorMean", mean(errors)).put("errorStd", std(errors)));
          trainingJson.put(kind.id(), new JsonObject().put("epochs", settings.options().epochs())
              .put("seconds", run.seconds()).put("firstLoss", run.trainLoss().get(0))
              .put("finalLoss", run.trainLoss().get(run.trainLoss().size() - 1))
              .put("trainLoss", new JsonArray(run.trainLoss())).put("validationLoss", new JsonArray(run.validationLoss())));
          trainer.export(staging.resolve(kind.id()));
          LOG.info("{}: {} trained in {} s, validation loss {}", name, kind.id(), String.format("%.1f", run.seconds()),
              String.format("%.5f", loss));
        }
      }
      double ensembleLoss = lossSum / ModelKind.values().length;
      validationJson.put("ensembleLoss", ensembleLoss);

      var current = store.newest(name);
      if (current.isPresent() && !force) {
        double baseline = baselineLoss(current.get(), validationWindows);
        validationJson.put("baselineEnsembleLoss", baseline).put("baselineVersion", current.get().metadata().version());
        if (ensembleLoss > baseline * (1 + settings.promotionTolerance())) {
          ModelStore.deleteRecursively(staging);
          String reason = String.format("not promoted: validation loss %.5f is worse than version %d's %.5f on the same windows",
              ensembleLoss, current.get().metadata().version(), baseline);
          LOG.info("{}: {}", name, reason);
          return new Outcome(false, current.get(), new JsonObject().put("validation", validationJson), reason);
        }
      }
      JsonObject metadata = new JsonObject()
          .put("createdAt", Instant.now().toString())
          .put("window", w)
          .put("architecture", settings.architecture().toJson())
          .put("series", new JsonArray(new ArrayList<>(norms.keySet())))
          .put("normalisation", normalisationJson(norms))
          .put("trainingRange", new JsonObject().put("series", ranges)
              .put("trainWindows", trainWindows.length).put("validationWindows", validation.size()))
          .put("validation", validationJson)
          .put("training", trainingJson)
          .put("scoring", new JsonObject().put("evidence", "absolute error of the newest (masked) step, z-scored units"));
      ModelStore.Version version = store.publish(name, staging, metadata);
      return new Outcome(true, version, version.metadata().json(), "promoted as version " + version.metadata().version());
    } catch (IOException | RuntimeException e) {
      ModelStore.deleteRecursively(staging);
      throw e;
    }
  }

  private static double baselineLoss(ModelStore.Version current, float[][] windows) throws IOException {
    ScoringModels models = ScoringModels.load(current);
    try {
      double sum = 0;
      for (ModelKind kind : ModelKind.values()) {
        float[] errors = models.network(kind).errors(windows);
        double s = 0;
        for (float e : errors) {
          s += e;
        }
        sum += s / errors.length;
      }
      return sum / ModelKind.values().length;
    } finally {
      models.retire();
    }
  }

  /** The scoring evidence on held-out windows: absolute error of each window's newest (masked) step. */
  static double[] newestErrors(float[][] reconstruction, float[][] windows) {
    double[] out = new double[windows.length];
    for (int i = 0; i < windows.length; i++) {
      int last = windows[i].length - 1;
      out[i] = Math.abs(reconstruction[i][last] - windows[i][last]);
    }
    return out;
  }

  static double mean(double[] xs) {
    double s = 0;
    for (double x : xs) {
      s += x;
    }
    return s / Math.max(1, xs.length);
  }

  static double std(double[] xs) {
    double m = mean(xs);
    double s = 0;
    for (double x : xs) {
      s += (x - m) * (x - m);
    }
    return Math.sqrt(s / Math.max(1, xs.length));
  }

  private static JsonObject normalisationJson(Map<String, Normalisation> norms) {
    JsonObject series = new JsonObject();
    norms.forEach((k, v) -> series.put(k, new JsonObject().put("mean", v.mean()).put("std", v.std())));
    return new JsonObject().put("method", "zscore").put("series", series);
  }
}
