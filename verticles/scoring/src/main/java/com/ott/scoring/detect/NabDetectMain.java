package com.ott.scoring.detect;

import com.ott.scoring.model.ModelStore;
import com.ott.scoring.model.NetworkTrainer;
import com.ott.scoring.model.ScoringModels;
import com.ott.scoring.train.ModelTraining;
import com.ott.scoring.train.SeriesData;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * Batch mode for measurement ({@code scripts/detect}): reads NAB-format CSV files ({@code timestamp,value}) under
 * an input folder, and for each file trains a model version on its probationary rows only (the first
 * {@code min(floor(15%), 750)} rows, exactly the rows NAB does not score), then scores every row from the rows up
 * to it and writes {@code timestamp,value,anomaly_score} files in the same folder layout. With
 * {@code --retrain doubling} it also retrains on every row seen so far whenever the rows seen have doubled, as the
 * live verticle retrains on its stored series, and scores the rows after each retraining with the new version.
 */
public final class NabDetectMain {
  private NabDetectMain() {}

  static final String USAGE = """
      Usage: NabDetectMain --input DIR --output DIR [--detectors LIST] [--epochs N] [--model-dir DIR]
                           [--parallel N] [--threads N] [--files SUBSTRING,...] [--retrain doubling|none]
                           [--errors DIR]
        --detectors  comma list of lstm, transformer, ensemble (default ensemble); with one detector the files go
                     to OUTPUT/<category>/<file>.csv, with several to OUTPUT/<detector>/<category>/<file>.csv
        --epochs     training epochs per network (default 40)
        --model-dir  where the per-file model versions are kept (default .run/models/nab)
        --parallel   files processed at once (default 1)
        --threads    TensorFlow threads per file (default 0 = all cores)
        --files      only files whose path contains one of these substrings
        --retrain    none (default): one version, trained on the probationary rows, scores the whole file;
                     doubling: retrain on every row seen so far each time the rows seen have doubled since the
                     last training, and score the following rows with the new version
        --errors DIR also write DIR/<category>/<file>.csv with each row's raw newest-step errors
                     (timestamp,value,lstm_error,transformer_error; empty before the first full window)
      """;

  /** The fewest epochs a retraining on many rows runs (its epochs shrink as its rows grow). */
  static final int MIN_RETRAIN_EPOCHS = 4;

