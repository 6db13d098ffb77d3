package com.ott.scoring.detect;

import com.ott.scoring.model.ModelKind;
import com.ott.scoring.model.ModelMetadata;
import com.ott.scoring.model.ModelMetadata.Normalisation;
import com.ott.scoring.model.ScoringModels;
import com.ott.scoring.train.SeriesData;
import java.util.Arrays;

/**
 * Scores rows of a series with a fixed model version, using for each row only that row and the rows before it: row
 * {@code t} is scored from the window of rows {@code t-23..t}, and its normaliser has seen only rows before it.
 * Because the model does not change while a range of rows is scored, all its windows go through the networks in
 * large batches first; the sequential part (the normalisers) then runs in row order. Rows without a full window,
 * and rows of the windows the model was trained on, score 0.
 *
 * <p>A version trained later on more rows (periodic retraining, see {@link NabDetectMain}) scores the next range
 * with a fresh {@link EnsembleScorer}, as the live verticle does when a new version arrives; the fresh scorer is
 * first fed the errors of the version's own held-out windows (rows already seen, errors out of sample), so its
 * recent distribution is ready when the new range starts.
 */
public final class BatchDetector {
  private BatchDetector() {}

  /**
   * Per-row scores of one series, and the networks' raw newest-step errors (NaN for rows without a scored window),
   * kept so the scoring method can be studied without re-running the networks.
   */
  public record Scores(double[] lstm, double[] transformer, double[] ensemble, double[] lstmError,
                       double[] transformerError) {
    public static Scores empty(int rows) {
      Scores s = new Scores(new double[rows], new double[rows], new double[rows], new double[rows], new double[rows]);
      Arrays.fill(s.lstmError(), Double.NaN);
      Arrays.fill(s.transformerError(), Double.NaN);
      return s;
    }
  }

  /** Scores every row of the series with one version. */
  public static Scores score(ScoringModels models, SeriesData series, ErrorNormaliser.Settings settings) {
    Scores scores = Scores.empty(series.size());
    score(models, series, settings, scores, 0, series.size());
    return scores;
  }

  /**
   * Scores rows {@code fromRow} (inclusive) to {@code toRow} (exclusive) into {@code into}; rows before
   * {@code fromRow} that follow the version's training windows only warm up the normalisers.
   */
  public static void score(ScoringModels models, SeriesData series, ErrorNormaliser.Settings settings, Scores into,
                           int fromRow, int toRow) {
    ModelMetadata metadata = models.metadata();
    int w = metadata.window();
    Normalisation norm = metadata.normalisation(series.key());
    if (norm == null) {
      norm = Normalisation.of(series.values(), series.trainFrom(), series.trainTo());
    }
    // windows the networks were trained on have in-sample errors, lower than any later error: the normalisers start
    // after them, at the held-out windows, so the recent distribution they learn is one of out-of-sample errors
    int first = metadata.trainWindows(series.key());
    int last = Math.max(first, toRow - w + 1);
    int count = last - first;
    float[][] windows = new float[count][w];
    for (int i = 0; i < count; i++) {
      for (int j = 0; j < w; j++) {
        windows[i][j] = norm.apply(series.values()[first + i + j]);
      }
    }
    float[] lstmErrors = models.network(ModelKind.LSTM).newestErrors(windows);
    float[] transformerErrors = models.network(ModelKind.TRANSFORMER).newestErrors(windows);
    EnsembleScorer scorer = new EnsembleScorer(metadata, settings);
    for (int i = 0; i < count; i++) {
      AnomalyScore s = scorer.next(lstmErrors[i], transformerErrors[i]);
      int row = first + i + w - 1;
      if (row >= fromRow) {
        into.lstm()[row] = s.lstm();
        into.transformer()[row] = s.transformer();
        into.ensemble()[row] = s.ensemble();
        into.lstmError()[row] = lstmErrors[i];
        into.transformerError()[row] = transformerErrors[i];
      }
    }
  }
}
