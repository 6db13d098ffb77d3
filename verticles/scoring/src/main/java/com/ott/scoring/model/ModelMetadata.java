package com.ott.scoring.model;

import io.vertx.core.json.JsonObject;

/**
 * {@code metadata.json} of a model version: what was trained on what, and how well it did.
 *
 * <pre>
 * {name, version, createdAt, window, architecture{...},
 *  series: [key...],
 *  normalisation: {method: "zscore", series: {key: {mean, std}}, default: {mean, std}},
 *  trainingRange: {series: {key: {from, to, rows, trainWindows, validationWindows}}, trainWindows, validationWindows},
 *  validation: {lstm: {loss, errorMean, errorStd}, transformer: {...}, ensembleLoss, baselineEnsembleLoss?},
 *  training: {lstm: {epochs, seconds, firstLoss, finalLoss}, transformer: {...}},
 *  scoring: {evidence}}
 * </pre>
 */
public record ModelMetadata(JsonObject json) {
  public static final String FILE = "metadata.json";

  public String name() {
    return json.getString("name");
  }

  public int version() {
    return json.getInteger("version", 0);
  }

  public int window() {
    return json.getInteger("window", Architecture.DEFAULT.window());
  }

  /** Mean and standard deviation that z-score a series' values before they enter the networks. */
  public record Normalisation(double mean, double std) {
    public float apply(double value) {
      return (float) ((value - mean) / std);
    }

    JsonObject toJson() {
      return new JsonObject().put("mean", mean).put("std", std);
    }

    static Normalisation fromJson(JsonObject json) {
      return new Normalisation(json.getDouble("mean"), json.getDouble("std"));
    }

    /** Statistics of the values; a constant series gets a unit scale so it is not divided by zero. */
    public static Normalisation of(double[] values, int from, int to) {
      double sum = 0;
      for (int i = from; i < to; i++) {
        sum += values[i];
      }
      double mean = sum / Math.max(1, to - from);
      double sq = 0;
      for (int i = from; i < to; i++) {
        sq += (values[i] - mean) * (values[i] - mean);
      }
      double std = Math.sqrt(sq / Math.max(1, to - from));
      double floor = Math.max(1e-6, Math.abs(mean) * 1e-3);
      return new Normalisation(mean, std < floor ? Math.max(floor, 1.0) : std);
    }
  }

  /** The series' own normalisation when it was trained on, else the pooled default. */
  public Normalisation normalisation(String seriesKey) {
    JsonObject norm = json.getJsonObject("normalisation", new JsonObject());
    JsonObject own = norm.getJsonObject("series", new JsonObject()).getJsonObject(seriesKey);
    return own != null ? Normalisation.fromJson(own) : null;
  }

  /** How many windows of the series, from its first training row, the networks were trained on (0 if none). */
  public int trainWindows(String seriesKey) {
    JsonObject range = json.getJsonObject("trainingRange", new JsonObject()).getJsonObject("series", new JsonObject())
        .getJsonObject(seriesKey);
    return range == null ? 0 : range.getInteger("trainWindows", 0);
  }

  /**
   * Mean and standard deviation, on the held-out windows, of one network's absolute error on the newest (masked)
   * step: the prior of its error normaliser and the scale that makes the two networks' errors comparable.
   */
  public double errorMean(ModelKind kind) {
    return validation(kind).getDouble("errorMean", 0.0);
  }

  public double errorStd(ModelKind kind) {
    return validation(kind).getDouble("errorStd", 1.0);
  }

  public double ensembleLoss() {
    return json.getJsonObject("validation", new JsonObject()).getDouble("ensembleLoss", Double.NaN);
  }

  private JsonObject validation(ModelKind kind) {
    return json.getJsonObject("validation", new JsonObject()).getJsonObject(kind.id(), new JsonObject());
  }
}
