package com.ott.scoring.detect;

import static org.assertj.core.api.Assertions.assertThat;

import com.ott.scoring.SyntheticSeries;
import com.ott.scoring.model.ModelStore;
import com.ott.scoring.model.NetworkTrainer;
import com.ott.scoring.model.ScoringModels;
import com.ott.scoring.train.ModelTraining;
import com.ott.scoring.train.SeriesData;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InjectedAnomalyTest {
  static final double THRESHOLD = 0.5;

  @Test
  void injected_anomalies_score_above_the_threshold_and_normal_rows_below_it(@TempDir Path dir) throws Exception {
    double[] values = SyntheticSeries.periodic(900, 9);
    int[] spikes = {620, 760};
    values[spikes[0]] += 150;
    // a level shift for a few steps rather than a single point
    for (int t = spikes[1]; t < spikes[1] + 4; t++) {
      values[t] -= 120;
    }
    ModelStore store = new ModelStore(dir);
    ModelTraining.Settings settings = ModelTraining.Settings.defaults().withArchitecture(SyntheticSeries.TINY)
        .withOptions(new NetworkTrainer.Options(15, 32, 0.003f, 11, 1));
    SeriesData series = new SeriesData("t/s", null, values, 0, 450);
    ModelTraining.Outcome outcome = ModelTraining.train(store, "minute", List.of(series), settings, true);
    ScoringModels models = ScoringModels.load(outcome.version());
    BatchDetector.Scores scores;
    try {
      scores = BatchDetector.score(models, series, ErrorNormaliser.Settings.DEFAULTS);
    } finally {
      models.retire();
    }
    for (int spike : spikes) {
      double peak = 0;
      for (int t = spike; t < spike + 24; t++) {
        peak = Math.max(peak, scores.ensemble()[t]);
      }
      assertThat(peak).as("ensemble score after the anomaly at row %d", spike).isGreaterThanOrEqualTo(THRESHOLD);
    }
    int falseAlarms = 0;
    int normal = 0;
    for (int t = 450; t < values.length; t++) {
      boolean near = (t >= spikes[0] && t < spikes[0] + 40) || (t >= spikes[1] && t < spikes[1] + 40);
      if (!near) {
        normal++;
        if (scores.ensemble()[t] >= THRESHOLD) {
          falseAlarms++;
        }
      }
    }
    assertThat(falseAlarms).as("normal rows scored at or above the threshold").isLessThanOrEqualTo(normal / 100);
  }
}
