package com.ott.scoring.detect;

import com.ott.scoring.model.ModelKind;
import com.ott.scoring.model.ModelMetadata;
import com.ott.scoring.model.ModelMetadata.Normalisation;
import com.ott.scoring.model.ScoringModels;
import com.ott.scoring.train.SeriesData;

/**
 * Scores every row of a series with a fixed model version, using for each row only that row and the rows before
 * it: row {@code t} is scored from the window of rows {@code t-23..t}, and its normaliser has seen only rows before
 * it. Because the model does not change while a file is scored, all windows can go through the networks in large
 * batches first; the sequential part (the normalisers) then runs in row order. Rows without a full window, and rows
 * of the windows the model was trained on, score 0.
 */
public final class BatchDetector {
  private BatchDetector() {}

  /** Per-row scores of one series. */
  public record Scores(double[] lstm, double[] transformer, double[] ensemble) {}

  public static Scores score(ScoringModels models, SeriesData series, ErrorNormaliser.Settings settings) {
    ModelMetadata metadata = models.metadata();
    int w = metadata.window();
    int n = series.size();
    Normalisation norm = metadata.normalisation(series.key());
    if (norm == null) {
      norm = Normalisation.of(series.values(), series.trainFrom(), series.trainTo());
    }
    int count = Math.max(0, n - w + 1);
    float[][] windows = new float[count][w];
    for (int i = 0; i < count; i++) {
      for (int j = 0; j < w; j++) {
        windows[i][j] = norm.apply(series.values()[i + j]);
      }
    }
    float[] lstmErrors = models.network(ModelKind.LSTM).newestErrors(windows);
    float[] transformerErrors = models.network(ModelKind.TRANSFORMER).newestErrors(windows);
    EnsembleScorer scorer = new EnsembleScorer(metadata, settings);
    Scores scores = new Scores(new double[n], new double[n], new double[n]);
    // windows the networks were trained on have in-sample errors, lower than any later error: the normalisers start
    // after them, at the held-out windows, so the recent distribution they learn is one of out-of-sample errors
    int first = metadata.trainWindows(series.key());
    for (int i = first; i < count; i++) {
      AnomalyScore s = scorer.next(lstmErrors[i], transformerErrors[i]);
      int row = i + w - 1;
      scores.lstm()[row] = s.lstm();
      scores.transformer()[row] = s.transformer();
      scores.ensemble()[row] = s.ensemble();
    }
    return scores;
  }
}
