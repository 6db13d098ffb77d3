package com.ott.scoring.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.ott.scoring.SyntheticSeries;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ReconstructionNetworkTest {
  static final Architecture TINY = SyntheticSeries.TINY;

  @ParameterizedTest
  @EnumSource(ModelKind.class)
  void the_network_learns_a_periodic_series_its_loss_falls(ModelKind kind) {
    double[] series = SyntheticSeries.periodic(260, 1);
    float[][] train = SyntheticSeries.windows(series, 0, 220, 24, 100, 30);
    float[][] validation = SyntheticSeries.windows(series, 200, 260, 24, 100, 30);
    try (NetworkTrainer trainer = new NetworkTrainer(kind, TINY, new NetworkTrainer.Options(15, 16, 0.003f, 3, 1))) {
      double before = trainer.meanLoss(validation);
      NetworkTrainer.Run run = trainer.fit(train, validation);
      assertThat(run.trainLoss().get(run.trainLoss().size() - 1)).isLessThan(run.trainLoss().get(0) * 0.6);
      assertThat(run.finalValidationLoss()).isLessThan(before * 0.5);
    }
  }
}
