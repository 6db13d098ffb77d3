package com.ott.scoring;

import com.ott.runtime.OttConfig;
import com.ott.scoring.series.Resolution;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The {@code scoring:} section of the configuration. */
public record ScoringSettings(
    Path modelDir,
    Path seriesDir,
    int window,
    List<Resolution> resolutions,
    long closeGraceMillis,
    long tickMillis,
    double alertThreshold,
    double mediumThreshold,
    double highThreshold,
    long reloadSeconds,
    long retrainEveryMinutes,
    int retrainMinRows,
    int retrainEpochs,
    double promotionTolerance) {

  public static ScoringSettings from(JsonObject config) {
    JsonObject s = OttConfig.section(config, "scoring");
    JsonObject thresholds = s.getJsonObject("thresholds", new JsonObject());
    JsonObject retrain = s.getJsonObject("retrain", new JsonObject());
    JsonObject res = s.getJsonObject("resolutions", new JsonObject().put("minute", 60).put("hour", 3600));
    List<Resolution> resolutions = new ArrayList<>();
    for (String name : res.fieldNames()) {
      resolutions.add(new Resolution(name, ((Number) res.getValue(name)).longValue()));
    }
    return new ScoringSettings(
        Path.of(s.getString("modelDir", ".run/models")),
        Path.of(s.getString("seriesDir", ".run/series")),
        s.getInteger("window", 24),
        resolutions,
        s.getLong("closeGraceSeconds", 10L) * 1000,
        s.getLong("tickMillis", 1000L),
        thresholds.getDouble("alert", 0.5),
        thresholds.getDouble("medium", 0.7),
        thresholds.getDouble("high", 0.9),
        s.getLong("reloadSeconds", 60L),
        retrain.getLong("everyMinutes", 1440L),
        retrain.getInteger("minRows", 200),
        retrain.getInteger("epochs", 30),
        retrain.getDouble("promotionTolerance", 0.0));
  }

  public String severity(double score) {
    return score >= highThreshold ? "HIGH" : score >= mediumThreshold ? "MEDIUM" : "LOW";
  }
}
