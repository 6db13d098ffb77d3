package com.ott.scoring.train;

import com.ott.scoring.model.Architecture;
import com.ott.scoring.model.ModelStore;
import com.ott.scoring.model.NetworkTrainer;
import com.ott.scoring.series.SeriesStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code scripts/train}: trains a model version (LSTM + Transformer) from CSV files or from the series the scoring
 * verticle stored, and publishes it under the model directory unless its validation is worse than the current
 * version's (or always, with {@code --force}).
 */
public final class TrainMain {
  private TrainMain() {}

  static final String USAGE = """
      Usage: TrainMain (--csv PATH[,PATH...] | --series-dir DIR) [options]
        --csv PATH,...     timestamp,value CSV files or folders of them; each file is one series
        --series-dir DIR   the scoring verticle's stored series (scoring.seriesDir), with --resolution
        --resolution NAME  minute or hour (default minute); also the default model name
        --name NAME        model name (default: the resolution; the verticle loads <model-dir>/<resolution>)
        --model-dir DIR    model directory (default .run/models)
        --epochs N         epochs per network (default 40)
        --train-rows N     learn from the first N rows of each series only (default: all)
        --min-rows N       skip stored series shorter than this (default 48)
        --threads N        TensorFlow threads (default 0 = all cores)
        --force            publish even when the validation is worse than the current version's
      """;

  public static void main(String[] args) throws Exception {
    List<Path> csv = new ArrayList<>();
    Path seriesDir = null;
    String resolution = "minute";
    String name = null;
    Path modelDir = Path.of(".run/models");
    int epochs = 40;
    int trainRows = -1;
    int minRows = 48;
    int threads = 0;
    boolean force = false;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--help") || a.equals("-h")) {
        System.out.print(USAGE);
        return;
      }
      if (a.equals("--force")) {
        force = true;
        continue;
      }
      if (i + 1 >= args.length) {
        fail(a + " needs a value");
      }
      String v = args[++i];
      switch (a) {
        case "--csv" -> {
          for (String p : v.split(",")) {
            csv.add(Path.of(p));
          }
        }
        case "--series-dir" -> seriesDir = Path.of(v);
        case "--resolution" -> resolution = v;
        case "--name" -> name = v;
        case "--model-dir" -> modelDir = Path.of(v);
        case "--epochs" -> epochs = Integer.parseInt(v);
        case "--train-rows" -> trainRows = Integer.parseInt(v);
        case "--min-rows" -> minRows = Integer.parseInt(v);
        case "--threads" -> threads = Integer.parseInt(v);
        default -> fail("unknown option " + a);
      }
    }
    if (csv.isEmpty() == (seriesDir == null)) {
      fail("give either --csv or --series-dir");
    }
    List<SeriesData> series = new ArrayList<>();
    if (seriesDir != null) {
      series.addAll(new SeriesStore(seriesDir).read(resolution, minRows));
    } else {
      for (Path p : csv) {
        List<Path> files;
        if (Files.isDirectory(p)) {
          try (Stream<Path> walk = Files.walk(p)) {
            files = walk.filter(f -> f.toString().endsWith(".csv")).sorted().toList();
          }
        } else {
          files = List.of(p);
        }
        for (Path f : files) {
          series.add(SeriesData.readCsv(f.getFileName().toString().replaceFirst("\\.csv$", ""), f));
        }
      }
    }
    if (trainRows > 0) {
      int rows = trainRows;
      series = series.stream().map(s -> s.trainingRows(0, Math.min(rows, s.size()))).toList();
    }
    if (series.isEmpty()) {
      fail("no series to train on");
    }
    ModelTraining.Settings settings = ModelTraining.Settings.defaults().withArchitecture(Architecture.DEFAULT)
        .withOptions(NetworkTrainer.Options.defaults().withEpochs(epochs).withThreads(threads));
    String modelName = name != null ? name : resolution;
    ModelTraining.Outcome outcome = ModelTraining.train(new ModelStore(modelDir), modelName, series, settings, force);
    System.out.println(outcome.reason());
    if (outcome.metadata() != null) {
      System.out.println(outcome.metadata().getJsonObject("validation").encodePrettily());
    }
    if (outcome.version() != null) {
      System.out.println("model: " + outcome.version().dir());
    }
    if (!outcome.promoted() && outcome.version() == null) {
      System.exit(1);
    }
  }

  private static void fail(String message) {
    System.err.println("train: " + message + "\n" + USAGE);
    System.exit(2);
  }
}
