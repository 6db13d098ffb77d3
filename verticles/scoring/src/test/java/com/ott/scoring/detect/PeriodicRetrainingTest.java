package com.ott.scoring.detect;

import static org.assertj.core.api.Assertions.assertThat;

import com.ott.scoring.SyntheticSeries;
import com.ott.scoring.model.ModelStore;
import com.ott.scoring.model.NetworkTrainer;
import com.ott.scoring.train.ModelTraining;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PeriodicRetrainingTest {
  @Test
  void batch_mode_retrains_when_the_rows_seen_double_and_each_version_learns_only_from_rows_before_those_it_scores(
      @TempDir Path dir) throws Exception {
    int n = 1300;
    double[] values = SyntheticSeries.periodic(n, 5);
    List<String> lines = new ArrayList<>(List.of("timestamp,value"));
    Instant start = Instant.parse("2024-01-01T00:00:00Z");
    for (int t = 0; t < n; t++) {
      lines.add(start.plusSeconds(300L * t).toString().replace('T', ' ').replace("Z", "") + "," + values[t]);
    }
    Path input = dir.resolve("in/synthetic/series.csv");
    Files.createDirectories(input.getParent());
    Files.write(input, lines, StandardCharsets.UTF_8);
    ModelStore store = new ModelStore(dir.resolve("models"));
    ModelTraining.Settings settings = ModelTraining.Settings.defaults().withArchitecture(SyntheticSeries.TINY)
        .withOptions(new NetworkTrainer.Options(6, 32, 0.003f, 11, 1));

    NabDetectMain.detectFile(store, settings, input, Path.of("synthetic/series.csv"), dir.resolve("out"),
        List.of("ensemble"), null, true);

    // probation is floor(15% of 1300) = 195 rows; the rows seen double to 390 and 780 before the file ends
    List<Integer> trainedRows = store.versions("nab-synthetic-series").stream()
        .map(v -> v.metadata().json().getJsonObject("trainingRange").getJsonObject("series")
            .getJsonObject("synthetic/series.csv").getInteger("rows"))
        .toList();
    assertThat(trainedRows).as("rows each version learnt from, newest first").containsExactly(780, 390, 195);
    List<String> out = Files.readAllLines(dir.resolve("out/synthetic/series.csv"), StandardCharsets.UTF_8);
    assertThat(out).hasSize(n + 1);
    for (int t = 195; t < n; t++) {
      double score = Double.parseDouble(out.get(t + 1).split(",")[2]);
      assertThat(score).as("score of row %d", t).isBetween(0.0, 1.0);
    }
  }
}
