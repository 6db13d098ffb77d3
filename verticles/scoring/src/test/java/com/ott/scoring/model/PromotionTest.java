package com.ott.scoring.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.ott.scoring.SyntheticSeries;
import com.ott.scoring.train.ModelTraining;
import com.ott.scoring.train.SeriesData;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PromotionTest {
  @Test
  void a_candidate_whose_validation_is_worse_than_the_current_version_is_not_promoted(@TempDir Path dir) throws Exception {
    double[] values = SyntheticSeries.periodic(200, 4);
    List<SeriesData> series = List.of(new SeriesData("t/s", null, values, 0, values.length));
    ModelStore store = new ModelStore(dir);
    ModelTraining.Settings good = ModelTraining.Settings.defaults().withArchitecture(SyntheticSeries.TINY)
        .withOptions(new NetworkTrainer.Options(8, 16, 0.003f, 5, 1));
    assertThat(ModelTraining.train(store, "hour", series, good, false).promoted()).isTrue();

    // one epoch cannot match eight on the same windows
    ModelTraining.Outcome weak = ModelTraining.train(store, "hour", series, good.withOptions(new NetworkTrainer.Options(1, 16, 0.003f, 6, 1)), false);
    assertThat(weak.promoted()).isFalse();
    assertThat(weak.reason()).contains("not promoted");
    assertThat(store.versions("hour")).hasSize(1);
    assertThat(store.newest("hour").orElseThrow().metadata().version()).isEqualTo(1);
  }
}
