package com.ott.scoring.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.ott.scoring.SyntheticSeries;
import com.ott.scoring.train.ModelTraining;
import com.ott.scoring.train.SeriesData;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SavedModelRoundTripTest {
  static final Architecture TINY = SyntheticSeries.TINY;

  @Test
  void a_saved_model_loaded_through_djl_reconstructs_exactly_as_the_training_session_did(@TempDir Path dir) throws Exception {
    double[] series = SyntheticSeries.periodic(120, 2);
    float[][] windows = SyntheticSeries.windows(series, 0, 120, 24, 100, 30);
    float[][] inSession;
    try (NetworkTrainer trainer = new NetworkTrainer(ModelKind.TRANSFORMER, TINY, new NetworkTrainer.Options(3, 16, 0.003f, 5, 1))) {
      trainer.fit(windows, windows);
      inSession = trainer.reconstruct(windows);
      trainer.export(dir.resolve("transformer"));
    }
    try (Reconstructor loaded = Reconstructor.load(dir.resolve("transformer"), 24)) {
      float[] served = loaded.reconstruct(windows);
      for (int i = 0; i < windows.length; i++) {
        for (int j = 0; j < 24; j++) {
          assertThat(served[i * 24 + j]).isCloseTo(inSession[i][j], org.assertj.core.data.Offset.offset(1e-4f));
        }
      }
    }
  }

  @Test
  void a_published_version_scores_the_same_after_a_reload(@TempDir Path dir) throws Exception {
    double[] values = SyntheticSeries.periodic(160, 3);
    ModelStore store = new ModelStore(dir);
    ModelTraining.Settings settings = ModelTraining.Settings.defaults().withArchitecture(TINY)
        .withOptions(new NetworkTrainer.Options(3, 16, 0.003f, 5, 1));
    ModelTraining.Outcome outcome = ModelTraining.train(store, "minute",
        List.of(new SeriesData("t/s", null, values, 0, values.length)), settings, true);
    assertThat(outcome.promoted()).isTrue();
    ModelMetadata meta = store.newest("minute").orElseThrow().metadata();
    assertThat(meta.version()).isEqualTo(1);
    assertThat(meta.json().getJsonObject("validation").getJsonObject("lstm").getDouble("loss")).isPositive();
    assertThat(meta.normalisation("t/s")).isNotNull();

    float[][] windows = SyntheticSeries.windows(values, 0, values.length, 24, meta.normalisation("t/s").mean(), meta.normalisation("t/s").std());
    float[][] first = errorsOf(store, windows);
    float[][] second = errorsOf(store, windows);
    assertThat(second[0]).containsExactly(first[0]);
    assertThat(second[1]).containsExactly(first[1]);
  }

  private static float[][] errorsOf(ModelStore store, float[][] windows) throws Exception {
    ScoringModels models = ScoringModels.load(store.newest("minute").orElseThrow());
    try {
      return new float[][] {models.network(ModelKind.LSTM).errors(windows), models.network(ModelKind.TRANSFORMER).errors(windows)};
    } finally {
      models.retire();
    }
  }
}