  public static void main(String[] args) throws Exception {
    Path input = null;
    Path output = null;
    List<String> detectors = List.of("ensemble");
    int epochs = 40;
    Path modelDir = Path.of(".run/models/nab");
    int parallel = 1;
    int threads = 0;
    List<String> only = List.of();
    Path errors = null;
    // measured on NAB, retraining did not beat one version trained on the probationary rows (scoring README)
    boolean retrain = false;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--help") || a.equals("-h")) {
        System.out.print(USAGE);
        return;
      }
      if (i + 1 >= args.length) {
        fail(a + " needs a value");
      }
      String v = args[++i];
      switch (a) {
        case "--input" -> input = Path.of(v);
        case "--output" -> output = Path.of(v);
        case "--detectors" -> detectors = List.of(v.toLowerCase(Locale.ROOT).split(","));
        case "--epochs" -> epochs = Integer.parseInt(v);
        case "--model-dir" -> modelDir = Path.of(v);
        case "--parallel" -> parallel = Integer.parseInt(v);
        case "--threads" -> threads = Integer.parseInt(v);
        case "--files" -> only = List.of(v.split(","));
        case "--errors" -> errors = Path.of(v);
        case "--retrain" -> {
          if (!v.equals("doubling") && !v.equals("none")) {
            fail("--retrain is doubling or none");
          }
          retrain = v.equals("doubling");
        }
        default -> fail("unknown option " + a);
      }
    }
    if (input == null || output == null) {
      fail("--input and --output are required");
    }
    for (String d : detectors) {
      if (!List.of("lstm", "transformer", "ensemble").contains(d)) {
        fail("unknown detector " + d);
      }
    }
    if (threads > 0) {
      System.setProperty("ai.djl.tensorflow.num_intraop_threads", String.valueOf(threads));
      System.setProperty("ai.djl.tensorflow.num_interop_threads", "1");
    }
    List<Path> files;
    Path in = input;
    List<String> filters = only;
    try (Stream<Path> walk = Files.walk(input)) {
      files = walk.filter(p -> p.toString().endsWith(".csv") && !in.relativize(p).toString().equals(p.getFileName().toString()))
          .filter(p -> filters.isEmpty() || filters.stream().anyMatch(f -> p.toString().contains(f)))
          .sorted().toList();
    }
    if (files.isEmpty()) {
      fail("no <category>/<file>.csv under " + input);
    }
    ModelStore store = new ModelStore(modelDir);
    ModelTraining.Settings settings = ModelTraining.Settings.defaults()
        .withOptions(NetworkTrainer.Options.defaults().withEpochs(epochs).withThreads(threads));
    ExecutorService pool = Executors.newFixedThreadPool(parallel);
    List<Future<String>> results = new ArrayList<>();
    long start = System.nanoTime();
    for (Path file : files) {
      Path rel = input.relativize(file);
      Path out = output;
      List<String> dets = detectors;
      Path errorsOut = errors;
      boolean again = retrain;
      results.add(pool.submit(() -> detectFile(store, settings, file, rel, out, dets, errorsOut, again)));
    }
    pool.shutdown();
    int failures = 0;
    for (Future<String> f : results) {
      try {
        System.out.println(f.get());
      } catch (java.util.concurrent.ExecutionException e) {
        failures++;
        System.err.println("error: " + e.getCause().getMessage());
      }
    }
    System.out.printf(Locale.ROOT, "%d files in %.1f s%n", files.size(), (System.nanoTime() - start) / 1e9);
    if (failures > 0) {
      System.exit(1);
    }
  }

  static String detectFile(ModelStore store, ModelTraining.Settings settings, Path file, Path rel, Path output,
                           List<String> detectors, Path errors, boolean retrain) throws IOException {
    String key = rel.toString().replace('\\', '/');
    SeriesData all = SeriesData.readCsv(key, file);
    int n = all.size();
    // NAB's probationary period: these rows are never scored, so learning from them is no look-ahead
    int probation = (int) Math.min(Math.floor(0.15 * n), 750);
    String name = "nab-" + key.replace(".csv", "").replaceAll("[^A-Za-z0-9_.-]", "-");
    BatchDetector.Scores scores = BatchDetector.Scores.empty(n);
    int trainTo = probation;
    int versions = 0;
    double lstmSeconds = 0;
    double transformerSeconds = 0;
    double scoreSeconds = 0;
    String lastVersion = "";
    while (trainTo < n) {
      // each version learns from every row seen so far; the next one is trained once the rows seen have doubled, so
      // a file of n rows costs about log2(n / probation) retrainings, each with about the first one's gradient steps
      int next = retrain ? (int) Math.min(n, 2L * trainTo) : n;
      int epochs = Math.max(MIN_RETRAIN_EPOCHS,
          (int) Math.round(settings.options().epochs() * (double) probation / trainTo));
      ModelTraining.Settings versionSettings = trainTo == probation ? settings
          : settings.withOptions(settings.options().withEpochs(Math.min(epochs, settings.options().epochs())));
      SeriesData series = all.trainingRows(0, trainTo);
      ModelTraining.Outcome outcome = ModelTraining.train(store, name, List.of(series), versionSettings, true);
      if (!outcome.promoted()) {
        throw new IOException(key + ": " + outcome.reason());
      }
      var training = outcome.metadata().getJsonObject("training");
      lstmSeconds += training.getJsonObject("lstm").getDouble("seconds");
      transformerSeconds += training.getJsonObject("transformer").getDouble("seconds");
      ScoringModels models = ScoringModels.load(outcome.version());
      long t0 = System.nanoTime();
      try {
        BatchDetector.score(models, series, ErrorNormaliser.Settings.DEFAULTS, scores, trainTo == probation ? 0 : trainTo, next);
      } finally {
        models.retire();
      }
      scoreSeconds += (System.nanoTime() - t0) / 1e9;
      versions++;
      lastVersion = outcome.version().dir().toString();
      trainTo = next;
    }
    List<String> raw = Files.readAllLines(file, StandardCharsets.UTF_8);
    for (String detector : detectors) {
      Path target = (detectors.size() == 1 ? output : output.resolve(detector)).resolve(rel);
      double[] values = switch (detector) {
        case "lstm" -> scores.lstm();
        case "transformer" -> scores.transformer();
        default -> scores.ensemble();
      };
      write(target, raw, values);
    }
    if (errors != null) {
      writeErrors(errors.resolve(rel), raw, scores);
    }
    return String.format(Locale.ROOT,
        "%s: %d rows, first trained on %d, %d version(s) (training lstm %.1f s, transformer %.1f s), scored in %.2f s, last version %s",
        key, n, probation, versions, lstmSeconds, transformerSeconds, scoreSeconds, lastVersion);
  }

  private static void write(Path target, List<String> raw, double[] scores) throws IOException {
    Files.createDirectories(target.getParent());
    try (BufferedWriter out = Files.newBufferedWriter(target, StandardCharsets.UTF_8)) {
      out.write("timestamp,value,anomaly_score\n");
      int row = 0;
      for (int i = 1; i < raw.size(); i++) {
        String line = raw.get(i).strip();
        if (line.isEmpty()) {
          continue;
        }
        out.write(line + "," + String.format(Locale.ROOT, "%.9f", scores[row++]) + "\n");
      }
    }
  }

  private static void writeErrors(Path target, List<String> raw, BatchDetector.Scores scores) throws IOException {
    Files.createDirectories(target.getParent());
    try (BufferedWriter out = Files.newBufferedWriter(target, StandardCharsets.UTF_8)) {
      out.write("timestamp,value,lstm_error,transformer_error\n");
      int row = 0;
      for (int i = 1; i < raw.size(); i++) {
        String line = raw.get(i).strip();
        if (line.isEmpty()) {
          continue;
        }
        double l = scores.lstmError()[row];
        double t = scores.transformerError()[row++];
        out.write(line + (Double.isNaN(l) ? ",," : String.format(Locale.ROOT, ",%.7g,%.7g", l, t)) + "\n");
      }
    }
  }

  private static void fail(String message) {
    System.err.println("detect: " + message + "\n" + USAGE);
    System.exit(2);
  }
}
